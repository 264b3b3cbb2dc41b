public import SrochnoHTTPClient

/// Why a Crypto Pay call has no result. No case carries the token: it travels only in a
/// header, which no transport message includes, and the client scrubs Crypto Pay's own error
/// names too.
public enum CryptoPayError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Crypto Pay answered `"ok": false` with its error `code` (an HTTP-like number, e.g. 400
    /// or 401) and `name` (e.g. `UNAUTHORIZED`, `EXPIRES_IN_INVALID`).
    case api(code: Int, name: String)
    /// No answer: timeout, connection or TLS failure, an answer over the size cap.
    case transport(HTTPClientError)
    /// An answer that is not a Crypto Pay envelope (e.g. a proxy's HTML error page) or whose
    /// `result` lacks what the method returns. `status` is the HTTP status.
    case invalidResponse(status: Int, reason: String)
    /// The configuration cannot form a safe request (a token with characters a token never
    /// has, a base URL without `http://` or `https://`).
    case invalidConfiguration(String)

    public var description: String {
        switch self {
        case .api(let code, let name): return "Crypto Pay error \(code): \(name)"
        case .transport(let error): return "Crypto Pay unreachable: \(error)"
        case .invalidResponse(let status, let reason): return "Crypto Pay answer not understood (HTTP \(status)): \(reason)"
        case .invalidConfiguration(let reason): return "Crypto Pay client misconfigured: \(reason)"
        }
    }
}
