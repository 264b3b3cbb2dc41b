import SrochnoCore
import Testing

/// Lazy timers end to end, with no closer running: reads show the effective status at once,
/// the next write to the order materialises it, and refunds are paid exactly once.
@Suite struct OrderTimerTests {
    let stack: TestStack
    let api: OrderAPI

    init() throws {
        stack = try TestStack()
        api = OrderAPI(stack)
    }

    /// An order in a quiet city taken by `executors` new executors (2 ₽ each), taken right
    /// after `minutesBeforeTake` minutes of its life had passed.
    private func order(takenBy executors: Int, minutesBeforeTake: Int = 0) throws -> (
        id: String, city: String, client: TestUser, executors: [TestUser]
    ) {
        let city = try api.quietCity()
        let client = TestUser(stack)
        let id = try api.createID(OrderDraft(city: city), as: client)
        if minutesBeforeTake > 0 { try stack.age(order: id, byMinutes: minutesBeforeTake) }
        var takers: [TestUser] = []
        for _ in 0..<executors {
            let executor = try api.fundedUser(2)
            let take = try api.take(id, as: executor)
            guard take.status == 200 else { throw HTTPClientError(description: "take failed: \(take.status) \(take.text)") }
            takers.append(executor)
        }
        return (id, city, client, takers)
    }

    private func listIDs(city: String, status: String) throws -> [String] {
        try api.listIDs("city=\(OrderAPI.encoded(city))&status=\(status)").ids
    }

    @Test func expiryShowsOnReadAndIsMaterialisedByTheNextWrite() throws {
        let order = try order(takenBy: 0)
        try stack.age(order: order.id, byMinutes: 61)

        #expect(try api.get(order.id).json()["status"] == .string("expired"))
        #expect(try api.get(order.id, as: order.client).json()["status"] == .string("expired"))
        #expect(try listIDs(city: order.city, status: "expired") == [order.id])
        #expect(try listIDs(city: order.city, status: "active").isEmpty)
        #expect(try stack.storedStatus(ofOrder: order.id) == "active", "reads never write")

        expectOrderError(try api.take(order.id, as: try api.fundedUser(2)), 410, "Order has expired")
        #expect(try stack.storedStatus(ofOrder: order.id) == "expired")
        #expect(try listIDs(city: order.city, status: "expired") == [order.id])
        #expect(try stack.takeCount(order: order.id) == 0)
    }

    @Test func noResponseClosingShowsOnReadAndTheNextWriteRefundsOnce() throws {
        let order = try order(takenBy: 2)
        #expect(try order.executors.map { try stack.balance(of: $0) } == [0, 0])
        try stack.age(order: order.id, byMinutes: 16)

        #expect(try api.get(order.id).json()["status"] == .string("closed_no_response"))
        #expect(try listIDs(city: order.city, status: "active").isEmpty)
        #expect(try listIDs(city: order.city, status: "expired").isEmpty)
        #expect(try api.listIDs("mine=true&status=closed_no_response", as: order.client).ids == [order.id])
        #expect(try stack.storedStatus(ofOrder: order.id) == "active")
        #expect(try stack.ledgerEntries(order: order.id, type: "refund").isEmpty, "reads pay nothing")

        // The next write, even a refused take, closes the order and refunds both executors.
        let late = try api.fundedUser(2)
        expectOrderError(try api.take(order.id, as: late), 410, "Order is no longer active")
        #expect(try stack.storedStatus(ofOrder: order.id) == "closed_no_response")
        let refunds = try stack.ledgerEntries(order: order.id, type: "refund")
        #expect(Set(refunds.map(\.userID)) == Set(order.executors.map(\.id)))
        #expect(refunds.count == 2)
        #expect(refunds.allSatisfy { $0.amount == 2 })
        #expect(try order.executors.map { try stack.balance(of: $0) } == [2, 2])
        #expect(try stack.balance(of: late) == 2)

        // Further writes of every kind find it settled and pay nothing more.
        expectOrderError(try api.take(order.id, as: order.executors[0]), 410, "Order is no longer active")
        expectOrderError(try api.clientAction("respond", order.id, as: order.client), 410, "Order is no longer active")
        expectOrderError(try api.clientAction("complete", order.id, as: order.client), 410, "Order is no longer active")
        #expect(try stack.ledgerEntries(order: order.id, type: "refund").count == 2)
        #expect(try stack.ledgerMismatches(order.executors.map(\.id) + [late.id]) == 0)
    }

