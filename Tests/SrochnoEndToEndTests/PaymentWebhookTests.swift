import Glibc
import SrochnoCore
import SrochnoTestSupport
import Testing

/// The payment status endpoint and the Crypto Pay webhook (SPEC §8.1), with pending payments
/// arranged in the database as the API stores them once an invoice exists: no provider is
/// called, so this suite runs alongside the others (the fixed-port fakes' tests are
/// `PaymentProviderTests`). Webhooks are signed here with the stack's Crypto Pay token.
@Suite struct PaymentWebhookTests {
    let payments: PaymentStack

    init() throws {
        payments = try PaymentStack()
    }

    /// A pending Crypto Pay payment of `amount` rubles and its invoice id.
    private func pendingCryptoPayment(for user: TestUser, amount: Int64 = 150) throws -> (id: Int64, invoiceID: Int64) {
        let invoiceID = PaymentStack.arrangedInvoiceID()
        return (try payments.insertPendingPayment(for: user, provider: .cryptoBot, amount: amount, invoiceID: invoiceID), invoiceID)
    }

    /// The paid invoice Crypto Pay would report for that payment; a test changes it to forge one.
    private func paidInvoice(_ payment: (id: Int64, invoiceID: Int64), amount: String = "150") -> FakeCryptoPay.Invoice {
        let now = Instant(seconds: Int64(time(nil)))
        return FakeCryptoPay.Invoice(
            invoiceID: payment.invoiceID, status: .paid, amount: amount, description: "Пополнение баланса", payload: String(payment.id),
            createdAt: now.adding(minutes: -1), expiresAt: now.adding(minutes: 29), paidAt: now)
    }

    private func signed(_ invoice: FakeCryptoPay.Invoice, token: String? = nil) -> SignedCryptoPayWebhook {
        .invoicePaid(
            invoice, token: token ?? payments.cryptoPayToken, updateID: Int64.random(in: 1...1_000_000_000), requestDate: invoice.createdAt)
    }

    private func expectNothingCredited(_ user: TestUser, _ payment: Int64, sourceLocation: SourceLocation = #_sourceLocation) throws {
        expectPaymentStatus(
            try payments.status(of: payment, as: user), id: payment, "pending", amount: 150, newBalance: nil, sourceLocation: sourceLocation
        )
        #expect(try payments.credits(ofPayment: payment).isEmpty, sourceLocation: sourceLocation)
        #expect(try payments.stack.balance(of: user) == 0, sourceLocation: sourceLocation)
    }

    @Test func aPaymentIsVisibleToItsOwnerOnly() throws {
        let owner = TestUser(payments.stack)
        let other = TestUser(payments.stack)
        let payment = try pendingCryptoPayment(for: owner)

        expectPaymentStatus(try payments.status(of: payment.id, as: owner), id: payment.id, "pending", amount: 150, newBalance: nil)
        expectDetail(try payments.status(of: payment.id, as: other), 404, "Payment not found")
        expectDetail(try payments.status(of: 999_999_999_999, as: owner), 404, "Payment not found")
        expectDetail(try payments.client.get("/api/balance/payment/\(payment.id)/status"), 401, "Not authenticated")
    }

    /// Shown `expired` from the second its 30 minutes pass, and still credited when the money
    /// arrives after all.
    @Test func anExpiredPaymentIsStillCreditedWhenPaid() throws {
        let user = TestUser(payments.stack)
        let payment = try pendingCryptoPayment(for: user)
        try payments.age(payment: payment.id, byMinutes: 31)
        expectPaymentStatus(try payments.status(of: payment.id, as: user), id: payment.id, "expired", amount: 150, newBalance: nil)

        #expect(try payments.deliver(signed(paidInvoice(payment))).status == 200)
        expectPaymentStatus(try payments.status(of: payment.id, as: user), id: payment.id, "paid", amount: 150, newBalance: 150)
        #expect(try payments.credits(ofPayment: payment.id).count == 1)
    }

