import SrochnoCore
import Testing

/// `respond`, `close` and `complete`: the client's answers to an order that was taken.
@Suite struct OrderClientActionTests {
    let stack: TestStack
    let api: OrderAPI

    init() throws {
        stack = try TestStack()
        api = OrderAPI(stack)
    }

    /// An order of a new client, taken by one new executor.
    private func takenOrder() throws -> (id: String, client: TestUser, executor: TestUser) {
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        let executor = try api.fundedUser(2)
        let take = try api.take(id, as: executor)
        guard take.status == 200 else { throw HTTPClientError(description: "take failed: \(take.status) \(take.text)") }
        return (id, client, executor)
    }

    @Test func respondStopsTheNoResponseClock() throws {
        let order = try takenOrder()
        let response = try api.clientAction("respond", order.id, as: order.client)
        #expect(response.status == 200, "\(response.text)")
        let body = try response.json()
        #expect(body["id"] == .string(order.id))
        #expect(body["status"] == .string("active"))
        #expect(body["contact"] != .null, "the client sees its own contact")
        let responded = try #require(body["customer_responded_at"]?.stringValue)
        #expect(responded.hasSuffix("Z"))

        // 20 minutes after the take: without the answer it would have closed at 15.
        try stack.age(order: order.id, byMinutes: 20)
        #expect(try api.get(order.id).json()["status"] == .string("active"))
    }

    @Test func respondTwiceIs409AlreadyResponded() throws {
        let order = try takenOrder()
        #expect(try api.clientAction("respond", order.id, as: order.client).status == 200)
        expectOrderError(try api.clientAction("respond", order.id, as: order.client), 409, "Already responded")
    }

    @Test(arguments: ["respond", "close", "complete"])
    func withoutATakeIs409(_ action: String) throws {
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        expectOrderError(try api.clientAction(action, id, as: client), 409, "No executor has taken this order yet")
        #expect(try stack.storedStatus(ofOrder: id) == "active")
    }

    @Test(arguments: ["respond", "close", "complete"])
    func byAnyoneButTheClientIs403(_ action: String) throws {
        let order = try takenOrder()
        expectOrderError(try api.clientAction(action, order.id, as: order.executor), 403, "Only the order's client can do this")
        expectOrderError(try api.clientAction(action, order.id, as: TestUser(stack)), 403, "Only the order's client can do this")
        expectOrderError(try api.clientAction(action, order.id, as: nil), 401, "Not authenticated")
        #expect(try stack.storedStatus(ofOrder: order.id) == "active")
    }

    @Test(arguments: ["respond", "close", "complete"])
    func unknownOrDeletedOrderIs404(_ action: String) throws {
        expectOrderError(try api.clientAction(action, "AAAAAAAAAAAA", as: TestUser(stack)), 404, "Order not found")
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        #expect(try api.delete(id, as: client).status == 204)
        expectOrderError(try api.clientAction(action, id, as: TestUser(stack)), 404, "Order not found")
        expectOrderError(try api.clientAction(action, id, as: client), 410, "Order is no longer active")
    }

    @Test(arguments: ["respond", "close", "complete"])
    func onAnExpiredOrderIs410(_ action: String) throws {
        let order = try takenOrder()
        #expect(try api.clientAction("respond", order.id, as: order.client).status == 200)
        try stack.age(order: order.id, byMinutes: 61)
        expectOrderError(try api.clientAction(action, order.id, as: order.client), 410, "Order has expired")
        #expect(try stack.storedStatus(ofOrder: order.id) == "expired")
        #expect(try stack.ledgerEntries(order: order.id, type: "refund").isEmpty)
    }

    @Test(arguments: ["respond", "close", "complete"])
    func onAFinishedOrderIs410NoLongerActive(_ action: String) throws {
        let order = try takenOrder()
        #expect(try api.clientAction("complete", order.id, as: order.client).status == 200)
        expectOrderError(try api.clientAction(action, order.id, as: order.client), 410, "Order is no longer active")
    }

    @Test func closeEndsTheOrderWithoutRefunds() throws {
        let order = try takenOrder()
        let response = try api.clientAction("close", order.id, as: order.client)
        #expect(response.status == 204, "\(response.text)")
        #expect(response.body.isEmpty)
        #expect(try api.get(order.id).json()["status"] == .string("closed_no_response"))
        #expect(try stack.storedStatus(ofOrder: order.id) == "closed_no_response")

        // Long past every timer, a later write still pays nothing back.
        try stack.age(order: order.id, byMinutes: 90)
        expectOrderError(try api.take(order.id, as: try api.fundedUser(2)), 410, "Order is no longer active")
        #expect(try stack.ledgerEntries(order: order.id, type: "refund").isEmpty)
        #expect(try stack.balance(of: order.executor) == 0)
        #expect(try stack.ledgerMismatches([order.executor.id]) == 0)
    }

    @Test func closeAndCompleteDoNotCareAboutAnEarlierResponse() throws {
        let closing = try takenOrder()
        #expect(try api.clientAction("respond", closing.id, as: closing.client).status == 200)
        #expect(try api.clientAction("close", closing.id, as: closing.client).status == 204)

        let completing = try takenOrder()
        #expect(try api.clientAction("respond", completing.id, as: completing.client).status == 200)
        let completed = try api.clientAction("complete", completing.id, as: completing.client)
        #expect(completed.status == 200, "\(completed.text)")
        #expect(try completed.json()["status"] == .string("completed"))
    }

    @Test func completeReturnsTheCompletedOrder() throws {
        let order = try takenOrder()
        let response = try api.clientAction("complete", order.id, as: order.client)
        #expect(response.status == 200, "\(response.text)")
        let body = try response.json()
        #expect(body["status"] == .string("completed"))
        #expect(body["taken_by"]?.orderItems.first?["executor_id"] == .int(order.executor.id))
        #expect(try stack.storedStatus(ofOrder: order.id) == "completed")

        // Completed stays completed however much time passes; nothing is refunded.
        try stack.age(order: order.id, byMinutes: 90)
        #expect(try api.get(order.id).json()["status"] == .string("completed"))
        expectOrderError(try api.take(order.id, as: try api.fundedUser(2)), 410, "Order is no longer active")
        #expect(try stack.ledgerEntries(order: order.id, type: "refund").isEmpty)
    }
}
