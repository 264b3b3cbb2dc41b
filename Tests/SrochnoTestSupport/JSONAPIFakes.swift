/// `text` as UTF-8 bytes, for a JSON body.
public func jsonBytes(_ text: String) -> [UInt8] { Array(text.utf8) }

/// A fake JSON API (the Bot API, Crypto Pay) answering every call with `body` as
/// `application/json` and HTTP `status`.
public func fakeJSONAPI(status: Int = 200, maxRequests: Int = 2, _ body: String) -> FakeHTTPServer {
    FakeHTTPServer(maxRequests: maxRequests) { _ in
        .respond(status: status, headers: [("Content-Type", "application/json")], body: jsonBytes(body))
    }
}

/// Every way a test or a log line could print `value`: its description, its debug
/// description and `dump` (which walks its mirror), so a test can check none shows a secret.
public func printedForms(of value: Any) -> [String] {
    var dumped = ""
    dump(value, to: &dumped)
    return [String(describing: value), String(reflecting: value), dumped]
}
