import SrochnoCore
import Testing

/// `GET /api/orders/{id}`: unknown and deleted orders, and what each viewer gets.
@Suite struct OrderReadTests {
    let stack: TestStack
    let api: OrderAPI

    init() throws {
        stack = try TestStack()
        api = OrderAPI(stack)
    }

    @Test func unknownOrMalformedIDIs404() throws {
        let unknown = OrderID.make(randomBytes: (0..<12).map { _ in UInt8.random(in: 0...255) })
        expectOrderError(try api.get(unknown), 404, "Order not found")
        expectOrderError(try api.get(unknown, as: TestUser(stack)), 404, "Order not found")
        expectOrderError(try api.get("short"), 404, "Order not found")
        expectOrderError(try api.get("thirteen-char"), 404, "Order not found")
    }

    @Test func anyoneCanReadAnActiveOrder() throws {
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        for viewer in [nil, TestUser(stack), client] {
            let response = try api.get(id, as: viewer)
            #expect(response.status == 200, "\(response.text)")
            #expect(try response.json()["id"] == .string(id))
            #expect(try response.json()["status"] == .string("active"))
        }
    }

    @Test func deletedOrderIs404ForEveryoneButItsClient() throws {
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        #expect(try api.delete(id, as: client).status == 204)

        let own = try api.get(id, as: client)
        #expect(own.status == 200, "\(own.text)")
        #expect(try own.json()["status"] == .string("deleted"))
        expectOrderError(try api.get(id), 404, "Order not found")
        expectOrderError(try api.get(id, as: TestUser(stack)), 404, "Order not found")
    }

    @Test func takenOrderListsItsExecutorsOldestFirst() throws {
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        let first = try api.fundedUser(2)
        let second = try api.fundedUser(2)
        #expect(try api.take(id, as: first).status == 200)
        #expect(try api.take(id, as: second).status == 200)

        let order = try api.get(id).json()
        let takes = order["taken_by"]?.orderItems ?? []
        #expect(takes.map { $0["executor_id"] } == [.int(first.id), .int(second.id)])
        #expect(takes.allSatisfy { $0["taken_at"]?.stringValue?.hasSuffix("Z") == true })
        #expect(order["status"] == .string("active"))
    }
}
