public import SrochnoHTTPClient

/// Why a Bot API call has no result. No case carries the token: transport messages are
/// redacted by SrochnoHTTPClient, and the client scrubs Telegram's own descriptions too.
public enum BotAPIError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Telegram answered `"ok": false`. `retryAfter` (seconds) comes with 429 Too Many
    /// Requests: the call may be repeated after it, not before.
    case api(errorCode: Int, description: String, retryAfter: Int?)
    /// No answer: timeout, connection or TLS failure, an answer over the size cap.
    case transport(HTTPClientError)
    /// An answer that is not a Bot API envelope (e.g. a proxy's HTML error page) or whose
    /// `result` lacks what the method returns. `status` is the HTTP status.
    case invalidResponse(status: Int, reason: String)
    /// The configuration cannot form a safe URL (a token with `/` or `?`, a base URL
    /// without `http://` or `https://`).
    case invalidConfiguration(String)

    /// Seconds to wait before repeating the call, when Telegram said so.
    public var retryAfter: Int? {
        if case .api(_, _, let retryAfter) = self { return retryAfter }
        return nil
    }

    public var description: String {
        switch self {
        case .api(let code, let description, let retryAfter):
            return "Bot API error \(code): \(description)" + (retryAfter.map { " (retry after \($0) s)" } ?? "")
        case .transport(let error): return "Bot API unreachable: \(error)"
        case .invalidResponse(let status, let reason): return "Bot API answer not understood (HTTP \(status)): \(reason)"
        case .invalidConfiguration(let reason): return "Bot API client misconfigured: \(reason)"
        }
    }
}
