import Testing

/// The stack answers through nginx at all; every other end-to-end suite builds on this.
@Suite struct StackSmokeTests {
    @Test func healthIsHealthyThroughNginx() throws {
        let stack = try TestStack()
        let response = try stack.client.get("/health")
        #expect(response.status == 200)
        #expect(response.text == #"{"status":"healthy"}"#)
        #expect(response.headers["content-type"] == "application/json")
    }
}
