import Testing

/// Headers every client and cache on the way relies on: no caching of signed answers, no
/// content sniffing, `Allow` on 405, and HEAD describing exactly what GET sends.
@Suite struct ResponseHeaderTests {
    let stack: TestStack

    init() throws { stack = try TestStack() }

    @Test func signedAnswersAreNeverStored() throws {
        let user = TestUser(stack)
        for path in ["/api/users/me", "/api/balance", "/api/orders?limit=1", "/api/cities?search=Моск"] {
            let response = try stack.client.get(path, as: user)
            #expect(response.status == 200, "\(path): \(response.text)")
            #expect(response.headers["cache-control"] == "no-store", "\(path)")
        }
        // An answer that depends on no one may be cached.
        #expect(try stack.client.get("/api/cities?search=Моск").headers["cache-control"] == nil)
    }

    @Test func everyResponseForbidsContentSniffing() throws {
        let user = TestUser(stack)
        let responses = [
            try stack.client.get("/health"),  // the worker
            try stack.client.get("/api/users/me", as: user),  // the worker, signed
            try stack.client.get("/api/users/me"),  // the worker's 401
            try stack.client.get("/api/no-such-thing"),  // the worker's 404
            try stack.client.get("/no-such-thing.html"),  // nginx's own 404
            try stack.client.post("/api/orders", json: String(repeating: "x", count: 70_000), as: user),  // nginx's 413
        ]
        for response in responses {
            #expect(response.headers["x-content-type-options"] == "nosniff", "\(response.status) \(response.text)")
        }
    }

    @Test func methodNotAllowedListsTheAllowedMethods() throws {
        let cities = try stack.client.send("DELETE", "/api/cities")
        #expect(cities.status == 405)
        #expect(cities.detail == "Method Not Allowed")
        #expect(cities.headers["allow"] == "GET, HEAD")
        let order = try stack.client.send("POST", "/api/orders/AAAAAAAAAAAA")
        #expect(order.status == 405)
        #expect(order.headers["allow"] == "GET, HEAD, PUT, DELETE")
        let preferences = try stack.client.send("DELETE", "/api/users/me/preferences")
        #expect(preferences.headers["allow"] == "GET, HEAD, PUT")
    }

    @Test func headReportsTheContentLengthOfGet() throws {
        for path in ["/api/cities", "/api/cities?search=Сан", "/health", "/api/openapi.json"] {
            let get = try stack.client.get(path)
            let head = try stack.client.send("HEAD", path)
            #expect(get.status == 200 && head.status == 200, "\(path)")
            #expect(head.body.isEmpty, "\(path)")
            #expect(
                head.headers["content-length"] == String(get.body.count),
                "\(path): HEAD \(head.headers["content-length"] ?? "none"), GET \(get.body.count)")
        }
    }
}
