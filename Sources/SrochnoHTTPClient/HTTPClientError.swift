/// Why an outbound call produced no response. Messages come from libcurl with any
/// `/bot<token>/` path redacted; they never include a URL's path, a header or a body.
public enum HTTPClientError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The request was refused before anything was sent (bad URL characters, a header that
    /// would split the request, a non-positive limit).
    case invalidRequest(String)
    /// The connect or the total timeout passed.
    case timeout(String)
    /// No connection: refused, unreachable, or the name did not resolve.
    case connectFailed(String)
    /// The TLS handshake or the peer's certificate (chain or host name) failed.
    case tlsFailed(String)
    /// The response body exceeded `Limits.maxResponseBytes`; the transfer was aborted.
    case responseTooLarge(limit: Int)
    /// Anything else libcurl reported, with its error code.
    case other(code: Int, message: String)

    public var description: String {
        switch self {
        case .invalidRequest(let message): return "invalid outbound request: \(message)"
        case .timeout(let message): return "outbound request timed out: \(message)"
        case .connectFailed(let message): return "outbound connection failed: \(message)"
        case .tlsFailed(let message): return "outbound TLS failed: \(message)"
        case .responseTooLarge(let limit): return "outbound response larger than \(limit) bytes"
        case .other(let code, let message): return "outbound request failed (curl \(code)): \(message)"
        }
    }
}
