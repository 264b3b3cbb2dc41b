import SrochnoPostgres
import Testing

/// SPEC §2: a verified caller's users row is created on first sight and refreshed when its
/// Telegram fields change, on every path, including those that check the row inside their own
/// statement (profile, order reads, the caller's own lists, take) and those that fail after
/// authentication. Everyone's lists are the exception: they do not look at the caller.
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

    /// Everyone's lists are one answer for every caller, kept by nginx for up to a second
    /// (OrderListCacheTests): they do not look at the caller, so they store nobody.
    @Test func everyonesListsStoreNobody() throws {
        for path in ["/api/orders?limit=1", "/api/orders?status=expired"] {
            let user = TestUser(stack, firstName: "Первое")
            #expect(try stack.client.get(path, headers: signed(user, firstName: "Первое")).status == 200, "\(path)")
            #expect(try storedFirstName(user) == nil, "\(path)")
        }
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
        try expectStoredAndRefreshed("mine", { _, headers in try client.get("/api/orders?mine=true", headers: headers) }, expecting: 200)
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
