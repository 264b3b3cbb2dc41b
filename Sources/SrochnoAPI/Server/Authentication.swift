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
        try checkedUser(verifiedCaller(context))
    }

    /// For optional-auth endpoints: a missing or invalid header is an anonymous caller.
    func optionalUser(_ context: RequestContext) throws -> AuthenticatedUser? {
        try optionalCaller(context).map(checkedUser)
    }

    /// The caller after making sure its users row exists and is current.
    private func checkedUser(_ caller: TelegramUser) throws -> AuthenticatedUser {
        try storeUser(caller, unlessCurrentIn: database().execute(UserQueries.isCurrent, caller.userParameters), column: 0)
        return AuthenticatedUser(id: caller.id)
    }

    /// The caller as initData says, verified but not yet checked against the users row. Hot
    /// reads check that row inside their own statement (`UserQueries.isCurrent(…)` as a
    /// column) and store it only when it is missing or stale: one round trip fewer.
    func verifiedCaller(_ context: RequestContext) throws -> TelegramUser {
        guard let header = context.request.header("authorization"), let initData = bearerToken(header) else {
            throw APIError.notAuthenticated
        }
        let telegramUser: TelegramUser
        do {
            telegramUser = try verifier.verify(initData, now: context.now)
        } catch {
            throw APIError.invalidInitData(error.reason)
        }
        context.userID = telegramUser.id
        return telegramUser
    }

    /// `verifiedCaller`, or nil for a missing or invalid header.
    func optionalCaller(_ context: RequestContext) throws -> TelegramUser? {
        do {
            return try verifiedCaller(context)
        } catch let error as APIError where error.status == 401 {
            return nil
        }
    }

    /// Creates the user on first sight, or refreshes the Telegram fields that changed.
    func storeUser(_ caller: TelegramUser) throws {
        try database().execute(UserQueries.sync, caller.userParameters)
    }

    /// Stores the caller's users row unless the read that checked it (`UserQueries.isCurrent`
    /// as a column) found it current: the answer is in `column` of `result`'s first row; no
    /// result or no row (an unknown order) checked nothing. Returns whether it stored.
    @discardableResult
    func storeUser(_ caller: TelegramUser, unlessCurrentIn result: PostgresResult?, column: Int) throws -> Bool {
        if let result, result.rowCount > 0, result.bool(0, column) == true { return false }
        try storeUser(caller)
        return true
    }

    private func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = String(parts[1]).trimmingASCIIWhitespace()
        return token.isEmpty ? nil : token
    }
}

extension TelegramUser {
    /// The id and the Telegram fields kept in `users`, as `UserQueries` numbers them.
    var userParameters: [any PostgresParameter] { [id, username, firstName, lastName, languageCode] }
}
