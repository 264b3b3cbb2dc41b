import SrochnoCore
import SrochnoHTTPClient

/// Telegram wraps every answer, whatever its HTTP status, in `{"ok": true, "result": …}` or
/// `{"ok": false, "error_code": …, "description": …, "parameters": {"retry_after": …}}`; the
/// envelope, not the status, says whether the call worked.
enum BotAPIEnvelope {
    static func result(of response: HTTPClient.Response) throws(BotAPIError) -> JSONValue {
        let envelope: JSONValue
        do {
            envelope = try JSONParser.parse(response.body)
        } catch {
            // The body itself stays out of the error: it is not Telegram's and may be large.
            let type = response.contentType.map { " (\($0))" } ?? ""
            throw .invalidResponse(status: response.status, reason: "the body is not JSON\(type)")
        }
        switch envelope["ok"] {
        case .bool(true):
            guard let result = envelope["result"] else {
                throw .invalidResponse(status: response.status, reason: "\"ok\": true without a result")
            }
            return result
        case .bool(false):
            let code = envelope["error_code"]?.intValue.map(Int.init) ?? response.status
            let description = envelope["description"]?.stringValue ?? ""
            // Telegram puts the wait in `parameters`; the HTTP header is the fallback.
            let retryAfter = envelope["parameters"]?["retry_after"]?.intValue.map(Int.init) ?? response.retryAfterSeconds
            throw .api(errorCode: code, description: description, retryAfter: retryAfter)
        default:
            throw .invalidResponse(status: response.status, reason: "no boolean \"ok\" in the answer")
        }
    }
}
