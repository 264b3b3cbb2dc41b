public import SrochnoCore
import SrochnoHTTPClient

/// Calls Telegram's Bot API: `POST {base}/bot{token}/{method}` with a JSON body, one
/// synchronous call at a time on one reused connection.
///
/// Not thread-safe and not `Sendable` (it owns an `HTTPClient`): one per worker process or
/// job, created after any `fork`.
public final class BotAPIClient {
    private let http: HTTPClient
    private let token: String
    /// `{base}/bot{token}/`, the method name goes after it.
    private let methodURLPrefix: String
    private let limits: HTTPClient.Limits

    public init(configuration: BotAPIConfiguration) throws(BotAPIError) {
        let token = configuration.token
        // Tokens are `<bot id>:<secret>` of URL-safe characters; anything else could change
        // the path or reach the query string.
        guard !token.isEmpty, token.utf8.allSatisfy(Self.isTokenByte) else {
            throw .invalidConfiguration("the bot token has characters a token never has")
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
        methodURLPrefix = "\(base)/bot\(token)/"
        limits = HTTPClient.Limits(
            connectTimeoutMilliseconds: configuration.connectTimeoutMilliseconds,
            totalTimeoutMilliseconds: configuration.totalTimeoutMilliseconds,
            maxResponseBytes: configuration.maxResponseBytes
        )
    }

    /// Calls `method` (e.g. `sendMessage`) with `parameters` as a JSON object and returns the
    /// envelope's `result`. Telegram's refusals (`"ok": false`) throw `.api`.
    /// `method` is a Bot API method name, letters only; anything else is a programming error.
    public func call(_ method: String, parameters: [(key: String, value: JSONValue)] = []) throws(BotAPIError) -> JSONValue {
        precondition(
            !method.isEmpty && method.utf8.allSatisfy { ($0 | 0x20) >= UInt8(ascii: "a") && ($0 | 0x20) <= UInt8(ascii: "z") },
            "a Bot API method name is letters only"
        )
        var json = JSONWriter()
        json.value(JSONValue.object(parameters))
        let request = HTTPClient.Request(
            method: .post,
            url: methodURLPrefix + method,
            headers: [(name: "Content-Type", value: "application/json")],
            body: json.bytes
        )
        let response: HTTPClient.Response
        do {
            response = try http.send(request, limits: limits)
        } catch {
            throw scrubbed(.transport(error))
        }
        do {
            return try BotAPIEnvelope.result(of: response)
        } catch {
            throw scrubbed(error)
        }
    }

    /// Defense in depth: HTTPClient already redacts `/bot<token>/`, but a description
    /// Telegram (or a fake) echoes could hold the bare token.
    private func scrubbed(_ error: BotAPIError) -> BotAPIError {
        func scrub(_ text: String) -> String { redactingBotTokens(text).replacing(token, with: "<redacted>") }
        switch error {
        case .api(let code, let description, let retryAfter):
            return .api(errorCode: code, description: scrub(description), retryAfter: retryAfter)
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
