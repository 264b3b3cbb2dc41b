/// Which signature proves an initData genuine: the bot-token HMAC, Telegram's Ed25519
/// third-party signature (needs only the bot id), or whichever of the two is configured. The
/// settings read it by its raw value; the verifier is built for it once, at start-up.
public enum AuthMode: String, Sendable, CaseIterable {
    case hmac, ed25519, either
}

/// Telegram's published Ed25519 keys for third-party initData validation (SPEC §2).
public enum TelegramPublicKey {
    public static let production = "e7bf03a2fa4602af4580703d88dda5bb59f32ed8b02a56c187fe7d34caed242d"
    public static let testEnvironment = "40055058a4ee38156a06562e52eece92a771bcd8346a8c4615cb7376eddf72ec"
}
