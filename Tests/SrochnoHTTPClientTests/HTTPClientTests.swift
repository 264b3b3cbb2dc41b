import SrochnoHTTPClient
import SrochnoTestSupport
import Testing

private let limits = HTTPClient.Limits(connectTimeoutMilliseconds: 2_000, totalTimeoutMilliseconds: 5_000, maxResponseBytes: 64 * 1024)

@Suite struct HTTPClientTests {
    @Test func roundTripSendsWhatWasAskedAndReusesTheConnection() throws {
        let server = FakeHTTPServer(maxRequests: 2) { request in
            .respond(
                status: 200,
                headers: [("Content-Type", "application/json"), ("Retry-After", "7"), ("X-Seen-Method", request.method)],
                body: Array(#"{"ok":true}"#.utf8)
            )
        }
        let client = try HTTPClient()
        let body = Array(#"{"a":1,"text":"Привет"}"#.utf8)
        let posted = try client.send(
            HTTPClient.Request(
                method: .post,
                url: server.baseURL + "/path/x?q=1",
                headers: [("Content-Type", "application/json"), ("X-Test", "yes"), ("X-Empty", "")],
                body: body
            ),
            limits: limits
        )
        let fetched = try client.send(HTTPClient.Request(method: .get, url: server.baseURL + "/second"), limits: limits)
        let seen = server.finish()

        #expect(posted.status == 200)
        #expect(posted.body == Array(#"{"ok":true}"#.utf8))
        #expect(posted.contentType == "application/json")
        #expect(posted.header("content-type") == "application/json")
        #expect(posted.retryAfterSeconds == 7)
        #expect(posted.header("X-Seen-Method") == "POST")
        #expect(fetched.header("X-Seen-Method") == "GET")

        try #require(seen.requests.count == 2)
        let first = seen.requests[0]
        #expect(first.method == "POST")
        #expect(first.target == "/path/x?q=1")
        #expect(first.header("content-type") == "application/json")
        #expect(first.header("x-test") == "yes")
        #expect(first.header("x-empty") == "")
        #expect(first.header("expect") == nil)
        #expect(first.header("content-length") == String(body.count))
        #expect(first.body == body)
        #expect(seen.requests[1].method == "GET")
        #expect(seen.requests[1].target == "/second")
        #expect(seen.requests[1].body.isEmpty)
        #expect(seen.connections == 1, "the second call should reuse the first call's connection")
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        let server = FakeHTTPServer(maxRequests: 1) { _ in .silent }
        let client = try HTTPClient()
        let quick = HTTPClient.Limits(connectTimeoutMilliseconds: 300, totalTimeoutMilliseconds: 300, maxResponseBytes: 1024)
        let clock = ContinuousClock()
        let started = clock.now
        let error = #expect(throws: HTTPClientError.self) {
            try client.send(HTTPClient.Request(method: .get, url: server.baseURL + "/slow"), limits: quick)
        }
        let elapsed = clock.now - started
        _ = server.finish()
        guard case .timeout? = error else {
            Issue.record("expected a timeout, got \(String(describing: error))")
            return
        }
        #expect(elapsed < .seconds(5))
    }

    @Test func aRefusedConnectionIsAConnectFailure() throws {
        let refusing = RefusingPort()
        let client = try HTTPClient()
        let error = #expect(throws: HTTPClientError.self) {
            try client.send(HTTPClient.Request(method: .get, url: "http://127.0.0.1:\(refusing.port)/"), limits: limits)
        }
        guard case .connectFailed? = error else {
            Issue.record("expected a connect failure, got \(String(describing: error))")
            return
        }
    }