    @Test func takeAtMinute5SeenAtMinute70ClosesWithRefunds() throws {
        let order = try order(takenBy: 1, minutesBeforeTake: 5)
        try stack.age(order: order.id, byMinutes: 65)  // now minute 70: no-response at 20 came before expiry at 60
        #expect(try api.get(order.id).json()["status"] == .string("closed_no_response"))

        expectOrderError(try api.clientAction("respond", order.id, as: order.client), 410, "Order is no longer active")
        #expect(try stack.storedStatus(ofOrder: order.id) == "closed_no_response")
        #expect(try stack.ledgerEntries(order: order.id, type: "refund") == [OrderLedgerEntry(userID: order.executors[0].id, amount: 2)])
        #expect(try stack.balance(of: order.executors[0]) == 2)
    }

    @Test func takeAtMinute50SeenAtMinute70IsExpiredWithoutRefund() throws {
        let order = try order(takenBy: 1, minutesBeforeTake: 50)
        try stack.age(order: order.id, byMinutes: 20)  // now minute 70: expiry at 60 came before no-response at 65
        #expect(try api.get(order.id).json()["status"] == .string("expired"))
        #expect(try listIDs(city: order.city, status: "expired") == [order.id])

        expectOrderError(try api.clientAction("respond", order.id, as: order.client), 410, "Order has expired")
        #expect(try stack.storedStatus(ofOrder: order.id) == "expired")
        #expect(try stack.ledgerEntries(order: order.id, type: "refund").isEmpty)
        #expect(try stack.balance(of: order.executors[0]) == 0)
    }

    @Test func noResponseMomentAtTheExpiryMomentRefunds() throws {
        let order = try order(takenBy: 1)
        try stack.place(order: order.id, createdMinutesAgo: 70, takenMinutesAfterCreation: 45)  // both moments at minute 60
        #expect(try api.get(order.id).json()["status"] == .string("closed_no_response"))

        expectOrderError(try api.take(order.id, as: try api.fundedUser(2)), 410, "Order is no longer active")
        #expect(try stack.storedStatus(ofOrder: order.id) == "closed_no_response")
        #expect(try stack.ledgerEntries(order: order.id, type: "refund").count == 1)
        #expect(try stack.balance(of: order.executors[0]) == 2)
    }

    @Test func respondedOrderExpiresWithoutRefund() throws {
        let order = try order(takenBy: 1)
        #expect(try api.clientAction("respond", order.id, as: order.client).status == 200)
        try stack.age(order: order.id, byMinutes: 61)
        #expect(try api.get(order.id).json()["status"] == .string("expired"))
        expectOrderError(try api.take(order.id, as: try api.fundedUser(2)), 410, "Order has expired")
        #expect(try stack.ledgerEntries(order: order.id, type: "refund").isEmpty)
        #expect(try stack.balance(of: order.executors[0]) == 0)
    }

    @Test func lazilyExpiredOrderFreesItsContactForANewOrder() throws {
        let phone = PhoneNumber()
        let client = TestUser(stack)
        let old = try api.createID(OrderDraft(contact: phone.compact), as: client)
        try stack.age(order: old, byMinutes: 61)
        let response = try api.create(OrderDraft(contact: phone.spaced), as: client)
        #expect(response.status == 201, "\(response.text)")
        #expect(try stack.storedStatus(ofOrder: old) == "expired")
        #expect(try stack.activeOrderCount(contact: phone.normalized) == 1)
    }

    @Test func lazilyClosedOrderFreesItsContactAndRefunds() throws {
        let phone = PhoneNumber()
        let client = TestUser(stack)
        let old = try api.createID(OrderDraft(contact: phone.compact), as: client)
        let executor = try api.fundedUser(2)
        #expect(try api.take(old, as: executor).status == 200)
        try stack.age(order: old, byMinutes: 16)
        let response = try api.create(OrderDraft(contact: phone.trunkPrefixed), as: client)
        #expect(response.status == 201, "\(response.text)")
        #expect(try stack.storedStatus(ofOrder: old) == "closed_no_response")
        #expect(try stack.ledgerEntries(order: old, type: "refund") == [OrderLedgerEntry(userID: executor.id, amount: 2)])
        #expect(try stack.balance(of: executor) == 2)
    }
}
