import SrochnoCore
import Testing

/// Error shapes through nginx and the workers (SPEC §6, §9): unknown paths, wrong methods,
/// malformed bodies and oversized bodies all answer JSON with a `detail`.
@Suite struct ErrorShapeTests {
    static let settingsPath = "/api/users/me/notification-settings"

    @Test(arguments: [
        "/api/nope", "/api/orders/abc123/nope", "/api/users/me/nope", "/api/users", "/api/balance/transactions/1",
        "/api/balance/payment/abc123/refund", "/api/payments/stars/webhook", "/api", "/nope", "/",
    ])
    func anUnknownPathIsNotFound(_ path: String) throws {
        let stack = try TestStack()
        expectDetail(try stack.client.get(path), 404, "Not Found")
        expectDetail(try stack.client.post(path, json: "{}"), 404, "Not Found")
    }

    @Test(arguments: [
        ("DELETE", "/api/balance"), ("POST", "/api/cities"), ("PUT", "/api/users/me"), ("POST", "/health"),
        ("DELETE", "/api/users/me/preferences"), ("GET", "/api/balance/recharge"), ("PATCH", "/api/orders"),
        ("POST", "/api/orders/abc123"), ("GET", "/api/orders/abc123/take"),
        ("POST", "/api/balance/payment/abc123/status"), ("GET", "/api/balance/create-invoice"),
    ])
    func aKnownPathWithAnotherMethodIsMethodNotAllowed(_ method: String, _ path: String) throws {
        let stack = try TestStack()
        let body: [UInt8]? = method == "GET" || method == "DELETE" ? nil : Array("{}".utf8)
        expectDetail(try stack.client.send(method, path, body: body), 405, "Method Not Allowed")
    }

