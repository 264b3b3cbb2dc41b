import SrochnoCore
import SrochnoTestSupport
import Testing

/// Races through nginx on real threads released together: the limits hold under
/// contention, nobody is charged twice, and every ledger still adds up.
@Suite struct OrderConcurrencyTests {
    let stack: TestStack
    let api: OrderAPI

    init() throws {
        stack = try TestStack()
        api = OrderAPI(stack)
    }

    private func unwrapped(_ results: [Result<HTTPResult, any Error>]) throws -> [HTTPResult] {
        try results.map { try $0.get() }
    }

    @Test func twelveExecutorsRaceForOneOrderAndExactlyThreeWin() throws {
        let id = try api.createID(as: TestUser(stack))
        let executors = try (0..<12).map { _ in try api.fundedUser(10) }
        let racer = self.api
        let responses = try unwrapped(inParallel(12) { try racer.take(id, as: executors[$0]) })

        let winners = responses.indices.filter { responses[$0].status == 200 }
        #expect(winners.count == 3, "\(responses.map(\.status))")
        for index in responses.indices where responses[index].status != 200 {
            expectOrderError(responses[index], 409, "Maximum 3 executors reached")
        }
        #expect(Set(winners.compactMap { try? responses[$0].json()["executor_count"]?.intValue }) == [1, 2, 3])
        #expect(try api.get(id).json()["taken_by"]?.orderItems.count == 3)
        #expect(try stack.takeCount(order: id) == 3)
        let charges = try stack.ledgerEntries(order: id, type: "order_take")
        #expect(charges.count == 3)
        #expect(Set(charges.map(\.userID)) == Set(winners.map { executors[$0].id }))
        for (index, executor) in executors.enumerated() {
            #expect(try stack.balance(of: executor) == (winners.contains(index) ? 8 : 10))
        }
        #expect(try stack.ledgerMismatches(executors.map(\.id)) == 0)
    }

    @Test func oneExecutorWithFiveRublesRacesAcrossTenOrdersAndWinsTwo() throws {
        let orders = try (0..<10).map { _ in try api.createID(as: TestUser(stack)) }
        let executor = try api.fundedUser(5)
        let racer = self.api
        let responses = try unwrapped(inParallel(10) { try racer.take(orders[$0], as: executor) })

        let won = responses.filter { $0.status == 200 }
        #expect(won.count == 2, "\(responses.map(\.status)) \(responses.map(\.text))")
        for response in responses where response.status != 200 {
            expectOrderError(response, 402, "Insufficient balance. Need 2₽")
        }
        #expect(Set(won.compactMap { try? $0.json()["new_balance"]?.intValue }) == [3, 1])
        #expect(try stack.balance(of: executor) == 1)
        #expect(try stack.ledgerCount(of: executor, type: "order_take") == 2)
        #expect(try orders.map { try stack.takeCount(order: $0) }.reduce(0, +) == 2)
        #expect(try stack.ledgerMismatches([executor.id]) == 0)
    }

    @Test func doubleClickedTakeSucceedsEveryTimeAndChargesOnce() throws {
        let phone = PhoneNumber()
        let id = try api.createID(OrderDraft(contact: phone.compact), as: TestUser(stack))
        let executor = try api.fundedUser(10)
        let racer = self.api
        let responses = try unwrapped(inParallel(8) { _ in try racer.take(id, as: executor) })

        #expect(responses.map(\.status) == Array(repeating: 200, count: 8), "\(responses.map(\.text))")
        for response in responses {
            let body = try response.json()
            #expect(body["contact"] == .string(phone.normalized))
            #expect(body["executor_count"] == .int(1))
            #expect(body["new_balance"] == .int(8))
        }
        #expect(try stack.balance(of: executor) == 8)
        #expect(try stack.takeCount(order: id) == 1)
        #expect(try stack.ledgerEntries(order: id, type: "order_take") == [OrderLedgerEntry(userID: executor.id, amount: -2)])
        #expect(try stack.ledgerMismatches([executor.id]) == 0)
    }

    @Test func doubleClickedThirdTakeIsNotMistakenForAFourth() throws {
        let id = try api.createID(as: TestUser(stack))
        for _ in 0..<2 { #expect(try api.take(id, as: try api.fundedUser(2)).status == 200) }
        let executor = try api.fundedUser(10)
        let racer = self.api
        let responses = try unwrapped(inParallel(8) { _ in try racer.take(id, as: executor) })

        #expect(responses.map(\.status) == Array(repeating: 200, count: 8), "\(responses.map(\.text))")
        #expect(responses.allSatisfy { (try? $0.json()["executor_count"]) == .int(3) })
        #expect(try stack.balance(of: executor) == 8)
        #expect(try stack.takeCount(order: id) == 3)
        #expect(try stack.ledgerMismatches([executor.id]) == 0)
    }

    @Test func racingWritesToAnUnansweredOrderRefundExactlyOnce() throws {
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        let executors = try (0..<2).map { _ in try api.fundedUser(2) }
        for executor in executors { #expect(try api.take(id, as: executor).status == 200) }
        try stack.age(order: id, byMinutes: 16)
        let latecomers = try (0..<8).map { _ in try api.fundedUser(2) }
        let racer = self.api
        let responses = try unwrapped(
            inParallel(10) { index in
                index < 8 ? try racer.take(id, as: latecomers[index]) : try racer.clientAction("respond", id, as: client)
            })

        for response in responses { expectOrderError(response, 410, "Order is no longer active") }
        #expect(try stack.storedStatus(ofOrder: id) == "closed_no_response")
        let refunds = try stack.ledgerEntries(order: id, type: "refund")
        #expect(refunds.count == 2)
        #expect(Set(refunds.map(\.userID)) == Set(executors.map(\.id)))
        #expect(try executors.map { try stack.balance(of: $0) } == [2, 2])
        #expect(try latecomers.map { try stack.balance(of: $0) } == Array(repeating: 2, count: 8))
        #expect(try stack.ledgerMismatches((executors + latecomers).map(\.id)) == 0)
    }

    @Test func eightClientsRaceToPostTheSamePhoneAndOneWins() throws {
        let phone = PhoneNumber()
        let spellings = [phone.spaced, phone.trunkPrefixed, phone.compact, "7" + phone.digits]
        let clients = (0..<8).map { _ in TestUser(stack) }
        let racer = self.api
        let responses = try unwrapped(
            inParallel(8) { index in
                try racer.create(OrderDraft(contact: spellings[index % spellings.count]), as: clients[index])
            })

        #expect(responses.filter { $0.status == 201 }.count == 1, "\(responses.map(\.status))")
        for response in responses where response.status != 201 {
            expectOrderError(response, 409, "This contact already has an active order")
        }
        #expect(try stack.activeOrderCount(contact: phone.normalized) == 1)
        #expect(try stack.ledgerMismatches(clients.map(\.id)) == 0)
    }
}
