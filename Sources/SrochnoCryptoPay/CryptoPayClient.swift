public import SrochnoCore
import SrochnoHTTPClient

/// Calls the Crypto Pay API: `POST {base}/api/{method}` with a JSON body and the app token in
/// the `Crypto-Pay-API-Token` header, one synchronous call at a time on one reused connection.
///
/// Not thread-safe and not `Sendable` (it owns an `HTTPClient`): one per worker process or
/// job, created after any `fork`.
public final class CryptoPayClient {
    private let http: HTTPClient
    private let token: String
    /// `{base}/api/`, the method name goes after it.
    private let methodURLPrefix: String
    private let limits: HTTPClient.Limits

    public init(configuration: CryptoPayConfiguration) throws(CryptoPayError) {
        let token = configuration.token
        // Tokens are `<app id>:<secret>` of URL-safe characters; anything else is a
        // misconfiguration, and a CR or LF would split the request.
        guard !token.isEmpty, token.utf8.allSatisfy(Self.isTokenByte) else {
            throw .invalidConfiguration("the API token has characters a token never has")
        }
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        let lowercasedBase = base.lowercased()
        guard lowercasedBase.hasPrefix("https://") || lowercasedBase.hasPrefix("http://") else {
            throw .invalidConfiguration("the base URL must start with https:// (or http:// for a local fake)")
        }
        do {
            http = try HTTPClient()
        } catch {
            throw .transport(error)
        }
        self.token = token
        methodURLPrefix = "\(base)/api/"
        limits = HTTPClient.Limits(
            connectTimeoutMilliseconds: configuration.connectTimeoutMilliseconds,
            totalTimeoutMilliseconds: configuration.totalTimeoutMilliseconds,
            maxResponseBytes: configuration.maxResponseBytes
        )
    }

    /// Calls `method` (e.g. `getMe`) with `parameters` as a JSON object and returns the
    /// envelope's `result`. Crypto Pay's refusals (`"ok": false`) throw `.api`.
    /// `method` is a Crypto Pay method name, letters only; anything else is a programming error.
    public func call(_ method: String, parameters: [(key: String, value: JSONValue)] = []) throws(CryptoPayError) -> JSONValue {
        precondition(
            !method.isEmpty && method.utf8.allSatisfy { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") },
            "a Crypto Pay method name is letters only"
        )
        var json = JSONWriter()
        json.value(JSONValue.object(parameters))
        let request = HTTPClient.Request(
            method: .post,
            url: methodURLPrefix + method,
            headers: [(name: "Crypto-Pay-API-Token", value: token), (name: "Content-Type", value: "application/json")],
            body: json.bytes
        )
        let response: HTTPClient.Response
        do {
            response = try http.send(request, limits: limits)
        } catch {
            throw scrubbed(.transport(error))
        }
        do {
            return try CryptoPayEnvelope.result(of: response)
        } catch {
            throw scrubbed(error)
        }
    }

    /// Defense in depth: the token travels only in a header, which no transport message
    /// shows, but an error name Crypto Pay (or a fake) echoes could hold it.
    private func scrubbed(_ error: CryptoPayError) -> CryptoPayError {
        func scrub(_ text: String) -> String { text.replacing(token, with: "<redacted>") }
        switch error {
        case .api(let code, let name): return .api(code: code, name: scrub(name))
        case .transport(.invalidRequest(let message)): return .transport(.invalidRequest(scrub(message)))
        case .transport(.timeout(let message)): return .transport(.timeout(scrub(message)))
        case .transport(.connectFailed(let message)): return .transport(.connectFailed(scrub(message)))
        case .transport(.tlsFailed(let message)): return .transport(.tlsFailed(scrub(message)))
        case .transport(.other(let code, let message)): return .transport(.other(code: code, message: scrub(message)))
        case .transport(.responseTooLarge), .invalidResponse, .invalidConfiguration: return error
        }
    }

    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: ":"), UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }
}
