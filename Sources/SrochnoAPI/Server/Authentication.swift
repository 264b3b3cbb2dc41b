import SrochnoCore
import SrochnoPostgres
import SrochnoTelegramAuth

/// The caller, after initData verification and the first-sight user sync.
public struct AuthenticatedUser: Sendable {
    public let id: Int64
}

extension API {
    /// The authenticated user, or 401. Missing header → "Not authenticated".
    func requireUser(_ context: RequestContext) throws -> AuthenticatedUser {
        guard let header = context.request.header("authorization"), let initData = bearerToken(header) else {
            throw APIError.notAuthenticated
        }
        let telegramUser: TelegramUser
        do {
            telegramUser = try verifier.verify(initData, now: context.now)
        } catch {
            throw APIError.invalidInitData(error.reason)
        }
        let fields: [any PostgresParameter] = [
            telegramUser.id, telegramUser.username, telegramUser.firstName, telegramUser.lastName, telegramUser.languageCode,
        ]
        let db = try database()
        if try db.execute(UserQueries.isCurrent, fields).rowCount == 0 {
            try db.execute(UserQueries.sync, fields)
        }
        context.userID = telegramUser.id
        return AuthenticatedUser(id: telegramUser.id)
    }

    /// For optional-auth endpoints: a missing or invalid header is an anonymous caller.
    func optionalUser(_ context: RequestContext) throws -> AuthenticatedUser? {
        do {
            return try requireUser(context)
        } catch let error as APIError where error.status == 401 {
            return nil
        }
    }

    private func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = String(parts[1]).trimmingASCIIWhitespace()
        return token.isEmpty ? nil : token
    }
}
