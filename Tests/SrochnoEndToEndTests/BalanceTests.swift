import SrochnoCore
import SrochnoTestSupport
import Testing

/// `GET /api/balance`, `POST /api/balance/recharge` (on in the test stack) and
/// `GET /api/balance/transactions` (SPEC §6 Balance).
@Suite struct BalanceTests {
    private func recharge(_ stack: TestStack, _ user: TestUser, _ body: String) throws -> HTTPResult {
        try stack.client.post("/api/balance/recharge", json: body, as: user)
    }

    private func transactions(_ stack: TestStack, _ user: TestUser, query: String = "") throws -> [JSONValue] {
        let response = try stack.client.get("/api/balance/transactions" + query, as: user)
        #expect(response.status == 200, "body: \(response.text)")
        guard case .array(let rows) = try response.json() else {
            Issue.record("not a list: \(response.text)")
            return []
        }
        return rows
    }

    @Test func aNewUserHasZeroBalance() throws {
        let stack = try TestStack()
        let response = try stack.client.get("/api/balance", as: TestUser(stack))
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.text == #"{"balance":0}"#)
    }

    @Test func rechargeReturnsTheNewBalanceAndTheLedgerEntry() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let first = try recharge(stack, user, #"{"amount": 150, "method": "card"}"#)
        #expect(first.status == 200, "body: \(first.text)")
        let firstBody = try first.json()
        #expect(firstBody["success"] == .bool(true))
        #expect(firstBody["new_balance"] == .int(150))
        guard case .int(let firstID)? = firstBody["transaction_id"] else {
            Issue.record("transaction_id is not an integer: \(first.text)")
            return
        }

        let second = try recharge(stack, user, #"{"amount": 100000}"#)
        #expect(second.status == 200)
        #expect(try second.json()["new_balance"] == .int(100_150))
        #expect(try second.json()["transaction_id"]?.intValue.map { $0 > firstID } == true)

        #expect(try stack.client.get("/api/balance", as: user).text == #"{"balance":100150}"#)
        #expect(try stack.client.get("/api/users/me", as: user).json()["balance"] == .int(100_150))
        #expect(try stack.ledgerMismatches([user.id]) == 0)
    }

    @Test(arguments: [
        (#"{"amount": 0}"#, "greater_than_equal"),
        (#"{"amount": -5}"#, "greater_than_equal"),
        (#"{"amount": 100001}"#, "less_than_equal"),
        (#"{}"#, "missing"),
        (#"{"amount": null}"#, "int_type"),
        (#"{"method": "card"}"#, "missing"),
        (#"{"amount": "100"}"#, "int_type"),
    ])
    func invalidAmountsAreRejectedWithoutMovingMoney(_ body: String, _ type: String) throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let response = try recharge(stack, user, body)
        expectValidationError(response, at: ["body", "amount"], type: type)
        #expect(try stack.client.get("/api/balance", as: user).text == #"{"balance":0}"#)
        #expect(try transactions(stack, user).isEmpty)
    }

    @Test func aMethodWithANulCharacterIsRejectedNotCutShort() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let response = try recharge(stack, user, #"{"amount": 5, "method": "card\u0000 and more"}"#)
        expectValidationError(response, at: ["body", "method"], type: "value_error")
        #expect(try transactions(stack, user).isEmpty)
    }

    @Test func transactionsAreNewestFirstWithTheContractFields() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        for amount in [10, 20, 30] {
            #expect(try recharge(stack, user, #"{"amount": \#(amount), "method": "test"}"#).status == 200)
        }
        let rows = try transactions(stack, user)
        #expect(rows.map { $0["amount"] } == [.int(30), .int(20), .int(10)])
        #expect(rows.map { $0["balance_after"] } == [.int(60), .int(30), .int(10)])
        let ids = rows.compactMap { $0["id"]?.intValue }
        #expect(ids.count == 3)
        #expect(ids == ids.sorted(by: >))
        for row in rows {
            guard case .object(let members) = row else { Issue.record("row is not an object"); continue }
            #expect(members.map(\.key) == ["id", "type", "amount", "balance_after", "order_id", "description", "created_at"])
            #expect(row["type"] == .string("recharge"))
            #expect(row["order_id"] == .null)
            #expect(row["description"]?.stringValue != nil)
            let createdAt = row["created_at"]?.stringValue ?? ""
            #expect(isRFC3339UTC(createdAt), "created_at: \(createdAt)")
        }
    }

    @Test func transactionsPageWithLimitAndOffset() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        for amount in 1...5 {
            #expect(try recharge(stack, user, #"{"amount": \#(amount)}"#).status == 200)
        }
        #expect(try transactions(stack, user, query: "?limit=2").map { $0["amount"] } == [.int(5), .int(4)])
        #expect(try transactions(stack, user, query: "?limit=2&offset=2").map { $0["amount"] } == [.int(3), .int(2)])
        #expect(try transactions(stack, user, query: "?limit=2&offset=4").map { $0["amount"] } == [.int(1)])
        #expect(try transactions(stack, user, query: "?offset=5").isEmpty)
        #expect(try transactions(stack, user, query: "?limit=100").count == 5)
    }

    @Test func transactionsShowOnlyTheCallersOwnEntries() throws {
        let stack = try TestStack()
        let someone = TestUser(stack)
        let other = TestUser(stack)
        #expect(try recharge(stack, someone, #"{"amount": 42}"#).status == 200)
        #expect(try transactions(stack, other).isEmpty)
    }

    @Test(arguments: [
        ("limit=0", "limit", "greater_than_equal"),
        ("limit=101", "limit", "less_than_equal"),
        ("limit=ten", "limit", "int_parsing"),
        ("offset=-1", "offset", "greater_than_equal"),
    ])
    func invalidPagingIsRejected(_ query: String, _ name: String, _ type: String) throws {
        let stack = try TestStack()
        let response = try stack.client.get("/api/balance/transactions?\(query)", as: TestUser(stack))
        expectValidationError(response, at: ["query", name], type: type)
    }

    /// Entries race for the user's row lock in any order; the list shows them in the order
    /// they were applied, so the newest row's balance_after is the balance and each row follows
    /// from the one before it.
    @Test func parallelRechargesAreListedInTheOrderTheyWereApplied() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let statuses = inParallel(20) { _ in
            try stack.client.post("/api/balance/recharge", json: #"{"amount": 3}"#, as: user).status
        }.map { try? $0.get() }
        #expect(statuses.allSatisfy { $0 == 200 }, "\(statuses)")
        let rows = try transactions(stack, user)
        #expect(rows.count == 20)
        #expect(rows.first?["balance_after"] == .int(60))
        for (newer, older) in zip(rows, rows.dropFirst()) {
            guard case .int(let after)? = newer["balance_after"], case .int(let amount)? = newer["amount"],
                case .int(let before)? = older["balance_after"]
            else {
                Issue.record("malformed rows: \(newer) \(older)")
                return
            }
            #expect(after - amount == before, "rows out of order: \(newer) after \(older)")
        }
        #expect(try stack.client.get("/api/balance/transactions?offset=10001", as: user).status == 422)
    }

    @Test func balanceEndpointsNeedAuthentication() throws {
        let stack = try TestStack()
        expectDetail(try stack.client.get("/api/balance"), 401, "Not authenticated")
        expectDetail(try stack.client.post("/api/balance/recharge", json: #"{"amount": 5}"#), 401, "Not authenticated")
        expectDetail(try stack.client.get("/api/balance/transactions"), 401, "Not authenticated")
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, the only timestamp form the API emits.
func isRFC3339UTC(_ text: String) -> Bool {
    let bytes = Array(text.utf8)
    guard bytes.count >= 20, bytes.last == UInt8(ascii: "Z") else { return false }
    func digits(_ range: Range<Int>) -> Bool { bytes[range].allSatisfy { (48...57).contains($0) } }
    guard digits(0..<4), bytes[4] == UInt8(ascii: "-"), digits(5..<7), bytes[7] == UInt8(ascii: "-"), digits(8..<10),
        bytes[10] == UInt8(ascii: "T"), digits(11..<13), bytes[13] == UInt8(ascii: ":"), digits(14..<16),
        bytes[16] == UInt8(ascii: ":"), digits(17..<19)
    else { return false }
    if bytes.count == 20 { return true }
    return bytes[19] == UInt8(ascii: ".") && bytes.count > 21 && digits(20..<(bytes.count - 1))
}
