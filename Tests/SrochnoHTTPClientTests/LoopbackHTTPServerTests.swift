import Glibc
import SrochnoHTTPClient
import SrochnoTestSupport
import Testing

private let limits = HTTPClient.Limits(connectTimeoutMilliseconds: 2_000, totalTimeoutMilliseconds: 5_000, maxResponseBytes: 64 * 1024)

private func get(_ client: HTTPClient, _ url: String, totalTimeoutMilliseconds: Int = 5_000) throws -> HTTPClient.Response {
    var bounds = limits
    bounds.totalTimeoutMilliseconds = totalTimeoutMilliseconds
    return try client.send(HTTPClient.Request(method: .get, url: url), limits: bounds)
}

/// The fixed-port, thread-per-connection server the provider fakes run on, checked with the
/// project's own libcurl client (which keeps its connection alive, as the workers' do).
@Suite struct LoopbackHTTPServerTests {
    @Test func answersKeepAliveRequestsAndRecordsThem() throws {
        let server = try LoopbackHTTPServer { request in .respond(status: 200, body: Array(request.target.utf8)) }
        defer { server.stop() }
        let client = try HTTPClient()
        #expect(try get(client, server.baseURL + "/one").body == Array("/one".utf8))
        #expect(try get(client, server.baseURL + "/two").body == Array("/two".utf8))
        #expect(server.requests.map(\.target) == ["/one", "/two"])
        #expect(server.connectionCount == 1, "libcurl kept its connection for the second request")
    }

    /// One connection held by a request the server never answers does not keep another
    /// client's request waiting: each connection has its own thread.
    @Test func servesConnectionsSideBySide() throws {
        let server = try LoopbackHTTPServer { request in
            request.target == "/stall" ? .silent : .respond(status: 200, body: Array("ok".utf8))
        }
        defer { server.stop() }
        let results = inParallel(2) { index -> Int in
            let client = try HTTPClient()
            if index == 0 {
                _ = try? get(client, server.baseURL + "/stall", totalTimeoutMilliseconds: 1_500)
                return 0
            }
            // Only once the first request is being held.
            for _ in 0..<200 where !server.requests.contains(where: { $0.target == "/stall" }) { usleep(10_000) }
            return try get(client, server.baseURL + "/fine").status
        }
        #expect(try results[1].get() == 200)
        #expect(Set(server.requests.map(\.target)) == ["/stall", "/fine"])
    }

    /// What every end-to-end test relies on: the next test binds the same port at once, and a
    /// client that kept a connection to the stopped server reconnects to the new one.
    @Test func theSamePortServesAgainRightAfterAStop() throws {
        let first = try LoopbackHTTPServer { _ in .respond(status: 200, body: Array("first".utf8)) }
        let client = try HTTPClient()
        #expect(try get(client, first.baseURL + "/").body == Array("first".utf8))
        first.stop()

        let second = try LoopbackHTTPServer(port: first.port) { _ in .respond(status: 200, body: Array("second".utf8)) }
        defer { second.stop() }
        #expect(second.port == first.port)
        #expect(try get(client, second.baseURL + "/").body == Array("second".utf8))
        #expect(second.connectionCount == 1)
    }

    @Test func aStoppedServerRefusesConnections() throws {
        let server = try LoopbackHTTPServer { _ in .respond(status: 200) }
        server.stop()
        server.stop()  // a second stop does nothing
        let error = #expect(throws: HTTPClientError.self) { try get(HTTPClient(), server.baseURL + "/") }
        guard case .connectFailed? = error else {
            Issue.record("expected a refused connection, got \(String(describing: error))")
            return
        }
    }

    @Test func aPortInUseIsAnErrorNotACrash() throws {
        let holder = try LoopbackHTTPServer { _ in .respond(status: 200) }
        defer { holder.stop() }
        let error = #expect(throws: LoopbackServerError.self) { try LoopbackHTTPServer(port: holder.port) { _ in .respond(status: 200) } }
        #expect(error?.description.contains("127.0.0.1:\(holder.port)") == true)
    }
}
