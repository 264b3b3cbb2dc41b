import SrochnoCore
import Testing

/// `GET /api/orders`: filters, paging, order, totals, the status fallback and the scopes.
/// Lists of everyone's orders are filtered by a city no other suite is likely to use, since
/// the database is shared.
@Suite struct OrderListTests {
    let stack: TestStack
    let api: OrderAPI

    init() throws {
        stack = try TestStack()
        api = OrderAPI(stack)
    }

    /// Three orders in a quiet city, created oldest first; returned newest first.
    private func threeOrders(in city: String, categories: [String] = ["Сантехника", "Электрика", "Сантехника"]) throws -> [String] {
        var ids: [String] = []
        for category in categories {
            ids.append(try api.createID(OrderDraft(category: category, city: city), as: TestUser(stack)))
        }
        return ids.reversed()
    }

    @Test func listsNewestFirstWithTotalAndWithoutAuth() throws {
        let city = try api.quietCity()
        let newestFirst = try threeOrders(in: city)
        let page = try api.listIDs("city=\(OrderAPI.encoded(city))")
        #expect(page.ids == newestFirst)
        #expect(page.total == 3)

        let body = try api.list("city=\(OrderAPI.encoded(city))").json()
        let first = try #require(body["orders"]?.orderItems.first)
        #expect(first["status"] == .string("active"))
        #expect(first["contact"] == .null)
    }

    @Test func filtersByCategoryAndCity() throws {
        let city = try api.quietCity()
        let otherCity = try api.quietCity()
        try #require(city != otherCity)
        let inCity = try threeOrders(in: city, categories: ["Сантехника", "Электрика", "Клининг"])
        let elsewhere = try api.createID(OrderDraft(category: "Электрика", city: otherCity), as: TestUser(stack))

        let electrics = try api.listIDs("category=\(OrderAPI.encoded("Электрика"))&city=\(OrderAPI.encoded(city))")
        #expect(electrics.ids == [inCity[1]])
        #expect(electrics.total == 1)
        let elsewhereElectrics = try api.listIDs("city=\(OrderAPI.encoded(otherCity))&category=\(OrderAPI.encoded("Электрика"))")
        #expect(elsewhereElectrics.ids == [elsewhere])
        let none = try api.listIDs("category=\(OrderAPI.encoded("Бытовая техника"))&city=\(OrderAPI.encoded(city))")
        #expect(none.ids.isEmpty)
        #expect(none.total == 0)
    }

    @Test func limitAndOffsetPageThroughWhileTotalCountsAll() throws {
        let city = try api.quietCity()
        let newestFirst = try threeOrders(in: city)
        let firstPage = try api.listIDs("city=\(OrderAPI.encoded(city))&limit=2")
        #expect(firstPage.ids == Array(newestFirst.prefix(2)))
        #expect(firstPage.total == 3)
        let secondPage = try api.listIDs("city=\(OrderAPI.encoded(city))&limit=2&offset=2")
        #expect(secondPage.ids == [newestFirst[2]])
        #expect(secondPage.total == 3)
        let beyond = try api.listIDs("city=\(OrderAPI.encoded(city))&offset=10")
        #expect(beyond.ids.isEmpty)
        #expect(beyond.total == 3)
    }

    @Test func limitAndOffsetOutOfRangeAre422() throws {
        expectOrderValidation(
            try api.list("limit=0"), "query.limit", "Input should be greater than or equal to 1", type: "greater_than_equal")
        expectOrderValidation(
            try api.list("limit=101"), "query.limit", "Input should be less than or equal to 100", type: "less_than_equal")
        expectOrderValidation(
            try api.list("offset=-1"), "query.offset", "Input should be greater than or equal to 0", type: "greater_than_equal")
        expectOrderValidation(
            try api.list("limit=ten"), "query.limit",
            "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing")
        #expect(try api.list("limit=100").status == 200)
    }

    /// One order of each status, all by one client in one quiet city.
    private struct StatusFixture {
        let client: TestUser
        let city: String
        var ids: [String: String] = [:]
    }

    private func ordersOfEveryStatus() throws -> StatusFixture {
        var fixture = StatusFixture(client: TestUser(stack), city: try api.quietCity())
        func create() throws -> String { try api.createID(OrderDraft(city: fixture.city), as: fixture.client) }
        let executor = try api.fundedUser(6)

        let expired = try create()
        try stack.age(order: expired, byMinutes: 61)
        fixture.ids["expired"] = expired

        let deleted = try create()
        #expect(try api.delete(deleted, as: fixture.client).status == 204)
        fixture.ids["deleted"] = deleted

        let completed = try create()
        #expect(try api.take(completed, as: executor).status == 200)
        #expect(try api.clientAction("complete", completed, as: fixture.client).status == 200)
        fixture.ids["completed"] = completed

        let closed = try create()
        #expect(try api.take(closed, as: executor).status == 200)
        try stack.age(order: closed, byMinutes: 16)  // lazily closed: nobody responded
        fixture.ids["closed_no_response"] = closed

        fixture.ids["active"] = try create()
        return fixture
    }

