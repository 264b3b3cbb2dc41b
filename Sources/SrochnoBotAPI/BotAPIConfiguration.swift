public import SrochnoHTTPClient

/// Where and how the bot calls the Bot API. Timeouts have no default: a call from a request
/// handler and one from a background job need different bounds, and the caller knows which.
public struct BotAPIConfiguration: Sendable {
    public static let defaultBaseURL = "https://api.telegram.org"

    /// Scheme and host (and port), without the `/bot…` path; a trailing `/` is ignored.
    public var baseURL: String
    public var token: String
    public var connectTimeoutMilliseconds: Int
    public var totalTimeoutMilliseconds: Int
    /// The largest answer accepted. A page of 100 Star transactions is tens of KiB.
    public var maxResponseBytes: Int

    public init(
        token: String,
        baseURL: String = BotAPIConfiguration.defaultBaseURL,
        connectTimeoutMilliseconds: Int,
        totalTimeoutMilliseconds: Int,
        maxResponseBytes: Int = 1 << 20
    ) {
        self.token = token
        self.baseURL = baseURL
        self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
        self.totalTimeoutMilliseconds = totalTimeoutMilliseconds
        self.maxResponseBytes = maxResponseBytes
    }
}

/// Its description, debug description and mirror (from `TokenAPIConfiguration`) show `<redacted>` for the token.
extension BotAPIConfiguration: TokenAPIConfiguration {}
