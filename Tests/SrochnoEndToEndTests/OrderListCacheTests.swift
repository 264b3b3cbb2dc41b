import Glibc
import SrochnoCore
import Testing

/// nginx's micro-cache of everyone's order lists (`location = /api/orders`): one answer for
/// every caller, at most a second behind the database (README, "Order lists"), and nothing
/// else ever kept: the caller's own lists, 401s and the CORS headers of another origin.
/// No assertion here is about speed; the freshness bound is checked by polling.
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

    /// Lists `query` every 20 ms until `shows` holds for the answer, for at most 1.5 s after
    /// `changedAt`: the bound is one second, plus room for one refresh and a busy machine.
    /// Returns the seconds it took, or nil if the list never showed it.
    private func secondsUntilListed(
        _ query: String, changedAt: Double, _ shows: (JSONValue) -> Bool
    ) throws -> Double? {
        while true {
            let response = try api.list(query)
            #expect(response.status == 200, "\(response.text)")
            if shows(try response.json()) { return Self.seconds() - changedAt }
            if Self.seconds() - changedAt > 1.5 { return nil }
            usleep(20_000)
        }
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

        // Created.
        var changed = Self.seconds()
        let created = try api.createID(OrderDraft(city: city), as: TestUser(stack))
        let createdAfter = try secondsUntilListed(query, changedAt: changed) { ids($0).contains(created) }
        #expect(createdAfter != nil, "a new order was not listed within 1.5 s")

        // Taken to its limit (3 executors).
        for _ in 0..<3 {
            let executor = try api.fundedUser(10)
            #expect(try api.take(created, as: executor).status == 200)
        }
        changed = Self.seconds()
        let takenAfter = try secondsUntilListed(query, changedAt: changed) {
            order(created, in: $0)?["taken_by"]?.orderItems.count == 3
        }
        #expect(takenAfter != nil, "the third take was not listed within 1.5 s")

        // Deleted.
        let owner = TestUser(stack)
        let doomed = try api.createID(OrderDraft(city: city), as: owner)
        _ = try secondsUntilListed(query, changedAt: Self.seconds()) { ids($0).contains(doomed) }
        changed = Self.seconds()
        #expect(try api.delete(doomed, as: owner).status == 204)
        let deletedAfter = try secondsUntilListed(query, changedAt: changed) { !ids($0).contains(doomed) }
        #expect(deletedAfter != nil, "a deleted order was still listed after 1.5 s")

        // Expired: its hour moved into the past, as if it had passed (nothing settles it).
        changed = Self.seconds()
        try stack.database().execute(
            sql: """
                UPDATE orders SET created_at = now() - interval '61 minutes', expires_at = now() - interval '1 minute',
                                  due_at = now() - interval '1 minute'
                 WHERE id = $1 AND take_count = 0
                """, [first])
        let expiredAfter = try secondsUntilListed(query, changedAt: changed) { body in
            !ids(body).contains(first) && body["total"]?.intValue == 1
        }
        #expect(expiredAfter != nil, "an expired order was still listed as active after 1.5 s")
        let expired = try secondsUntilListed(query + "&status=expired", changedAt: changed) { ids($0) == [first] }
        #expect(expired != nil, "the expired list did not show it")
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
