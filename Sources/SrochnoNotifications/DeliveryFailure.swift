import SrochnoBotAPI

/// What a Bot API refusal or failure means for the executor it was meant for (SPEC §8.2).
enum DeliveryFailure: Equatable {
    /// 429: every send waits this many seconds, then this one is tried again.
    case rateLimited(seconds: Int)
    /// 403: the executor blocked the bot or their account is gone.
    case blocked
    /// Another 4xx: Telegram will never take this message (e.g. the chat does not exist).
    case refused(code: Int)
    /// 5xx, no answer, an answer that is not the Bot API's: try again after a back-off.
    case transient
    /// 401 or 404, or a configuration no call can work with: the bot token or URL is wrong, so
    /// every send would fail alike. The sender stops rather than drop anyone's orders.
    case botMisconfigured

    init(_ error: BotAPIError) {
        switch error {
        case .api(429, _, let retryAfter): self = .rateLimited(seconds: max(1, retryAfter ?? 1))
        case .api(403, _, _): self = .blocked
        case .api(401, _, _), .api(404, _, _), .invalidConfiguration: self = .botMisconfigured
        case .api(let code, _, _) where (400..<500).contains(code): self = .refused(code: code)
        case .api, .transport, .invalidResponse: self = .transient
        }
    }
}

/// The Bot API refuses the bot (401, 404) or its configuration: the sender ends (exit 1) and
/// systemd starts it again later; nothing queued is dropped.
public struct BotMisconfigured: Error, CustomStringConvertible {
    public let description: String
}