    @Test(arguments: [#"{"enabled": tru}"#, #"{"enabled": true"#, "{'enabled': true}", #"{"a": 1,}"#])
    func malformedJSONIsRejected(_ body: String) throws {
        let stack = try TestStack()
        let response = try stack.client.put(Self.settingsPath, json: body, as: TestUser(stack))
        #expect(response.status == 422, "body: \(response.text)")
        #expect(response.validationTypes == ["json_invalid"], "body: \(response.text)")
        #expect(response.validationLocations.first?.first == "body")
        #expect(response.headers["content-type"] == "application/json")
    }

    @Test func aBodyThatIsNotUTF8IsRejected() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let body: [UInt8] = Array(#"{"categories": [""#.utf8) + [0xD0, 0xFF, 0xC3] + Array(#""]}"#.utf8)
        let response = try stack.client.send("PUT", "/api/users/me/preferences", headers: [user.authorization], body: body)
        #expect(response.status == 422, "body: \(response.text)")
        #expect(response.validationTypes == ["json_invalid"])
        #expect(response.validationLocations == [["body"]])
        #expect(try stack.client.get("/api/users/me/preferences", as: user).text == #"{"categories":[],"cities":[]}"#)
    }

    @Test(arguments: ["[]", #"[{"enabled": true}]"#, "42", #""text""#, "null"])
    func aBodyThatIsNotAnObjectIsRejected(_ body: String) throws {
        let stack = try TestStack()
        let response = try stack.client.put(Self.settingsPath, json: body, as: TestUser(stack))
        #expect(response.status == 422, "body: \(response.text)")
        #expect(response.validationLocations == [["body"]], "body: \(response.text)")
        #expect(response.validationTypes == ["model_attributes_type"])
    }

    @Test func deeplyNestedJSONIsRejectedNotACrash() throws {
        let stack = try TestStack()
        let body = String(repeating: "[", count: 20_000) + String(repeating: "]", count: 20_000)
        let response = try stack.client.put(Self.settingsPath, json: body, as: TestUser(stack))
        #expect(response.status == 422, "body: \(response.text.prefix(200))")
        #expect(response.validationTypes == ["json_invalid"])
    }

    @Test(arguments: ["1e400", "99999999999999999999999", "-99999999999999999999999"])
    func numbersBeyondAnIntegerAreRejected(_ number: String) throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let response = try stack.client.put(Self.settingsPath, json: #"{"frequency": \#(number)}"#, as: user)
        #expect(response.status == 422, "body: \(response.text)")
        #expect(response.hasDetail)
        #expect(try stack.client.get(Self.settingsPath, as: user).text == #"{"enabled":false,"frequency":10}"#)
    }

    @Test func unknownFieldsAreIgnored() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let response = try stack.client.put(
            Self.settingsPath, json: #"{"frequency": 6, "colour": "red", "nested": {"a": [1, 2]}}"#, as: user)
        #expect(response.status == 200, "body: \(response.text)")
        #expect(response.text == #"{"success":true}"#)
        #expect(try stack.client.get(Self.settingsPath, as: user).text == #"{"enabled":false,"frequency":6}"#)
    }

    @Test func aBodyOverSixtyFourKibibytesIsTooLarge() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let body = paddedJSON(#"{"frequency": 7}"#, toBytes: 64 * 1024 + 1)
        let response = try stack.client.send("PUT", Self.settingsPath, headers: [user.authorization], body: body)
        expectDetail(response, 413, "Request body too large")
        #expect(try stack.client.get(Self.settingsPath, as: user).text == #"{"enabled":false,"frequency":10}"#)
    }

    @Test func aBodyOfExactlySixtyFourKibibytesIsAccepted() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let body = paddedJSON(#"{"frequency": 7}"#, toBytes: 64 * 1024)
        let response = try stack.client.send("PUT", Self.settingsPath, headers: [user.authorization], body: body)
        #expect(response.status == 200, "body: \(response.text)")
        #expect(response.text == #"{"success":true}"#)
        #expect(try stack.client.get(Self.settingsPath, as: user).text == #"{"enabled":false,"frequency":7}"#)
    }

    @Test func everyErrorIsJSONWithADetail() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let client = stack.client
        let responses: [(String, HTTPResult)] = [
            ("404 app", try client.get("/api/nope")),
            ("404 nginx", try client.get("/static/app.js")),
            ("405", try client.send("DELETE", "/api/cities")),
            ("401 missing", try client.get("/api/balance")),
            ("401 invalid", try client.get("/api/balance", headers: [("Authorization", "Bearer query_id=1&hash=00")])),
            ("422 query", try client.get("/api/cities?search=")),
            ("422 body", try client.post("/api/balance/recharge", json: #"{"amount": "x"}"#, as: user)),
            ("422 json", try client.post("/api/balance/recharge", json: "{", as: user)),
            ("422 query string", try client.get("/api/balance/transactions?limit=%ZZ", as: user)),
            ("413", try client.send("PUT", Self.settingsPath, headers: [user.authorization], body: [UInt8](repeating: 32, count: 70_000))),
            ("400 bad escape", try client.get("/api/orders/%ZZ")),
            (
                "400 header too large",
                try client.get("/api/balance", headers: [("Authorization", "Bearer " + String(repeating: "a", count: 9000))])
            ),
            ("414", try client.get("/api/cities?search=" + String(repeating: "a", count: 9000))),
        ]
        for (name, response) in responses {
            #expect((400...499).contains(response.status), "\(name): \(response.status) \(response.text)")
            #expect(response.headers["content-type"] == "application/json", "\(name): \(response.headers)")
            #expect(response.hasDetail, "\(name): \(response.text)")
        }
    }
}

/// `prefix` (a JSON object) followed by spaces up to exactly `count` bytes: still valid JSON.
func paddedJSON(_ prefix: String, toBytes count: Int) -> [UInt8] {
    let bytes = Array(prefix.utf8)
    return bytes + [UInt8](repeating: UInt8(ascii: " "), count: count - bytes.count)
}
