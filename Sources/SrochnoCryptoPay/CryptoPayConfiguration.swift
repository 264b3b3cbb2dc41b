public import SrochnoHTTPClient

/// Where and how the app calls the Crypto Pay API. Timeouts have no default: a call from a
/// request handler (creating an invoice while the user waits) and one from the reconciliation
/// job need different bounds, and the caller knows which.
public struct CryptoPayConfiguration: Sendable {
    public static let defaultBaseURL = "https://pay.crypt.bot"
    /// @CryptoTestnetBot's API: test coins, a separate app and token.
    public static let testnetBaseURL = "https://testnet-pay.crypt.bot"

    /// Scheme and host (and port), without the `/api/…` path; a trailing `/` is ignored.
    public var baseURL: String
    /// The app's API token, sent in the `Crypto-Pay-API-Token` header; it also keys the
    /// webhook signature.
    public var token: String
    public var connectTimeoutMilliseconds: Int
    public var totalTimeoutMilliseconds: Int
    /// The largest answer accepted. A page of 100 invoices is well under 256 KiB.
    public var maxResponseBytes: Int

    public init(
        token: String,
        baseURL: String = CryptoPayConfiguration.defaultBaseURL,
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
extension CryptoPayConfiguration: TokenAPIConfiguration {}
