public import SrochnoCore
import SrochnoHTTPClient

/// Calls Telegram's Bot API: `POST {base}/bot{token}/{method}` with a JSON body, one
/// synchronous call at a time on one reused connection.
///
/// Not thread-safe and not `Sendable` (it owns an `HTTPClient`): one per worker process or
/// job, created after any `fork`.
public final class BotAPIClient {
    private let endpoint: JSONAPIEndpoint

    public init(configuration: BotAPIConfiguration) throws(BotAPIError) {
        endpoint = try JSONAPIEndpoint(
            configuration: configuration,
            apiName: "Bot API",
            tokenName: "bot token",
            methodPath: { "bot\($0)/" },
            invalidConfiguration: BotAPIError.invalidConfiguration,
            transportError: BotAPIError.transport
        )
    }

    /// Calls `method` (e.g. `sendMessage`) with `parameters` as a JSON object and returns the
    /// envelope's `result`. Telegram's refusals (`"ok": false`) throw `.api`.
    /// `method` is a Bot API method name, letters only; anything else is a programming error.
    public func call(_ method: String, parameters: [(key: String, value: JSONValue)] = []) throws(BotAPIError) -> JSONValue {
        do {
            return try endpoint.call(method, parameters: parameters, transportError: BotAPIError.transport, decode: BotAPIEnvelope.result)
        } catch {
            throw scrubbed(error)
        }
    }

    /// Defense in depth: HTTPClient already redacts `/bot<token>/`, but a description
    /// Telegram (or a fake) echoes could hold the bare token.
    private func scrubbed(_ error: BotAPIError) -> BotAPIError {
        func scrub(_ text: String) -> String { endpoint.redactingToken(redactingBotTokens(text)) }
        switch error {
        case .api(let code, let description, let retryAfter):
            return .api(errorCode: code, description: scrub(description), retryAfter: retryAfter)
        case .transport(let error): return .transport(error.mappingMessage(scrub))
        case .invalidResponse, .invalidConfiguration: return error
        }
    }
}
