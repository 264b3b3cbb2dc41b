import SrochnoCore
import SrochnoStore
import SrochnoTelegramAuth

/// Who is calling: `Authorization: Bearer <initData>` verified (SPEC §2), and the caller's
/// users row kept current.
struct Authenticator {
    let verifier: InitDataVerifier
    let store: Store

    /// The authenticated caller after making sure its users row exists and is current, or
    /// 401. Missing header → "Not authenticated".
    func requireUser(_ context: RequestContext) throws -> TelegramProfile {
        let caller = try verifiedCaller(context)
        try store.ensureUser(caller)
        return caller
    }

    /// For optional-auth endpoints: a missing or invalid header is an anonymous caller.
    func optionalUser(_ context: RequestContext) throws -> TelegramProfile? {
        guard let caller = optionalCaller(context) else { return nil }
        try store.ensureUser(caller)
        return caller
    }

    /// The caller as initData says, verified but not yet checked against the users row. Hot
    /// reads check that row inside their own statement and store it only when it is missing
    /// or stale: one round trip fewer.
    func verifiedCaller(_ context: RequestContext) throws(APIError) -> TelegramProfile {
        guard let header = context.request.header("authorization"), let initData = bearerToken(header) else {
            throw APIError.notAuthenticated
        }
        let user: TelegramUser
        do {
            user = try verifier.verify(initData, now: context.now)
        } catch {
            throw APIError.invalidInitData(error.reason)
        }
        context.userID = user.id
        return TelegramProfile(
            id: user.id, username: user.username, firstName: user.firstName, lastName: user.lastName,
            languageCode: user.languageCode)
    }

    /// `verifiedCaller`, or nil for a missing or invalid header.
    func optionalCaller(_ context: RequestContext) -> TelegramProfile? {
        try? verifiedCaller(context)
    }

    private func bearerToken(_ header: String) -> String? {
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = String(parts[1]).trimmingASCIIWhitespace()
        return token.isEmpty ? nil : token
    }
}
