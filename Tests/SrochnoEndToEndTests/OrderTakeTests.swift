import SrochnoCore
import Testing

/// `POST /api/orders/{id}/take`: every refusal with its text, the charge, and a repeat take
/// that costs nothing.
@Suite struct OrderTakeTests {
    let stack: TestStack
    let api: OrderAPI

    init() throws {
        stack = try TestStack()
        api = OrderAPI(stack)
    }

    @Test func takeChargesTwoRublesAndRevealsTheContact() throws {
        let phone = PhoneNumber()
        let id = try api.createID(OrderDraft(contact: phone.spaced), as: TestUser(stack))
        let executor = try api.fundedUser(10)

        let response = try api.take(id, as: executor)
        #expect(response.status == 200, "\(response.text)")
        let body = try response.json()
        #expect(body["success"] == .bool(true))
        #expect(body["contact"] == .string(phone.normalized))
        #expect(body["executor_count"] == .int(1))
        #expect(body["new_balance"] == .int(8))
        #expect(try stack.balance(of: executor) == 8)
        #expect(try stack.ledgerEntries(order: id, type: "order_take") == [OrderLedgerEntry(userID: executor.id, amount: -2)])
        #expect(try stack.ledgerMismatches([executor.id]) == 0)
    }

    @Test func repeatTakeAnswersTheSameAndChargesNothing() throws {
        let id = try api.createID(as: TestUser(stack))
        let executor = try api.fundedUser(10)
        let first = try api.take(id, as: executor)
        #expect(first.status == 200, "\(first.text)")
        #expect(try api.take(id, as: try api.fundedUser(2)).status == 200)

        let again = try api.take(id, as: executor)
        #expect(again.status == 200, "\(again.text)")
        let body = try again.json()
        #expect(body["contact"] == (try first.json())["contact"])
        #expect(body["executor_count"] == .int(2), "the count as it stands now")
        #expect(body["new_balance"] == .int(8))
        #expect(try stack.balance(of: executor) == 8)
        #expect(try stack.ledgerEntries(order: id, type: "order_take").filter { $0.userID == executor.id }.count == 1)
    }

    @Test func unknownOrderIs404() throws {
        expectOrderError(try api.take("AAAAAAAAAAAA", as: try api.fundedUser(2)), 404, "Order not found")
        expectOrderError(try api.take("not-an-id", as: TestUser(stack)), 404, "Order not found")
    }

    @Test func deletedOrderIs404ForOthersAnd410ForItsClient() throws {
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        #expect(try api.delete(id, as: client).status == 204)
        let executor = try api.fundedUser(2)
        expectOrderError(try api.take(id, as: executor), 404, "Order not found")
        #expect(try stack.balance(of: executor) == 2)
        expectOrderError(try api.take(id, as: client), 410, "Order is no longer active")
    }

    @Test func expiredOrderIs410() throws {
        let id = try api.createID(as: TestUser(stack))
        try stack.age(order: id, byMinutes: 60)  // exactly at the expiry moment
        let executor = try api.fundedUser(2)
        expectOrderError(try api.take(id, as: executor), 410, "Order has expired")
        #expect(try stack.balance(of: executor) == 2)
        #expect(try stack.takeCount(order: id) == 0)
    }

    @Test func finishedOrderIs410NoLongerActive() throws {
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        #expect(try api.take(id, as: try api.fundedUser(2)).status == 200)
        #expect(try api.clientAction("complete", id, as: client).status == 200)
        let late = try api.fundedUser(2)
        expectOrderError(try api.take(id, as: late), 410, "Order is no longer active")
        #expect(try stack.balance(of: late) == 2)
    }

    @Test func ownOrderIs403() throws {
        let client = try api.fundedUser(10)
        let id = try api.createID(as: client)
        expectOrderError(try api.take(id, as: client), 403, "Cannot take your own order")
        #expect(try stack.balance(of: client) == 10)
    }

    @Test func fourthExecutorIs409AndKeepsTheMoney() throws {
        let id = try api.createID(as: TestUser(stack))
        for _ in 0..<3 { #expect(try api.take(id, as: try api.fundedUser(2)).status == 200) }
        let fourth = try api.fundedUser(5)
        expectOrderError(try api.take(id, as: fourth), 409, "Maximum 3 executors reached")
        #expect(try stack.balance(of: fourth) == 5)
        #expect(try stack.takeCount(order: id) == 3)
    }

    @Test func insufficientBalanceIs402() throws {
        let id = try api.createID(as: TestUser(stack))
        let poor = try api.fundedUser(1)
        expectOrderError(try api.take(id, as: poor), 402, "Insufficient balance. Need 2₽")
        #expect(try stack.balance(of: poor) == 1)
        expectOrderError(try api.take(id, as: TestUser(stack)), 402, "Insufficient balance. Need 2₽")
        #expect(try stack.takeCount(order: id) == 0)
    }

    @Test func exactlyTwoRublesIsEnough() throws {
        let id = try api.createID(as: TestUser(stack))
        let executor = try api.fundedUser(2)
        let response = try api.take(id, as: executor)
        #expect(response.status == 200, "\(response.text)")
        #expect(try response.json()["new_balance"] == .int(0))
    }

    @Test func takingRequiresAuthentication() throws {
        let id = try api.createID(as: TestUser(stack))
        expectOrderError(try api.take(id, as: nil), 401, "Not authenticated")
    }
}
