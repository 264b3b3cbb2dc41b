import Glibc
import SrochnoCore
import Testing

/// nginx's micro-cache of everyone's order lists (`location = /api/orders`): one answer for
/// every caller, at most a second behind the database (README: "Everyone's order lists come
/// from a micro-cache"), and nothing else ever kept: the caller's own lists, 401s and the CORS
/// headers of another origin.
/// No assertion here is about speed; the freshness bound is checked by polling: every request
/// sent a second or more after a change sees it.
@Suite struct OrderListCacheTests {
    let stack: TestStack
    let api: OrderAPI

    init() throws {
        stack = try TestStack()
        api = OrderAPI(stack)
    }

    /// The monotonic clock in seconds.
    private static func seconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    /// Lists `query` every 20 ms from `changedAt` (taken after the change's response, so after
    /// its commit) until three answers to requests sent a full second or more later have been
    /// seen, and expects every one of those to show the change: no list is ever served more
    /// than a second behind the database. Answers to earlier requests may show it or not. A
    /// slow machine only delays requests, which cannot make this fail wrongly. Returns the
    /// cache statuses seen, so the caller can tell the cache was in play.
    private func expectShownWithinASecond(
        _ change: String, _ query: String, changedAt: Double, _ shows: (JSONValue) -> Bool
    ) throws -> [String] {
        var statuses: [String] = []
        var late = 0
        while late < 3 {
            let sent = Self.seconds()
            let response = try api.list(query)
            #expect(response.status == 200, "\(response.text)")
            statuses.append(response.headers["x-cache-status"] ?? "none")
            if sent - changedAt >= 1.0 {
                late += 1
                #expect(
                    shows(try response.json()), "\(change): not listed by a request sent \(sent - changedAt) s later (\(statuses.last!))")
            }
            usleep(20_000)
        }
        return statuses
    }

    private func ids(_ body: JSONValue) -> [String] {
        body["orders"]?.orderItems.compactMap { $0["id"]?.stringValue } ?? []
    }

    private func order(_ id: String, in body: JSONValue) -> JSONValue? {
        body["orders"]?.orderItems.first { $0["id"]?.stringValue == id }
    }

    /// Asks until nginx answers from its cache (the first answer of a new list is a miss).
    private func expectServedFromCache(_ query: String, headers: [(String, String)] = []) throws {
        var statuses: [String] = []
        for _ in 0..<20 {
            let response = try stack.client.get("/api/orders?\(query)", headers: headers)
            statuses.append(response.headers["x-cache-status"] ?? "none")
            if statuses.last == "HIT" { return }
        }
        Issue.record("never served from the cache: \(statuses)")
    }

    @Test func everyChangeShowsWithinASecond() throws {
        let city = try api.quietCity()
        let query = "city=\(OrderAPI.encoded(city))"
        let first = try api.createID(OrderDraft(city: city), as: TestUser(stack))
        #expect(ids(try api.list(query).json()) == [first])
        try expectServedFromCache(query)
        var statuses: [String] = []

        // Created.
        let created = try api.createID(OrderDraft(city: city), as: TestUser(stack))
        statuses += try expectShownWithinASecond("created", query, changedAt: Self.seconds()) { ids($0).contains(created) }

        // Taken to its limit (3 executors).
        for _ in 0..<3 {
            let executor = try api.fundedUser(10)
            #expect(try api.take(created, as: executor).status == 200)
        }
        statuses += try expectShownWithinASecond("taken", query, changedAt: Self.seconds()) {
            order(created, in: $0)?["taken_by"]?.orderItems.count == 3
        }

        // Deleted.
        let owner = TestUser(stack)
        let doomed = try api.createID(OrderDraft(city: city), as: owner)
        statuses += try expectShownWithinASecond("created again", query, changedAt: Self.seconds()) { ids($0).contains(doomed) }
        #expect(try api.delete(doomed, as: owner).status == 204)
        statuses += try expectShownWithinASecond("deleted", query, changedAt: Self.seconds()) { !ids($0).contains(doomed) }

        // Expired: its hour moved into the past, as if it had passed (nothing settles it).
        try stack.database().execute(
            sql: """
                UPDATE orders SET created_at = now() - interval '61 minutes', expires_at = now() - interval '1 minute',
                                  due_at = now() - interval '1 minute'
                 WHERE id = $1 AND take_count = 0
                """, [first])
        let expiredAt = Self.seconds()
        statuses += try expectShownWithinASecond("expired", query, changedAt: expiredAt) { body in
            !ids(body).contains(first) && body["total"]?.intValue == 1
        }
        statuses += try expectShownWithinASecond("listed as expired", query + "&status=expired", changedAt: expiredAt) {
            ids($0) == [first]
        }
        // The answers above came from the cache most of the time, or they would prove nothing.
        #expect(statuses.filter { $0 == "HIT" }.count > statuses.count / 2, "\(statuses)")
        #expect(!statuses.contains("STALE") && !statuses.contains("UPDATING"), "\(statuses)")
    }

    @Test func everyCallerGetsTheSameBytesAndNobodyElsesStatus() throws {
        let city = try api.quietCity()
        let query = "city=\(OrderAPI.encoded(city))&limit=5"
        let client = TestUser(stack)
        _ = try api.createID(OrderDraft(city: city), as: client)
        let executor = try api.fundedUser(10)
        let anonymous = try api.list(query)
        let signed = try api.list(query, as: executor)
        let byClient = try api.list(query, as: client)
        let invalid = try stack.client.get("/api/orders?\(query)", headers: [("Authorization", "Bearer query_id=x&hash=00")])
        for response in [anonymous, signed, byClient, invalid] {
            #expect(response.status == 200)
            #expect(response.body == anonymous.body)
            #expect(response.headers["cache-control"] == "no-store")
            #expect(response.headers["x-accel-expires"] == nil, "nginx keeps that header to itself")
            #expect(response.headers["x-content-type-options"] == "nosniff")
        }
        let item = try #require(anonymous.json()["orders"]?.orderItems.first)
        #expect(item["contact"] == .null)
    }

    @Test func ownListsAndRefusalsAreNeverKept() throws {
        let client = TestUser(stack)
        let city = try api.quietCity()
        _ = try api.createID(OrderDraft(city: city), as: client)
        try expectServedFromCache("city=\(OrderAPI.encoded(city))")
        for query in ["mine=true", "taken_by_me=true", "mine=true&city=\(OrderAPI.encoded(city))"] {
            for _ in 0..<3 {
                let unsigned = try api.list(query)
                #expect(unsigned.status == 401, "\(query)")
                #expect(unsigned.headers["x-cache-status"] != "HIT", "\(query)")
                let forged = try stack.client.get("/api/orders?\(query)", headers: [("Authorization", "Bearer user=1&hash=00")])
                #expect(forged.status == 401, "\(query)")
                let own = try api.list(query, as: client)
                #expect(own.status == 200, "\(query)")
                #expect(own.headers["x-cache-status"] == "MISS", "\(query): \(own.headers["x-cache-status"] ?? "none")")
            }
        }
        // A refusal of a public list (422) is the worker's each time too.
        for _ in 0..<3 {
            let refused = try api.list("status=nonsense")
            #expect(refused.status == 422)
            #expect(refused.headers["x-cache-status"] == "MISS")
        }
    }

    @Test func anOriginsCORSHeadersStayWithThatOrigin() throws {
        let city = try api.quietCity()
        let query = "city=\(OrderAPI.encoded(city))"
        _ = try api.createID(OrderDraft(city: city), as: TestUser(stack))
        let origin = [("Origin", CORSTests.allowed)]
        try expectServedFromCache(query, headers: origin)
        let fromOrigin = try stack.client.get("/api/orders?\(query)", headers: origin)
        #expect(fromOrigin.headers["access-control-allow-origin"] == CORSTests.allowed)
        let plain = try api.list(query)
        #expect(plain.headers["access-control-allow-origin"] == nil)
        let other = try stack.client.get("/api/orders?\(query)", headers: [("Origin", "https://elsewhere.example")])
        #expect(other.headers["access-control-allow-origin"] == nil)
        #expect(plain.body == fromOrigin.body)
    }
}
