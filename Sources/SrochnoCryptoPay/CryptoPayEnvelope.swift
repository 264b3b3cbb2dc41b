import SrochnoCore
import SrochnoHTTPClient

/// Crypto Pay's refusal is `{"ok": false, "error": {"code": …, "name": …}}`; the envelope,
/// not the HTTP status, says whether the call worked.
enum CryptoPayEnvelope {
    static func result(of response: HTTPClient.Response) throws(CryptoPayError) -> JSONValue {
        try JSONAPIEnvelope.result(of: response, invalidResponse: CryptoPayError.invalidResponse) { envelope in
            let error = envelope["error"]
            let code = error?["code"]?.intValue.map(Int.init) ?? response.status
            // Older answers (and some proxies) put the name as a bare string in `error`.
            let name = error?["name"]?.stringValue ?? error?.stringValue ?? ""
            return .api(code: code, name: name)
        }
    }
}
