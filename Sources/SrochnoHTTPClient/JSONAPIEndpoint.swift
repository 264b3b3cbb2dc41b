public import SrochnoCore

/// Where and how to call a JSON API that authenticates with one token (Telegram's Bot API,
/// Crypto Pay). Each API's configuration struct conforms and gets a description, a debug
/// description and a mirror that never show the token.
public protocol TokenAPIConfiguration: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Scheme and host (and port), without the API's path; a trailing `/` is ignored.
    var baseURL: String { get }
    var token: String { get }
    var connectTimeoutMilliseconds: Int { get }
    var totalTimeoutMilliseconds: Int { get }
    /// The largest answer accepted.
    var maxResponseBytes: Int { get }
}

/// Printing a configuration (a log line, a failed `#expect`) must not print the token.
extension TokenAPIConfiguration {
    public var description: String {
        "\(Self.self)(baseURL: \(baseURL), token: <redacted>, connect: \(connectTimeoutMilliseconds) ms, "
            + "total: \(totalTimeoutMilliseconds) ms, maxResponseBytes: \(maxResponseBytes))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(
            self,
            children: [
                "baseURL": baseURL, "token": "<redacted>", "connectTimeoutMilliseconds": connectTimeoutMilliseconds,
                "totalTimeoutMilliseconds": totalTimeoutMilliseconds, "maxResponseBytes": maxResponseBytes,
            ])
    }
}

/// One token-authenticated JSON API: the validated base URL and token, the limits, one
/// reused `HTTPClient`, and "POST this JSON object to this method, decode the answer". The
/// API's client keeps only what differs: the method URL, headers, envelope and error type.
///
/// Not thread-safe and not `Sendable` (it owns an `HTTPClient`): one per worker process or
/// job, created after any `fork`.
public final class JSONAPIEndpoint {
    /// The validated token (URL-safe characters only, so it may go in a path or a header).
    public let token: String
    /// `{base}/{methodPath}`, the method name goes after it.
    private let methodURLPrefix: String
    private let apiName: String
    private let http: HTTPClient
    private let limits: HTTPClient.Limits

    /// `methodPath(token)` is the path between the base URL and the method name, e.g.
    /// `bot{token}/` or `api/`. `apiName` and `tokenName` only word messages; the API's error
    /// type wraps a refused configuration and a failed libcurl set-up.
    public init<Failure: Error>(
        configuration: some TokenAPIConfiguration,
        apiName: String,
        tokenName: String,
        methodPath: (String) -> String,
        invalidConfiguration: (String) -> Failure,
        transportError: (HTTPClientError) -> Failure
    ) throws(Failure) {
        let token = configuration.token
        // Tokens are `<id>:<secret>` of URL-safe characters; anything else could change the
        // path, reach the query string, or (a CR or LF) split the request.
        guard !token.isEmpty, token.utf8.allSatisfy(Self.isTokenByte) else {
            throw invalidConfiguration("the \(tokenName) has characters a token never has")
        }
        var base = configuration.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        let lowercasedBase = base.lowercased()
        guard lowercasedBase.hasPrefix("https://") || lowercasedBase.hasPrefix("http://") else {
            throw invalidConfiguration("the base URL must start with https:// (or http:// for a local fake)")
        }
        do {
            http = try HTTPClient()
        } catch {
            throw transportError(error)
        }
        self.token = token
        self.apiName = apiName
        methodURLPrefix = "\(base)/\(methodPath(token))"
        limits = HTTPClient.Limits(
            connectTimeoutMilliseconds: configuration.connectTimeoutMilliseconds,
            totalTimeoutMilliseconds: configuration.totalTimeoutMilliseconds,
            maxResponseBytes: configuration.maxResponseBytes
        )
    }

    /// POSTs `parameters` as a JSON object to `method` with `headers` (and `Content-Type`), and
    /// returns what `decode` makes of the answer; no answer throws `transportError(…)`.
    /// `method` is a method name, letters only; anything else is a programming error.
    public func call<Failure: Error>(
        _ method: String,
        parameters: [(key: String, value: JSONValue)],
        headers: [(name: String, value: String)] = [],
        transportError: (HTTPClientError) -> Failure,
        decode: (HTTPClient.Response) throws(Failure) -> JSONValue
    ) throws(Failure) -> JSONValue {
        precondition(
            !method.isEmpty && method.utf8.allSatisfy { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") },
            "a \(apiName) method name is letters only"
        )
        var json = JSONWriter()
        json.value(JSONValue.object(parameters))
        let request = HTTPClient.Request(
            method: .post,
            url: methodURLPrefix + method,
            headers: headers + [(name: "Content-Type", value: "application/json")],
            body: json.bytes
        )
        let response: HTTPClient.Response
        do {
            response = try http.send(request, limits: limits)
        } catch {
            throw transportError(error)
        }
        return try decode(response)
    }

    /// `text` with every occurrence of the token replaced by `<redacted>`.
    public func redactingToken(_ text: String) -> String { text.replacing(token, with: "<redacted>") }

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

/// Both APIs wrap every answer, whatever its HTTP status, in `{"ok": true, "result": …}` or
/// `{"ok": false, …}`; the envelope, not the status, says whether the call worked.
public enum JSONAPIEnvelope {
    /// The envelope's `result`. An answer that is not an envelope throws `invalidResponse(status,
    /// reason)` (the reason never holds the body: it is not the API's and may be large);
    /// `"ok": false` throws `refused(envelope)`, the API's own error read from the envelope.
    public static func result<Failure: Error>(
        of response: HTTPClient.Response,
        invalidResponse: (_ status: Int, _ reason: String) -> Failure,
        refused: (JSONValue) -> Failure
    ) throws(Failure) -> JSONValue {
        let envelope: JSONValue
        do {
            envelope = try JSONParser.parse(response.body)
        } catch {
            let type = response.contentType.map { " (\($0))" } ?? ""
            throw invalidResponse(response.status, "the body is not JSON\(type)")
        }
        switch envelope["ok"] {
        case .bool(true):
            guard let result = envelope["result"] else { throw invalidResponse(response.status, "\"ok\": true without a result") }
            return result
        case .bool(false):
            throw refused(envelope)
        default:
            throw invalidResponse(response.status, "no boolean \"ok\" in the answer")
        }
    }
}

extension HTTPClientError {
    /// The same error with `transform` applied to its message (the size cap has none).
    public func mappingMessage(_ transform: (String) -> String) -> HTTPClientError {
        switch self {
        case .invalidRequest(let message): return .invalidRequest(transform(message))
        case .timeout(let message): return .timeout(transform(message))
        case .connectFailed(let message): return .connectFailed(transform(message))
        case .tlsFailed(let message): return .tlsFailed(transform(message))
        case .other(let code, let message): return .other(code: code, message: transform(message))
        case .responseTooLarge: return self
        }
    }
}
