import SrochnoCore
import SrochnoHTTPClient

/// Telegram's refusal is `{"ok": false, "error_code": …, "description": …, "parameters":
/// {"retry_after": …}}`; the envelope, not the HTTP status, says whether the call worked.
enum BotAPIEnvelope {
    static func result(of response: HTTPClient.Response) throws(BotAPIError) -> JSONValue {
        try JSONAPIEnvelope.result(of: response, invalidResponse: BotAPIError.invalidResponse) { envelope in
            let code = envelope["error_code"]?.intValue.map(Int.init) ?? response.status
            let description = envelope["description"]?.stringValue ?? ""
            // Telegram puts the wait in `parameters`; the HTTP header is the fallback.
            let retryAfter = envelope["parameters"]?["retry_after"]?.intValue.map(Int.init) ?? response.retryAfterSeconds
            return .api(errorCode: code, description: description, retryAfter: retryAfter)
        }
    }
}
