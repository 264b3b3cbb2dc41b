import SrochnoCore
import SrochnoTestSupport
import Testing

/// What keeps one user from blocking contacts at will (SPEC §3): at most 5 effectively active
/// orders per client, race-free, and usernames that compare without regard to case.
@Suite struct OrderCreateLimitTests {
    let stack: TestStack
    let api: OrderAPI

    init() throws {
        stack = try TestStack()
        api = OrderAPI(stack)
    }

    @Test func aSixthActiveOrderOfOneClientIs409AndWritesNothing() throws {
        let client = TestUser(stack)
        for _ in 0..<5 { _ = try api.createID(as: client) }
        let phone = PhoneNumber()
        expectOrderError(try api.create(OrderDraft(contact: phone.spaced), as: client), 409, "Too many active orders")
        #expect(try stack.activeOrderCount(contact: phone.normalized) == 0)
        #expect(try api.listIDs("mine=true", as: client).total == 5)
    }

    @Test func onlyEffectivelyActiveOrdersCount() throws {
        let client = TestUser(stack)
        let ids = try (0..<5).map { _ in try api.createID(as: client) }
        try stack.age(order: ids[0], byMinutes: 61)  // expired, though still stored active
        #expect(try api.delete(ids[1], as: client).status == 204)
        #expect(try api.create(OrderDraft(), as: client).status == 201)
        #expect(try api.create(OrderDraft(), as: client).status == 201)
        expectOrderError(try api.create(OrderDraft(), as: client), 409, "Too many active orders")
    }

    @Test func parallelCreatesOfOneClientStopAtTheLimit() throws {
        let client = TestUser(stack)
        let api = self.api
        let statuses = inParallel(12) { _ in try api.create(OrderDraft(), as: client).status }.map { try? $0.get() }
        #expect(statuses.filter { $0 == 201 }.count == 5, "\(statuses)")
        #expect(statuses.filter { $0 == 409 }.count == 7, "\(statuses)")
        let stored = try stack.database().execute(
            sql: "SELECT count(*) FROM orders WHERE client_id = $1::bigint AND status = 'active'", [client.id])
        #expect(stored.int(0, 0) == 5)
    }

    @Test func usernamesDifferingOnlyInCaseAreOneContact() throws {
        let name = "CaseUser\(Int.random(in: 100_000...999_999))"
        let first = try api.create(OrderDraft(contact: "@" + name), as: TestUser(stack))
        #expect(first.status == 201, "\(first.text)")
        #expect(try first.json()["contact"] == .string("@" + name), "shown as typed")
        for variant in ["@" + name.lowercased(), "@" + name.uppercased()] {
            expectOrderError(
                try api.create(OrderDraft(contact: variant), as: TestUser(stack)),
                409, "This contact already has an active order")
        }
        let stored = try stack.database().execute(
            sql: "SELECT count(*) FROM orders WHERE lower(contact) = lower($1) AND status = 'active'", ["@" + name])
        #expect(stored.int(0, 0) == 1)
    }

    @Test func changingAContactToAnotherCaseOfATakenOneIs409() throws {
        let name = "TakenName\(Int.random(in: 100_000...999_999))"
        _ = try api.createID(OrderDraft(contact: "@" + name), as: TestUser(stack))
        let client = TestUser(stack)
        let own = try api.createID(OrderDraft(contact: "@Own\(name)"), as: client)
        expectOrderError(
            try api.update(own, .changes(contact: "@" + name.lowercased()), as: client),
            409, "This contact already has an active order")
        // Its own contact in another case is no conflict, and is shown as newly typed.
        let recased = try api.update(own, .changes(contact: "@own\(name.lowercased())"), as: client)
        #expect(recased.status == 200, "\(recased.text)")
        #expect(try recased.json()["contact"] == .string("@own\(name.lowercased())"))
    }

    @Test func parallelCreatesWithOneContactInDifferentCasesMakeOneOrder() throws {
        let name = "RaceName\(Int.random(in: 100_000...999_999))"
        let api = self.api
        let stack = self.stack
        let variants = ["@" + name, "@" + name.lowercased(), "@" + name.uppercased()]
        let statuses = inParallel(9) { index in
            try api.create(OrderDraft(contact: variants[index % 3]), as: TestUser(stack)).status
        }.map { try? $0.get() }
        #expect(statuses.filter { $0 == 201 }.count == 1, "\(statuses)")
        #expect(statuses.filter { $0 == 409 }.count == 8, "\(statuses)")
    }
}
