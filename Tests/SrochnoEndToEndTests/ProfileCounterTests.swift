import SrochnoCore
import Testing

/// `GET /api/users/me` counters are derived from the orders: effectively active orders I
/// created or took, and completed ones, for client and executors alike.
@Suite struct ProfileCounterTests {
    let stack: TestStack
    let api: OrderAPI

    init() throws {
        stack = try TestStack()
        api = OrderAPI(stack)
    }

    private func counters(_ user: TestUser, sourceLocation: SourceLocation = #_sourceLocation) throws -> (active: Int64?, completed: Int64?)
    {
        let profile = try api.profile(of: user)
        #expect(profile["id"] == .int(user.id), sourceLocation: sourceLocation)
        return (profile["active_orders"]?.intValue, profile["completed_orders"]?.intValue)
    }

    @Test func newUserHasNoOrders() throws {
        let user = TestUser(stack)
        let counts = try counters(user)
        #expect(counts.active == 0)
        #expect(counts.completed == 0)
    }

    @Test func countersFollowCreationTakesCompletionAndTimeWithoutAnyWrite() throws {
        let client = TestUser(stack)
        let executor = try api.fundedUser(10)
        let finished = try api.createID(as: client)
        let unanswered = try api.createID(as: client)
        let untaken = try api.createID(as: client)
        for id in [finished, unanswered] { #expect(try api.take(id, as: executor).status == 200) }
        #expect(try counters(client) == (3, 0))
        #expect(try counters(executor) == (2, 0))

        #expect(try api.clientAction("complete", finished, as: client).status == 200)
        #expect(try counters(client) == (2, 1))
        #expect(try counters(executor) == (1, 1))

        // Past its no-response moment the taken order stops counting for both, unsettled.
        try stack.age(order: unanswered, byMinutes: 16)
        #expect(try counters(client) == (1, 1))
        #expect(try counters(executor) == (0, 1))

        // Past its expiry the untaken one stops counting too.
        try stack.age(order: untaken, byMinutes: 61)
        #expect(try counters(client) == (0, 1))
        #expect(try stack.storedStatus(ofOrder: unanswered) == "active")
        #expect(try stack.storedStatus(ofOrder: untaken) == "active")
    }

    @Test func deletedAndClosedOrdersDoNotCount() throws {
        let client = TestUser(stack)
        let executor = try api.fundedUser(2)
        let deleted = try api.createID(as: client)
        #expect(try api.delete(deleted, as: client).status == 204)
        let closed = try api.createID(as: client)
        #expect(try api.take(closed, as: executor).status == 200)
        #expect(try api.clientAction("close", closed, as: client).status == 204)
        #expect(try counters(client) == (0, 0))
        #expect(try counters(executor) == (0, 0))
    }

    @Test func completedCountsForEveryExecutorOfTheOrder() throws {
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        let executors = try (0..<3).map { _ in try api.fundedUser(2) }
        for executor in executors { #expect(try api.take(id, as: executor).status == 200) }
        #expect(try api.clientAction("complete", id, as: client).status == 200)
        #expect(try counters(client) == (0, 1))
        for executor in executors { #expect(try counters(executor) == (0, 1)) }
    }
}