    @Test(arguments: [false, true])
    func aBodyOverTheCapIsTooLarge(chunked: Bool) throws {
        let big = [UInt8](repeating: UInt8(ascii: "x"), count: 20_000)
        let server = FakeHTTPServer(maxRequests: 1) { _ in
            chunked ? .respondChunked(status: 200, body: big) : .respond(status: 200, body: big)
        }
        let client = try HTTPClient()
        let small = HTTPClient.Limits(connectTimeoutMilliseconds: 2_000, totalTimeoutMilliseconds: 5_000, maxResponseBytes: 1_000)
        #expect(throws: HTTPClientError.responseTooLarge(limit: 1_000)) {
            try client.send(HTTPClient.Request(method: .get, url: server.baseURL + "/big"), limits: small)
        }
        _ = server.finish()
    }

    @Test func aBodyExactlyAtTheCapIsAccepted() throws {
        let body = [UInt8](repeating: UInt8(ascii: "y"), count: 1_000)
        let server = FakeHTTPServer(maxRequests: 1) { _ in .respondChunked(status: 200, body: body) }
        let client = try HTTPClient()
        let capped = HTTPClient.Limits(connectTimeoutMilliseconds: 2_000, totalTimeoutMilliseconds: 5_000, maxResponseBytes: 1_000)
        let response = try client.send(HTTPClient.Request(method: .get, url: server.baseURL + "/exact"), limits: capped)
        _ = server.finish()
        #expect(response.body == body)
    }

    @Test func aRedirectIsReturnedNotFollowed() throws {
        let server = FakeHTTPServer(maxRequests: 2) { request in
            request.target == "/start"
                ? .respond(status: 302, headers: [("Location", "/elsewhere")])
                : .respond(status: 200, body: Array("followed".utf8))
        }
        let client = try HTTPClient()
        let response = try client.send(HTTPClient.Request(method: .post, url: server.baseURL + "/start", body: [1]), limits: limits)
        let seen = server.finish()
        #expect(response.status == 302)
        #expect(response.header("Location") == "/elsewhere")
        #expect(seen.requests.map(\.target) == ["/start"])
    }

    @Test func httpsToAPlainTextServerIsATLSFailure() throws {
        let server = FakeHTTPServer(maxRequests: 1, greeting: Array("HTTP/1.1 400 Not TLS\r\nContent-Length: 0\r\n\r\n".utf8)) { _ in
            .respond(status: 400)
        }
        let client = try HTTPClient()
        let error = #expect(throws: HTTPClientError.self) {
            try client.send(HTTPClient.Request(method: .get, url: "https://127.0.0.1:\(server.port)/"), limits: limits)
        }
        _ = server.finish()
        guard case .tlsFailed? = error else {
            Issue.record("expected a TLS failure, got \(String(describing: error))")
            return
        }
    }

    @Test(arguments: ["file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1/"])
    func onlyHTTPAndHTTPSAreAllowed(url: String) throws {
        let client = try HTTPClient()
        let error = #expect(throws: HTTPClientError.self) {
            try client.send(HTTPClient.Request(method: .get, url: url), limits: limits)
        }
        guard case .other? = error else {
            Issue.record("expected an unsupported protocol, got \(String(describing: error))")
            return
        }
    }

    @Test func requestsThatWouldSplitOrHaveNoLimitsAreRefusedBeforeSending() throws {
        let client = try HTTPClient()
        let injected = HTTPClient.Request(method: .get, url: "http://127.0.0.1:9/", headers: [("X-A", "1\r\nX-Evil: 2")])
        let badName = HTTPClient.Request(method: .get, url: "http://127.0.0.1:9/", headers: [("X A", "1")])
        let spacedURL = HTTPClient.Request(method: .get, url: "http://127.0.0.1:9/a b")
        let plain = HTTPClient.Request(method: .get, url: "http://127.0.0.1:9/")
        let unbounded = HTTPClient.Limits(connectTimeoutMilliseconds: 1_000, totalTimeoutMilliseconds: 0, maxResponseBytes: 1)
        for (request, bounds) in [(injected, limits), (badName, limits), (spacedURL, limits), (plain, unbounded)] {
            let error = #expect(throws: HTTPClientError.self) { try client.send(request, limits: bounds) }
            guard case .invalidRequest? = error else {
                Issue.record("expected an invalid request, got \(String(describing: error))")
                continue
            }
        }
    }

    @Test func botTokensAreRedacted() {
        #expect(
            redactingBotTokens("POST https://api.telegram.org/bot123456:AAE-x_y/sendMessage failed")
                == "POST https://api.telegram.org/bot<redacted>/sendMessage failed"
        )
        #expect(redactingBotTokens("see /bot123:abc?x=1 and /bot") == "see /bot<redacted>?x=1 and /bot")
        #expect(redactingBotTokens("nothing secret here") == "nothing secret here")
    }
}
