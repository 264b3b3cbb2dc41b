import SrochnoCore
import SrochnoHTTPClient

/// Crypto Pay wraps every answer, whatever its HTTP status, in `{"ok": true, "result": …}` or
/// `{"ok": false, "error": {"code": …, "name": …}}`; the envelope, not the status, says
/// whether the call worked.
enum CryptoPayEnvelope {
    static func result(of response: HTTPClient.Response) throws(CryptoPayError) -> JSONValue {
        let envelope: JSONValue
        do {
            envelope = try JSONParser.parse(response.body)
        } catch {
            // The body itself stays out of the error: it is not Crypto Pay's and may be large.
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
            let error = envelope["error"]
            let code = error?["code"]?.intValue.map(Int.init) ?? response.status
            // Older answers (and some proxies) put the name as a bare string in `error`.
            let name = error?["name"]?.stringValue ?? error?.stringValue ?? ""
            throw .api(code: code, name: name)
        default:
            throw .invalidResponse(status: response.status, reason: "no boolean \"ok\" in the answer")
        }
    }
}
