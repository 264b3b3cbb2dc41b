import SrochnoTestSupport
import Testing

/// nginx's per-client-address rate limit (SPEC §9; dev: 200 r/s, burst 400): a flood gets
/// 429 with a JSON body instead of reaching the workers.
@Suite struct RateLimitTests {
    /// Totals shared by the flooding threads.
    struct Tally: Sendable {
        var sent = 0
        var ok = 0
        var limited = 0
        var other: [String] = []
    }

    static let threads = 16
    static let minimumRequests = 600
    static let maximumRequests = 3000
    static let maximumSeconds = 8.0

    @Test func aBurstAboveTheLimitGetsTooManyRequestsAsJSON() throws {
        let stack = try TestStack()
        // A loopback address of its own: the zone is per client address, so the suites
        // running in parallel from 127.0.0.1 keep their whole allowance.
        let client = HTTPClient(host: stack.host, port: stack.port, sourceAddress: "127.0.0.77", timeoutSeconds: 5)
        let tally = SharedBox(Tally())
        let start = monotonicSeconds()
        let results = inParallel(Self.threads) { _ in
            while true {
                let proceed = tally.update { total -> Bool in
                    let enough = total.sent >= Self.minimumRequests && total.limited > 0
                    guard !enough, total.sent < Self.maximumRequests, monotonicSeconds() - start < Self.maximumSeconds else { return false }
                    total.sent += 1
                    return true
                }
                guard proceed else { return }
                let response = try client.get("/api/cities?search=zz")
                tally.update { total in
                    switch response.status {
                    case 200 where response.text == "[]":
                        total.ok += 1
                    case 429 where response.detail == "Too many requests" && response.headers["content-type"] == "application/json":
                        total.limited += 1
                    default:
                        total.other.append("\(response.status) \(response.headers["content-type"] ?? "-") \(response.text)")
                    }
                }
            }
        }
        for result in results {
            if case .failure(let error) = result { Issue.record("request failed: \(error)") }
        }
        let final = tally.current
        #expect(final.limited > 0, "no 429 among \(final.sent) requests in \(monotonicSeconds() - start) s")
        #expect(final.ok >= 400, "the burst allowance should pass: \(final.ok) of \(final.sent) succeeded")
        #expect(final.other.isEmpty, "unexpected answers: \(final.other.prefix(5))")
        #expect(final.ok + final.limited == final.sent)

        // The limit is per client address: 127.0.0.1 is not affected.
        #expect(try stack.client.get("/api/cities?search=zz").status == 200)
    }
}
