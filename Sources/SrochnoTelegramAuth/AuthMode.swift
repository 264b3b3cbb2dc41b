/// Which signature proves an initData genuine: the bot-token HMAC, Telegram's Ed25519
/// third-party signature (needs only the bot id), or whichever of the two is configured.
public enum AuthMode: String, Sendable {
    case hmac, ed25519, either
}
