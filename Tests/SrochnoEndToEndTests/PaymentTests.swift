import Glibc
import SrochnoCore
import SrochnoTestSupport
import Testing

/// Top-ups through nginx against fake providers on the ports the test config names (SPEC §8.1):
/// Crypto Pay and the Bot API are `FakeCryptoPay` and `FakeBotAPI`, never the real services.
/// Every test here binds those fixed ports, so they all live in this one serialized suite and
/// never race for them; the tests that need no provider are `PaymentWebhookTests`.
@Suite(.serialized) struct PaymentProviderTests {
    let payments: PaymentStack

    init() throws {
        payments = try PaymentStack()
    }

    @Test func aCryptoPayTopUpIsPendingUntilTheSignedWebhookThenPaid() throws {
        let user = TestUser(payments.stack)
        try payments.stack.fund(user, 5)
        try payments.withFakes { cryptoPay, _ in
            let created = try payments.createdInvoice(as: user, amount: 150, provider: "crypto_bot")
            guard case .object(let members) = created.body else { throw HTTPClientError(description: "not an object") }
            #expect(Set(members.map(\.key)) == ["payment_id", "pay_url", "mini_app_invoice_url"])

            let calls = cryptoPay.requests(to: "createInvoice")
            try #require(calls.count == 1)
            #expect(calls[0].header("crypto-pay-api-token") == payments.cryptoPayToken)
            let sent = try JSONParser.parse(calls[0].body)
            #expect(sent["currency_type"] == .string("fiat"))
            #expect(sent["fiat"] == .string("RUB"))
            #expect(sent["amount"] == .string("150"))
            #expect(sent["expires_in"] == .int(1800))
            #expect(sent["payload"] == .string(created.payload))
            #expect(sent["description"]?.stringValue?.isEmpty == false)
            let invoice = try #require(cryptoPay.invoice(payload: created.payload))
            #expect(created.payURL == invoice.botInvoiceURL)
            #expect(created.miniAppInvoiceURL == invoice.miniAppInvoiceURL)

            expectPaymentStatus(
                try payments.status(of: created.paymentID, as: user), id: created.paymentID, "pending", amount: 150, newBalance: nil)
            cryptoPay.markPaid(invoice.invoiceID)
            let delivered = try payments.deliver(cryptoPay.paidWebhook(for: invoice.invoiceID))
            #expect(delivered.status == 200, "body: \(delivered.text)")

            expectPaymentStatus(
                try payments.status(of: created.paymentID, as: user), id: created.paymentID, "paid", amount: 150, newBalance: 155)
            #expect(
                try payments.credits(ofPayment: created.paymentID) == [
                    PaymentCredit(
                        userID: user.id, type: "recharge", amount: 150, provider: "crypto_bot", externalID: String(invoice.invoiceID))
                ])
        }
        #expect(try payments.stack.balance(of: user) == 155)
        #expect(try payments.stack.ledgerMismatches([user.id]) == 0)
    }

    /// SPEC §8.1: `provider` omitted → the configured default, `crypto_bot` unless configured
    /// otherwise (the test config sets no other).
    @Test func aTopUpNamingNoProviderGoesToCryptoPay() throws {
        let user = TestUser(payments.stack)
        try payments.withFakes { cryptoPay, botAPI in
            let created = try payments.createdInvoice(as: user, amount: 42)
            #expect(cryptoPay.invoice(payload: created.payload)?.amount == "42")
            #expect(botAPI.requests.isEmpty)
        }
    }

    @Test func aStarsTopUpAsksForTheStarsPriceAndIsCreditedOnceByItsChargeID() throws {
        let user = TestUser(payments.stack)
        try payments.withFakes { cryptoPay, botAPI in
            // 101 ₽ × 0.7 = 70.7 → 71 Stars: the price rounds up.
            let created = try payments.createdInvoice(as: user, amount: 101, provider: "stars")
            #expect(cryptoPay.requests.isEmpty)
            try #require(botAPI.invoiceLinks.count == 1)
            let link = botAPI.invoiceLinks[0]
            #expect(link.currency == "XTR")
            #expect(link.prices.map(\.amount) == [71])
            #expect(link.providerToken?.isEmpty ?? true, "Stars invoices take no provider token")
            #expect(link.payload == created.payload)
            #expect(created.payURL == link.url)
            #expect(created.miniAppInvoiceURL == link.url)
            expectPaymentStatus(
                try payments.status(of: created.paymentID, as: user), id: created.paymentID, "pending", amount: 101, newBalance: nil)

            let queryID = TelegramUpdate.queryID()
            let answer = try payments.deliver(
                telegram: TelegramUpdate.preCheckout(queryID: queryID, from: user.id, totalAmount: 71, payload: created.payload))
            expectPreCheckoutAnswer(answer, queryID: queryID, ok: true)

            let chargeID = uniqueChargeID()
            let paid = TelegramUpdate.successfulPayment(from: user.id, totalAmount: 71, payload: created.payload, chargeID: chargeID)
            for _ in 0..<2 {
                let delivered = try payments.deliver(telegram: paid)
                #expect(delivered.status == 200, "body: \(delivered.text)")
            }
            expectPaymentStatus(
                try payments.status(of: created.paymentID, as: user), id: created.paymentID, "paid", amount: 101, newBalance: 101)
            #expect(
                try payments.credits(ofPayment: created.paymentID) == [
                    PaymentCredit(userID: user.id, type: "recharge", amount: 101, provider: "stars", externalID: chargeID)
                ])
        }
        #expect(try payments.stack.ledgerMismatches([user.id]) == 0)
    }

    /// Ten deliveries of the same paid webhook at once, and the reconciliation job finding the
    /// same invoice paid at the same moment: one ledger row, the balance raised once.
    @Test func tenParallelWebhooksAndAReconciliationCreditOnce() throws {
        let user = TestUser(payments.stack)
        try payments.withFakes { cryptoPay, _ in
            let created = try payments.createdInvoice(as: user, amount: 250, provider: "crypto_bot")
            let invoice = try #require(cryptoPay.invoice(payload: created.payload))
            cryptoPay.markPaid(invoice.invoiceID)
            let webhook = cryptoPay.paidWebhook(for: invoice.invoiceID)
            let payments = self.payments
            let outcomes = inParallel(11) { index -> String in
                if index == 10 {
                    let run = try payments.reconcile()
                    return "reconcile exit \(run.exitCode.map(String.init) ?? "signal") \(run.standardError)"
                }
                return "webhook \(try payments.deliver(webhook).status)"
            }
            let results = try outcomes.map { try $0.get() }
            #expect(results.filter { $0 == "webhook 200" }.count == 10, "\(results)")
            #expect(results[10].hasPrefix("reconcile exit 0"), "\(results[10])")

            #expect(
                try payments.credits(ofPayment: created.paymentID) == [
                    PaymentCredit(
                        userID: user.id, type: "recharge", amount: 250, provider: "crypto_bot", externalID: String(invoice.invoiceID))
                ])
            expectPaymentStatus(
                try payments.status(of: created.paymentID, as: user), id: created.paymentID, "paid", amount: 250, newBalance: 250)
        }
        #expect(try payments.stack.balance(of: user) == 250)
        #expect(try payments.stack.ledgerMismatches([user.id]) == 0)
    }

    @Test(arguments: [FakeProviderMode.refusing, .badGateway])
    func aProviderThatIsDownIs503AndLeavesNothingPayable(_ mode: FakeProviderMode) throws {
        let user = TestUser(payments.stack)
        try payments.withFakes(cryptoPay: mode, botAPI: mode) { cryptoPay, botAPI in
            expectDetail(try payments.createInvoice(as: user, amount: 100, provider: "crypto_bot"), 503, "Payment provider unavailable")
            expectDetail(try payments.createInvoice(as: user, amount: 100, provider: "stars"), 503, "Payment provider unavailable")
            if mode == .badGateway {
                #expect(cryptoPay.requests(to: "createInvoice").count >= 1)
                #expect(botAPI.requests(to: "createInvoiceLink").count >= 1)
            }
        }
        #expect(try payments.pendingPaymentCount(of: user) == 0)
        #expect(try payments.client.get("/api/balance", as: user).text == #"{"balance":0}"#)
    }

    /// A provider that takes the request and never answers: 503 once the provider timeout
    /// passes (the status and the call are checked, never the time), and the stack serves on.
    @Test func aStalledProviderIs503AndTheStackServesOn() throws {
        let user = TestUser(payments.stack)
        try payments.withFakes(cryptoPay: .stalled, botAPI: .stalled) { cryptoPay, botAPI in
            expectDetail(try payments.createInvoice(as: user, amount: 100, provider: "crypto_bot"), 503, "Payment provider unavailable")
            #expect(cryptoPay.requests(to: "createInvoice").count >= 1, "the fake saw the call")
            expectDetail(try payments.createInvoice(as: user, amount: 100, provider: "stars"), 503, "Payment provider unavailable")
            #expect(botAPI.requests(to: "createInvoiceLink").count >= 1, "the fake saw the call")
        }
        #expect(try payments.pendingPaymentCount(of: user) == 0)
        #expect(try payments.client.get("/health").status == 200)
        #expect(try payments.client.get("/api/balance", as: user).text == #"{"balance":0}"#)
    }

    @Test func reconciliationCreditsACryptoPaymentWhoseWebhookWasLost() throws {
        let user = TestUser(payments.stack)
        try payments.withFakes { cryptoPay, _ in
            let created = try payments.createdInvoice(as: user, amount: 120, provider: "crypto_bot")
            let invoice = try #require(cryptoPay.invoice(payload: created.payload))
            cryptoPay.markPaid(invoice.invoiceID)  // and no webhook ever arrives

            try expectReconciled()
            let asked = cryptoPay.requests(to: "getInvoices").compactMap { try? JSONParser.parse($0.body)["invoice_ids"]?.stringValue }
            #expect(asked.contains { $0.split(separator: ",").contains(Substring(String(invoice.invoiceID))) }, "\(asked)")
            expectPaymentStatus(
                try payments.status(of: created.paymentID, as: user), id: created.paymentID, "paid", amount: 120, newBalance: 120)

            try expectReconciled()
            #expect(
                try payments.credits(ofPayment: created.paymentID) == [
                    PaymentCredit(
                        userID: user.id, type: "recharge", amount: 120, provider: "crypto_bot", externalID: String(invoice.invoiceID))
                ])
        }
        #expect(try payments.stack.ledgerMismatches([user.id]) == 0)
    }

    @Test func reconciliationCreditsAStarsPaymentWhoseWebhookWasLost() throws {
        let user = TestUser(payments.stack)
        try payments.withFakes { _, botAPI in
            let created = try payments.createdInvoice(as: user, amount: 30, provider: "stars")  // 21 Stars
            let now = Int64(time(nil))
            // Someone else's payment for something that is not ours comes first in the list.
            botAPI.addStarTransaction(.init(id: uniqueChargeID(), amount: 5, date: now - 60, userID: user.id + 1, invoicePayload: "gift"))
            let chargeID = uniqueChargeID()
            botAPI.addStarTransaction(.init(id: chargeID, amount: 21, date: now, userID: user.id, invoicePayload: created.payload))

            try expectReconciled()
            #expect(botAPI.requests(to: "getStarTransactions").count >= 1)
            expectPaymentStatus(
                try payments.status(of: created.paymentID, as: user), id: created.paymentID, "paid", amount: 30, newBalance: 30)

            try expectReconciled()
            #expect(
                try payments.credits(ofPayment: created.paymentID) == [
                    PaymentCredit(userID: user.id, type: "recharge", amount: 30, provider: "stars", externalID: chargeID)
                ])
        }
        #expect(try payments.stack.ledgerMismatches([user.id]) == 0)
    }

    /// One run of `srochno-reconcile`: exit 0 and one summary line on stdout.
    private func expectReconciled(sourceLocation: SourceLocation = #_sourceLocation) throws {
        let run = try payments.reconcile()
        #expect(run.exitCode == 0, "stderr: \(run.standardError)", sourceLocation: sourceLocation)
        #expect(run.standardOutput.split(separator: "\n").count == 1, "stdout: \(run.standardOutput)", sourceLocation: sourceLocation)
    }
}
