import SrochnoCore
import SrochnoSystem

/// Telegram's original check: `hash` is an HMAC keyed by a secret derived from the bot token.
struct BotTokenCheck {
    private let secret: [UInt8]

    /// Nil only when libcrypto fails.
    init?(botToken: String) {
        guard let secret = Self.secret(botToken: botToken) else { return nil }
        self.secret = secret
    }

    static func secret(botToken: String) -> [UInt8]? {
        hmacSHA256(key: Array("WebAppData".utf8), message: Array(botToken.utf8))
    }

    func check(_ initData: InitData) throws(InitDataError) {
        guard initData.hash.utf8.count == 64, let received = Hex.decode(initData.hash) else {
            throw InitDataError(reason: "malformed hash")
        }
        guard let expected = hmacSHA256(key: secret, message: initData.hmacDataCheckString) else {
            throw InitDataError(reason: "verification failed")
        }
        guard constantTimeEquals(received, expected) else { throw InitDataError(reason: "hash mismatch") }
    }
}
