import Testing

/// `GET /health` through nginx (SPEC §6 Service).
@Suite struct ServiceTests {
    @Test func healthAnswersHealthyWhenTheDatabaseAnswers() throws {
        let stack = try TestStack()
        let response = try stack.client.get("/health")
        #expect(response.status == 200)
        #expect(try response.json() == .object([("status", .string("healthy"))]))
        #expect(response.headers["content-type"] == "application/json")
    }

    @Test func healthNeedsNoAuthenticationAndIgnoresAnInvalidOne() throws {
        let stack = try TestStack()
        let response = try stack.client.get("/health", headers: [("Authorization", "Bearer not-init-data")])
        #expect(response.status == 200)
        #expect(response.text == #"{"status":"healthy"}"#)
    }
}
