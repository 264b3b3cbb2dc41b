public import SrochnoCore

/// Checks the `Authorization: Bearer <initData>` of a request: signature, then freshness,
/// then the user. Build one per worker at start-up; the secret and the public key are prepared
/// once here, not per request.
public final class InitDataVerifier {
    /// How far ahead of our clock an auth_date may be, for clock drift between hosts.
    static let allowedClockSkewSeconds: Int64 = 60

    private let botTokenCheck: BotTokenCheck?
    private let thirdPartyCheck: ThirdPartyCheck?
    private let maxAgeSeconds: Int64

    /// `maxAgeSeconds == 0` means no age limit. `.hmac` needs `botToken`; `.ed25519` needs
    /// `botID` and `publicKeyHex` (Telegram's raw Ed25519 key, 64 hex characters); `.either`
    /// sets up the bot-token check when a token is given and the third-party check when a bot
    /// id is given, and needs at least one of them.
    public init(
        mode: AuthMode, botToken: String?, botID: Int64?, publicKeyHex: String, maxAgeSeconds: Int64
    ) throws(InitDataConfigurationError) {
        guard maxAgeSeconds >= 0 else {
            throw InitDataConfigurationError(
                message: "initData max age must be 0 (no limit) or a positive number of seconds, got \(maxAgeSeconds)")
        }
        self.maxAgeSeconds = maxAgeSeconds
        let botToken = botToken.flatMap { $0.isEmpty ? nil : $0 }
        switch mode {
        case .hmac:
            guard let botToken else {
                throw InitDataConfigurationError(message: "auth mode hmac needs the bot token")
            }
            botTokenCheck = try Self.makeBotTokenCheck(botToken)
            thirdPartyCheck = nil
        case .ed25519:
            guard let botID else {
                throw InitDataConfigurationError(message: "auth mode ed25519 needs the bot's numeric id")
            }
            botTokenCheck = nil
            thirdPartyCheck = try Self.makeThirdPartyCheck(botID: botID, publicKeyHex: publicKeyHex)
        case .either:
            guard botToken != nil || botID != nil else {
                throw InitDataConfigurationError(message: "auth mode either needs the bot token, the bot's numeric id, or both")
            }
            botTokenCheck = try botToken.map { token throws(InitDataConfigurationError) in try Self.makeBotTokenCheck(token) }
            thirdPartyCheck = try botID.map { id throws(InitDataConfigurationError) in
                try Self.makeThirdPartyCheck(botID: id, publicKeyHex: publicKeyHex)
            }
        }
    }

    public func verify(_ initData: String, now: Instant) throws(InitDataError) -> TelegramUser {
        let parsed: InitData
        do {
            parsed = try InitData.parse(initData)
        } catch {
            throw InitDataError(reason: error.reason)
        }
        try checkSignature(parsed)
        try checkFreshness(authDate: parsed.authDate, now: now)
        guard let user = TelegramUser(json: parsed.userJSON) else { throw InitDataError(reason: "malformed user") }
        // Telegram user ids are positive; a signed 0 or negative id names nobody and would
        // only fail later, as a server error, on the users table's check.
        guard user.id > 0 else { throw InitDataError(reason: "invalid user id") }
        return user
    }

    /// Passes when any configured check passes. The cheap HMAC goes first; when every check
    /// fails, the first failure is reported.
    private func checkSignature(_ initData: InitData) throws(InitDataError) {
        var firstFailure: InitDataError?
        if let botTokenCheck {
            do {
                try botTokenCheck.check(initData)
                return
            } catch {
                firstFailure = error
            }
        }
        if let thirdPartyCheck {
            do {
                try thirdPartyCheck.check(initData)
                return
            } catch {
                firstFailure = firstFailure ?? error
            }
        }
        throw firstFailure ?? InitDataError(reason: "verification failed")
    }

    private func checkFreshness(authDate: Int64, now: Instant) throws(InitDataError) {
        let nowSeconds = now.seconds
        let (latestAccepted, tooFarAhead) = nowSeconds.addingReportingOverflow(Self.allowedClockSkewSeconds)
        if !tooFarAhead, authDate > latestAccepted { throw InitDataError(reason: "auth_date in the future") }
        guard maxAgeSeconds > 0 else { return }
        let (oldestAccepted, overflow) = nowSeconds.subtractingReportingOverflow(maxAgeSeconds)
        if !overflow, authDate < oldestAccepted { throw InitDataError(reason: "expired") }
    }

    private static func makeBotTokenCheck(_ botToken: String) throws(InitDataConfigurationError) -> BotTokenCheck {
        // A token read from a file with its trailing newline would fail every request silently.
        guard !botToken.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            throw InitDataConfigurationError(message: "the bot token contains whitespace or control characters")
        }
        guard let check = BotTokenCheck(botToken: botToken) else {
            throw InitDataConfigurationError(message: "libcrypto could not derive the HMAC secret from the bot token")
        }
        return check
    }

    private static func makeThirdPartyCheck(
        botID: Int64, publicKeyHex: String
    ) throws(InitDataConfigurationError) -> ThirdPartyCheck {
        guard botID > 0 else {
            throw InitDataConfigurationError(message: "the bot's numeric id must be positive, got \(botID)")
        }
        guard publicKeyHex.utf8.count == 64, let rawKey = Hex.decode(publicKeyHex) else {
            throw InitDataConfigurationError(
                message: "Telegram's public key must be 64 hex characters (a raw Ed25519 key), got \(publicKeyHex.utf8.count) characters")
        }
        guard let publicKey = Ed25519PublicKey(rawBytes: rawKey) else {
            throw InitDataConfigurationError(message: "Telegram's public key is not a valid Ed25519 key")
        }
        return ThirdPartyCheck(botID: botID, publicKey: publicKey)
    }
}