    @Test func aMissingOrWrongSignatureIs401AndChangesNothing() throws {
        let user = TestUser(payments.stack)
        let payment = try pendingCryptoPayment(for: user)
        let genuine = signed(paidInvoice(payment))
        let otherBody = signed(paidInvoice(payment, amount: "1500"))

        for signature in [
            nil, "", signed(paidInvoice(payment), token: payments.cryptoPayToken + "x").signature, otherBody.signature,
            String(genuine.signature.dropLast(2)), String(repeating: "0", count: 64),
        ] {
            let response = try payments.deliver(cryptoPay: genuine.body, signature: signature)
            #expect(response.status == 401, "signature \(signature ?? "none"): \(response.text)")
        }
        // The signature of the genuine body does not carry over to a changed one.
        #expect(try payments.deliver(cryptoPay: otherBody.body, signature: genuine.signature).status == 401)
        try expectNothingCredited(user, payment.id)

        // The same body, rightly signed, does credit: what the 401s refused was the signature.
        #expect(try payments.deliver(genuine).status == 200)
        #expect(
            try payments.credits(ofPayment: payment.id) == [
                PaymentCredit(userID: user.id, type: "recharge", amount: 150, provider: "crypto_bot", externalID: String(payment.invoiceID))
            ])
    }

    /// Validly signed, but not the money that was asked for: nothing is credited.
    @Test func anotherAmountCurrencyOrInvoiceCreditsNothing() throws {
        let user = TestUser(payments.stack)
        let payment = try pendingCryptoPayment(for: user)
        let invoice = paidInvoice(payment)
        var forgeries: [FakeCryptoPay.Invoice] = []
        for change in [
            { (forged: inout FakeCryptoPay.Invoice) in forged.amount = "151" },
            { $0.amount = "149" },
            { $0.amount = "150.5" },
            { $0.fiat = "USD" },
            {
                $0.currencyType = "crypto"
                $0.fiat = nil
                $0.asset = "USDT"
            },
            { $0.invoiceID = PaymentStack.arrangedInvoiceID() },
        ] as [(inout FakeCryptoPay.Invoice) -> Void] {
            var forged = invoice
            change(&forged)
            forgeries.append(forged)
        }
        for forged in forgeries {
            _ = try payments.deliver(signed(forged))
        }
        try expectNothingCredited(user, payment.id)

        #expect(try payments.deliver(signed(invoice)).status == 200)
        #expect(try payments.credits(ofPayment: payment.id).map(\.amount) == [150])
    }

    @Test func aReplayedWebhookCreditsOnce() throws {
        let user = TestUser(payments.stack)
        let payment = try pendingCryptoPayment(for: user, amount: 150)
        let webhook = signed(paidInvoice(payment))
        for _ in 0..<3 {
            #expect(try payments.deliver(webhook).status == 200)
        }
        // A later delivery of the same news under another update id changes nothing either.
        #expect(try payments.deliver(signed(paidInvoice(payment))).status == 200)
        #expect(try payments.credits(ofPayment: payment.id).count == 1)
        #expect(try payments.stack.balance(of: user) == 150)
        #expect(try payments.stack.ledgerMismatches([user.id]) == 0)
    }

    @Test func otherUpdateTypesAreAcknowledgedAndChangeNothing() throws {
        let user = TestUser(payments.stack)
        let payment = try pendingCryptoPayment(for: user)
        let update = SignedCryptoPayWebhook.update(
            type: "invoice_created", payload: paidInvoice(payment).json, token: payments.cryptoPayToken,
            requestDate: Instant(seconds: Int64(time(nil))))
        let response = try payments.deliver(update)
        #expect(response.status == 200)
        #expect(try response.json() == .object([("ok", .bool(true))]), "body: \(response.text)")
        try expectNothingCredited(user, payment.id)
    }

    @Test(arguments: [#"{"amount": 0}"#, #"{"amount": 100001}"#, #"{}"#, #"{"amount": 100, "provider": "paypal"}"#])
    func anInvalidTopUpIs422AndStoresNothing(_ body: String) throws {
        let user = TestUser(payments.stack)
        let response = try payments.client.post("/api/balance/create-invoice", json: body, as: user)
        #expect(response.status == 422, "body: \(response.text)")
        #expect(response.hasDetail)
        let stored = try payments.stack.database().execute(sql: "SELECT count(*) FROM payments WHERE user_id = $1::bigint", [user.id])
        #expect(stored.int(0, 0) == 0)
    }
}
