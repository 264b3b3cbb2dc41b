public import SrochnoCore

/// Which signature proves an initData genuine: the bot-token HMAC, Telegram's Ed25519
/// third-party signature (needs only the bot id), or whichever of the two is configured.
/// The settings parse it; this module only checks.
public typealias AuthMode = Settings.AuthMode
