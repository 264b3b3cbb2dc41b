import Testing

/// CORS through nginx and the workers (SPEC §6): the test stack allows only
/// `http://localhost:10002`; it is echoed with credentials on every response the app makes,
/// preflights answer 204, and any other origin gets no CORS headers at all.
@Suite struct CORSTests {
    static let allowed = "http://localhost:10002"

    private func expectAllowed(_ response: HTTPResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.headers["access-control-allow-origin"] == Self.allowed, "\(response.headers)", sourceLocation: sourceLocation)
        #expect(response.headers["access-control-allow-credentials"] == "true", "\(response.headers)", sourceLocation: sourceLocation)
    }

    private func corsHeaders(_ response: HTTPResult) -> [String] {
        response.headers.keys.filter { $0.hasPrefix("access-control-") }.sorted()
    }

    @Test func anAllowedOriginIsEchoedWithCredentials() throws {
        let stack = try TestStack()
        let response = try stack.client.get("/api/cities?search=\(queryEncoded("Тула"))", headers: [("Origin", Self.allowed)])
        #expect(response.status == 200)
        #expect(response.text.contains("Тула"))
        expectAllowed(response)
    }

    @Test func anAllowedOriginIsEchoedOnAuthenticatedResponses() throws {
        let stack = try TestStack()
        let response = try stack.client.get("/api/users/me", as: TestUser(stack), headers: [("Origin", Self.allowed)])
        #expect(response.status == 200)
        expectAllowed(response)
    }

    @Test func anAllowedOriginIsEchoedOnErrorsFromTheApp() throws {
        let stack = try TestStack()
        let client = stack.client
        let origin = [("Origin", Self.allowed)]
        let errors = [
            try client.get("/api/users/me", headers: origin),
            try client.get("/api/nope", headers: origin),
            try client.send("DELETE", "/api/cities", headers: origin),
            try client.get("/api/cities?search=", headers: origin),
            try client.post("/api/balance/recharge", json: "{", as: TestUser(stack), headers: origin),
        ]
        #expect(errors.map(\.status) == [401, 404, 405, 422, 422])
        for response in errors {
            #expect(response.hasDetail, "body: \(response.text)")
            expectAllowed(response)
        }
    }

    @Test func aPreflightIsAnsweredWithTheAllowedMethodsAndTheRequestedHeaders() throws {
        let stack = try TestStack()
        let response = try stack.client.send(
            "OPTIONS", "/api/orders",
            headers: [
                ("Origin", Self.allowed),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "authorization, content-type, x-custom-header"),
            ])
        #expect(response.status == 204)
        #expect(response.body.isEmpty)
        expectAllowed(response)
        #expect(response.headers["access-control-allow-methods"] == "GET, POST, PUT, DELETE, OPTIONS")
        #expect(response.headers["access-control-allow-headers"] == "authorization, content-type, x-custom-header")
    }

    @Test func aPreflightOnAnAuthenticatedPathNeedsNoAuthentication() throws {
        let stack = try TestStack()
        let response = try stack.client.send(
            "OPTIONS", "/api/users/me/preferences",
            headers: [
                ("Origin", Self.allowed),
                ("Access-Control-Request-Method", "PUT"),
                ("Access-Control-Request-Headers", "Authorization"),
            ])
        #expect(response.status == 204)
        expectAllowed(response)
        #expect(response.headers["access-control-allow-headers"] == "Authorization")
    }

    @Test func anotherOriginGetsNoCORSHeaders() throws {
        let stack = try TestStack()
        let client = stack.client
        let origin = [("Origin", "https://evil.example")]
        let responses = [
            try client.get("/api/cities?search=\(queryEncoded("Тула"))", headers: origin),
            try client.get("/api/users/me", as: TestUser(stack), headers: origin),
            try client.get("/api/users/me", headers: origin),
            try client.get("/api/nope", headers: origin),
        ]
        #expect(responses.map(\.status) == [200, 200, 401, 404])
        for response in responses {
            #expect(corsHeaders(response) == [], "\(response.headers)")
        }
    }

    @Test func aPreflightFromAnotherOriginGetsNoCORSHeaders() throws {
        let stack = try TestStack()
        let response = try stack.client.send(
            "OPTIONS", "/api/orders",
            headers: [
                ("Origin", "http://localhost:10003"),
                ("Access-Control-Request-Method", "POST"),
                ("Access-Control-Request-Headers", "authorization"),
            ])
        #expect(response.status != 204)
        #expect(corsHeaders(response) == [], "\(response.headers)")
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.hasDetail, "body: \(response.text)")
    }

    @Test func aSimilarOriginIsNotAllowed() throws {
        let stack = try TestStack()
        for origin in ["http://localhost:10002.evil.example", "https://localhost:10002", "http://localhost", "null"] {
            let response = try stack.client.get("/health", headers: [("Origin", origin)])
            #expect(response.status == 200)
            #expect(corsHeaders(response) == [], "\(origin): \(response.headers)")
        }
    }

    @Test func noOriginMeansNoCORSHeaders() throws {
        let stack = try TestStack()
        let response = try stack.client.get("/api/cities?search=\(queryEncoded("Тула"))")
        #expect(response.status == 200)
        #expect(corsHeaders(response) == [])
    }
}