    @Test func everyoneListFiltersOnTheEffectiveStatusAndFallsBackToActive() throws {
        let fixture = try ordersOfEveryStatus()
        let city = "city=\(OrderAPI.encoded(fixture.city))"
        for status in ["active", "expired", "completed"] {
            let page = try api.listIDs("\(city)&status=\(status)")
            #expect(page.ids == [fixture.ids[status]!], "status=\(status)")
            #expect(page.total == 1, "status=\(status)")
        }
        for status in ["deleted", "closed_no_response"] {
            let page = try api.listIDs("\(city)&status=\(status)")
            #expect(page.ids == [fixture.ids["active"]!], "status=\(status) falls back to active")
        }
        let expired = try api.list("\(city)&status=expired").json()["orders"]?.orderItems.first
        #expect(expired?["status"] == .string("expired"))
    }

    @Test func mineListsAnyStatusOfMyOrders() throws {
        let fixture = try ordersOfEveryStatus()
        for status in ["active", "expired", "deleted", "completed", "closed_no_response"] {
            let page = try api.listIDs("mine=true&status=\(status)", as: fixture.client)
            #expect(page.ids == [fixture.ids[status]!], "status=\(status)")
            #expect(page.total == 1, "status=\(status)")
        }
        let closed = try api.list("mine=true&status=closed_no_response", as: fixture.client).json()["orders"]?.orderItems.first
        #expect(closed?["status"] == .string("closed_no_response"))
    }

    @Test func takenByMeListsTheOrdersITookNewestFirst() throws {
        let executor = try api.fundedUser(10)
        let city = try api.quietCity()
        let orders = try threeOrders(in: city)  // newest first
        #expect(try api.take(orders[2], as: executor).status == 200)
        #expect(try api.take(orders[0], as: executor).status == 200)

        let taken = try api.listIDs("taken_by_me=true", as: executor)
        #expect(taken.ids == [orders[0], orders[2]])
        #expect(taken.total == 2)
        let filtered = try api.listIDs("taken_by_me=1&city=\(OrderAPI.encoded(city))&limit=1", as: executor)
        #expect(filtered.ids == [orders[0]])
        #expect(filtered.total == 2)

        try stack.age(order: orders[2], byMinutes: 16)
        let closed = try api.listIDs("taken_by_me=true&status=closed_no_response", as: executor)
        #expect(closed.ids == [orders[2]])
        #expect(try api.listIDs("taken_by_me=true", as: executor).ids == [orders[0]])
    }

    @Test func mineWinsWhenBothScopesAreAsked() throws {
        let user = try api.fundedUser(2)
        let own = try api.createID(as: user)
        let taken = try api.createID(as: TestUser(stack))
        #expect(try api.take(taken, as: user).status == 200)
        let both = try api.listIDs("mine=true&taken_by_me=true", as: user)
        #expect(both.ids == [own])
        #expect(both.total == 1)
    }

    @Test func scopedListsNeedAuthentication() throws {
        expectOrderError(try api.list("mine=true"), 401, "Not authenticated")
        expectOrderError(try api.list("taken_by_me=true"), 401, "Not authenticated")
        let forged = try api.http.get("/api/orders?mine=true", headers: [("Authorization", "Bearer user=%7B%7D&auth_date=1&hash=00")])
        #expect(forged.status == 401, "\(forged.text)")
        #expect(forged.detail?.hasPrefix("Invalid Telegram initData: ") == true, "\(forged.text)")
        #expect(try api.list("mine=false&taken_by_me=false").status == 200)
    }

    @Test func badBooleanIs422() throws {
        expectOrderValidation(
            try api.list("mine=maybe"), "query.mine",
            "Input should be a valid boolean, unable to interpret input", type: "bool_parsing")
    }

    /// FastAPI's enum error, as the earlier backend answers: only real statuses fall back.
    @Test func aValueThatIsNoStatusIs422() throws {
        let message = "Input should be 'active', 'expired', 'deleted', 'closed_no_response' or 'completed'"
        for query in ["status=nonsense", "status=", "status=Active", "mine=true&status=bogus"] {
            expectOrderValidation(try api.list(query, as: TestUser(stack)), "query.status", message, type: "enum")
        }
    }

    @Test func offsetIsAtMost10000() throws {
        #expect(try api.list("status=expired&offset=10000").status == 200)
        expectOrderValidation(
            try api.list("status=expired&offset=10001"), "query.offset",
            "Input should be less than or equal to 10000", type: "less_than_equal")
        expectOrderValidation(
            try api.list("offset=2147483647"), "query.offset",
            "Input should be less than or equal to 10000", type: "less_than_equal")
    }
}
