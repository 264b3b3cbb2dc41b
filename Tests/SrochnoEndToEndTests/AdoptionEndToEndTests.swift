import Glibc
import SrochnoAdoptionFixtures
import SrochnoCore
import SrochnoPostgres
import SrochnoSystem
import SrochnoTestSupport
import Testing

/// After `srochno-adopt` imported an old database into the stack's, the API serves the adopted
/// users' profiles, settings, balances, history and orders, and a Crypto Pay invoice the old
/// backend made is credited once when its webhook comes. The old ids, contacts, invoice ids and
/// cities are this test's own, so the suites sharing the database never see each other.
@Suite struct AdoptionEndToEndTests {
    let stack: TestStack
    let api: OrderAPI

    init() throws {
        stack = try TestStack()
        api = OrderAPI(stack)
    }

    private func user(_ id: Int64, _ firstName: String) -> TestUser {
        TestUser(id: id, firstName: firstName, botToken: stack.botToken)
    }

    private func get(_ path: String, as user: TestUser? = nil) throws -> JSONValue {
        let response = try api.http.get(path, as: user)
        guard response.status == 200 else { throw HTTPClientError(description: "GET \(path): \(response.status) \(response.text)") }
        return try response.json()
    }

    @Test func theAPIServesWhatWasAdopted() throws {
        let base = Int64.random(in: 1_000_000_000...7_000_000_000)
        let prefix = String((0..<3).map { _ in "abcdefghijklmnopqrstuvwxyz".randomElement()! })
        let cities = [try api.quietCity(), try api.quietCity()]
        let known = try get("/api/cities").orderItems.compactMap(\.stringValue)
        let market = LegacyMarket(
            base: base, prefix: prefix, invoiceBase: Int64.random(in: 1_000_000_000...2_000_000_000),
            now: Instant(seconds: Int64(time(nil))),
            cities: cities, knownCities: known)

        try LegacyDatabase.with(adminURL: stack.adminDatabaseURL) { legacy in
            try market.rows.insert(into: try legacy.connect())
            let outcome = try runProcess(
                try TestStack.required("SROCHNO_TEST_ADOPT_BIN"), ["--from", legacy.conninfo, "--batch", "4"],
                environment: ["PATH=/usr/bin:/bin", "SROCHNO_CONFIG=\(try TestStack.required("SROCHNO_TEST_CONFIG"))"], timeoutSeconds: 120)
            try #require(outcome.exitCode == 0, "\(outcome.standardOutput)\(outcome.standardError)")
        }

        let a = user(market.clientA, "Анна")
        let b = user(market.clientB, "Борис")
        let x = user(market.executorX, "Ксения")
        let y = user(market.executorY, "Юрий")
        let z = user(market.executorZ, "Зоя")

        // Profiles: counters derived from the orders, never the old drifting ones; balances
        // carried over (X also got back what it paid for the duplicate the import settled).
        let profileA = try get("/api/users/me", as: a)
        #expect(profileA["balance"] == .int(500))
        #expect(profileA["active_orders"] == .int(1) && profileA["completed_orders"] == .int(1))
        let profileB = try get("/api/users/me", as: b)
        #expect(profileB["active_orders"] == .int(1) && profileB["completed_orders"] == .int(1) && profileB["balance"] == .int(0))
        let profileX = try get("/api/users/me", as: x)
        #expect(profileX["balance"] == .int(122) && profileX["completed_orders"] == .int(1) && profileX["active_orders"] == .int(0))
        #expect(ReviewJSON.number(profileX["rating"]).map { $0 == 5 } == true)
        #expect(ReviewJSON.number(try get("/api/users/me", as: y)["rating"]).map { $0 == 0 } == true)
        #expect(ReviewJSON.number(try get("/api/users/me", as: z)["rating"]).map { $0 == 3 } == true)

        let preferences = try get("/api/users/me/preferences", as: a)
        #expect(preferences["categories"] == .array([.string("Сантехника")]))
        #expect(preferences["cities"] == .array(cities.map { .string($0) }))
        let settings = try get("/api/users/me/notification-settings", as: a)
        #expect(settings["enabled"] == .bool(true) && settings["frequency"] == .int(15))

        // The ledger, then the old transactions as history with their own ids.
        #expect(try get("/api/balance", as: x)["balance"] == .int(122))
        let entries = try get("/api/balance/transactions?limit=100", as: x).orderItems
        #expect(entries.first?["type"] == .string("refund") && entries.first?["balance_after"] == .int(122))
        #expect(entries.dropFirst().first?["description"] == .string("Balance carried over from the previous Srochno"))
        let history = entries.dropFirst(2)
        #expect(history.count == market.rows.transactions.filter { $0.userID == market.executorX }.count)
        #expect(history.allSatisfy { ($0["id"]?.intValue ?? 0) > 9_000_000_000_000_000 && $0["created_at"]?.stringValue != nil })

        // Orders: normalised contacts shown to the client only; stored-active rows past their
        // time read as what they are; finished ones with their takes and review.
        let keeper = try get("/api/orders/\(market.keeper)", as: a)
        #expect(keeper["status"] == .string("active") && keeper["contact"]?.stringValue?.hasPrefix("+79") == true)
        #expect(try get("/api/orders/\(market.keeper)")["contact"] == .null)
        #expect(try get("/api/orders/\(market.duplicate)")["status"] == .string("expired"))
        #expect(try get("/api/orders/\(market.duplicateDue)")["status"] == .string("closed_no_response"))
        let hoursOld = try get("/api/orders/\(market.hoursOldTaken)")
        #expect(hoursOld["status"] == .string("closed_no_response"))
        #expect(hoursOld["taken_by"]?.orderItems.first?["executor_id"] == .int(market.executorY))
        #expect(try get("/api/orders/\(market.hoursOldUntaken)")["status"] == .string("expired"))
        let completed = try get("/api/orders/\(market.completed)", as: x)
        #expect(completed["status"] == .string("completed") && completed["rating"] == .int(5))
        #expect(completed["contact"]?.stringValue?.hasPrefix("+7 9727 ") == true)
        #expect(try api.get(market.unknownCity).status == 404)
        let inCity = try api.listIDs("city=\(OrderAPI.encoded(cities[1]))")
        #expect(inCity.ids == [market.usernameKeeper] && inCity.total == 1)
        #expect(try api.listIDs("mine=true", as: b).ids.contains(market.usernameKeeper))

        // The old backend's invoice, paid after the switch: its webhook has no payload.
        let db = try stack.database()
        let paymentID = try #require(
            try db.execute(
                sql: "SELECT id FROM payments WHERE legacy_invoice_id IS NOT NULL AND external_id = $1", [String(market.pendingInvoice)]
            )
            .int(0, 0))
        let webhook = try paidWebhook(invoiceID: market.pendingInvoice, rubles: 250)
        for _ in 0..<2 {
            let response = try api.http.send(
                "POST", "/api/balance/webhook/crypto-bot",
                headers: [("Content-Type", "application/json"), ("crypto-pay-api-signature", webhook.signature)], body: webhook.body)
            #expect(response.status == 200, "\(response.text)")
        }
        let status = try get("/api/balance/payment/\(paymentID)/status", as: a)
        #expect(status["status"] == .string("paid") && status["new_balance"] == .int(750))
        #expect(try get("/api/balance", as: a)["balance"] == .int(750))
    }

    /// Crypto Pay's `invoice_paid` for an invoice made without a payload, signed as Crypto Pay
    /// signs: hex HMAC-SHA256 of the body under SHA-256 of the token.
    private func paidWebhook(invoiceID: Int64, rubles: Int) throws -> (body: [UInt8], signature: String) {
        let body = Array(
            """
            {"update_id":\(invoiceID),"update_type":"invoice_paid","request_date":"2026-01-01T00:00:00.000Z",\
            "payload":{"invoice_id":\(invoiceID),"hash":"IV\(invoiceID)","currency_type":"fiat","fiat":"RUB","amount":"\(rubles)",\
            "status":"paid","bot_invoice_url":"https://t.me/CryptoBot?start=IV\(invoiceID)","paid_at":"2026-01-01T00:00:00.000Z"}}
            """.utf8)
        let token = try TestStack.required("SROCHNO_TEST_CRYPTO_PAY_TOKEN")
        guard let key = sha256(Array(token.utf8)), let mac = hmacSHA256(key: key, message: body) else {
            throw HTTPClientError(description: "libcrypto failed")
        }
        let hex = mac.map { byte in String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16) }.joined()
        return (body, hex)
    }
}

extension TestUser {
    /// A user whose id the test chose (an adopted one), signing as `firstName`.
    init(id: Int64, firstName: String, botToken: String) {
        self.id = id
        self.firstName = firstName
        self.botToken = botToken
    }
}
