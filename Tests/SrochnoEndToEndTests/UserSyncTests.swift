import SrochnoPostgres
import Testing

/// SPEC §2: a verified caller's users row is created on first sight and refreshed when its
/// Telegram fields change, on every path, including those that check the row inside their own
/// statement (profile, order reads, lists, take) and those that fail after authentication;
/// everyone's lists do so whenever a worker answers them, not when nginx's cache does.
@Suite struct UserSyncTests {
    let stack: TestStack

    init() throws {
        stack = try TestStack()
    }

    private func storedFirstName(_ user: TestUser) throws -> String? {
        let rows = try stack.database().execute(sql: "SELECT first_name FROM users WHERE id = $1::bigint", [user.id])
        return rows.rowCount == 1 ? rows.string(0, 0) ?? "NULL" : nil
    }

    private func signed(_ user: TestUser, firstName: String) -> [(String, String)] {
        [("Authorization", "Bearer " + user.initData(firstName: firstName))]
    }

    /// Each request, sent first as a new user and then with a changed first name.
    private func expectStoredAndRefreshed(
        _ name: String, _ request: (TestUser, [(String, String)]) throws -> HTTPResult,
        expecting status: Int
    ) throws {
        let user = TestUser(stack, firstName: "Первое")
        #expect(try request(user, signed(user, firstName: "Первое")).status == status, "\(name), first sight")
        #expect(try storedFirstName(user) == "Первое", "\(name): created on first sight")
        #expect(try request(user, signed(user, firstName: "Второе")).status == status, "\(name), changed")
        #expect(try storedFirstName(user) == "Второе", "\(name): refreshed")
    }

    /// An everyone's list nginx answers from its micro-cache never reaches a worker, so it
    /// stores nobody (README: "Everyone's order lists come from a micro-cache"); one that
    /// reaches a worker stores its caller like any other request. Which of the two happened is
    /// what `X-Cache-Status` says.
    @Test func aCachedListReachesNoWorker() throws {
        let path = "/api/orders?limit=2&offset=\(Int.random(in: 1000..<9000))"
        var sawHit = false
        for _ in 0..<5 {
            #expect(try stack.client.get(path).status == 200)
            let user = TestUser(stack, firstName: "Первое")
            let response = try stack.client.get(path, headers: signed(user, firstName: "Первое"))
            #expect(response.status == 200)
            switch response.headers["x-cache-status"] {
            case "HIT":
                sawHit = true
                #expect(try storedFirstName(user) == nil, "answered by nginx, yet stored")
            case "MISS", "EXPIRED":
                #expect(try storedFirstName(user) == "Первое", "answered by a worker, yet not stored")
            case let other:
                Issue.record("X-Cache-Status: \(other ?? "none")")
            }
        }
        #expect(sawHit, "the second of two requests never came from the cache")
    }

    @Test func everyFoldedPathStoresTheCaller() throws {
        let order = try stack.createOrder(by: TestUser(stack))
        let client = stack.client
        try expectStoredAndRefreshed("users/me", { _, headers in try client.get("/api/users/me", headers: headers) }, expecting: 200)
        try expectStoredAndRefreshed("order", { _, headers in try client.get("/api/orders/\(order)", headers: headers) }, expecting: 200)
        try expectStoredAndRefreshed(
            "unknown order", { _, headers in try client.get("/api/orders/AAAAAAAAAAAA", headers: headers) },
            expecting: 404)
        try expectStoredAndRefreshed(
            "malformed order id", { _, headers in try client.get("/api/orders/x", headers: headers) },
            expecting: 404)
        // Everyone's lists: each request is a list no one asked for yet (its own offset), so
        // nginx's micro-cache cannot answer it and a worker does (`aCachedListReachesNoWorker`).
        var offset = Int.random(in: 1000..<9000)
        func unseen(_ path: String) -> String {
            offset += 1
            return "\(path)&offset=\(offset)"
        }
        try expectStoredAndRefreshed(
            "list", { _, headers in try client.get(unseen("/api/orders?limit=1"), headers: headers) }, expecting: 200)
        try expectStoredAndRefreshed("mine", { _, headers in try client.get("/api/orders?mine=true", headers: headers) }, expecting: 200)
        try expectStoredAndRefreshed(
            "history", { _, headers in try client.get(unseen("/api/orders?status=expired"), headers: headers) },
            expecting: 200)
        // A take refused for want of money rolls its transaction back, yet the caller is stored.
        try expectStoredAndRefreshed(
            "take without money",
            { _, headers in
                try client.post("/api/orders/\(order)/take", headers: headers)
            }, expecting: 402)
        try expectStoredAndRefreshed(
            "take of an unknown order",
            { _, headers in
                try client.post("/api/orders/AAAAAAAAAAAA/take", headers: headers)
            }, expecting: 404)
    }

    @Test func aTakeStoresAFirstSightExecutor() throws {
        let order = try stack.createOrder(by: TestUser(stack))
        let executor = TestUser(stack, firstName: "Исполнитель")
        #expect(try stack.client.post("/api/orders/\(order)/take", as: executor).status == 402)
        #expect(try storedFirstName(executor) == "Исполнитель")
        try stack.fund(executor, 2)
        #expect(try stack.client.post("/api/orders/\(order)/take", headers: signed(executor, firstName: "Новое")).status == 200)
        #expect(try storedFirstName(executor) == "Новое")
    }

    /// The folded checks write nothing when nothing changed (SPEC §2).
    @Test func unchangedCallersAreNotWritten() throws {
        let user = TestUser(stack)
        let order = try stack.createOrder(by: user)
        let query = "SELECT xmin::text FROM users WHERE id = $1::bigint"
        let before = try stack.database().execute(sql: query, [user.id]).string(0, 0)
        for path in ["/api/users/me", "/api/orders/\(order)", "/api/orders", "/api/orders?mine=true", "/api/orders?taken_by_me=true"] {
            #expect(try stack.client.get(path, as: user).status == 200, "\(path)")
        }
        #expect(try stack.database().execute(sql: query, [user.id]).string(0, 0) == before)
    }
}
