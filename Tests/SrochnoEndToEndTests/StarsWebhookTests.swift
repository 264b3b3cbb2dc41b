import SrochnoCore
import SrochnoTestSupport
import Testing

/// The Bot API webhook for Stars top-ups (SPEC §8.1): the secret header, the pre-checkout
/// answer given in the response itself, and `successful_payment` credited once per charge id.
/// Pending Stars payments are arranged in the database (101 ₽, 71 Stars at the test config's
/// 0.7): the webhook calls no provider, so this suite runs alongside the others.
@Suite struct StarsWebhookTests {
    let payments: PaymentStack
    let amount: Int64 = 101
    let stars: Int64 = 71

    init() throws {
        payments = try PaymentStack()
    }

    private func pendingStarsPayment(for user: TestUser) throws -> Int64 {
        try payments.insertPendingPayment(for: user, provider: .stars, amount: amount)
    }

    private func preCheckout(
        _ payload: String, from userID: Int64, currency: String = "XTR", total: Int64? = nil
    ) throws -> (queryID: String, response: HTTPResult) {
        let queryID = TelegramUpdate.queryID()
        let update = TelegramUpdate.preCheckout(
            queryID: queryID, from: userID, currency: currency, totalAmount: total ?? stars, payload: payload)
        return (queryID, try payments.deliver(telegram: update))
    }

    private func paid(_ payment: Int64, by userID: Int64, chargeID: String, currency: String = "XTR", total: Int64? = nil) -> JSONValue {
        TelegramUpdate.successfulPayment(
            from: userID, currency: currency, totalAmount: total ?? stars, payload: String(payment), chargeID: chargeID)
    }

    private func expectPending(_ user: TestUser, _ payment: Int64, sourceLocation: SourceLocation = #_sourceLocation) throws {
        expectPaymentStatus(
            try payments.status(of: payment, as: user), id: payment, "pending", amount: amount, newBalance: nil,
            sourceLocation: sourceLocation)
        #expect(try payments.credits(ofPayment: payment).isEmpty, sourceLocation: sourceLocation)
    }

    @Test func anUpdateWithoutTheSecretIs401AndChangesNothing() throws {
        let user = TestUser(payments.stack)
        let payment = try pendingStarsPayment(for: user)
        let update = paid(payment, by: user.id, chargeID: uniqueChargeID())
        for secret: String? in [
            nil, "", payments.webhookSecret + "x", String(payments.webhookSecret.dropLast()), "x" + payments.webhookSecret,
        ] {
            let response = try payments.deliver(telegram: update, secretHeader: secret)
            #expect(response.status == 401, "secret \(secret ?? "none"): \(response.text)")
        }
        try expectPending(user, payment)

        // The same update with the configured secret does credit.
        #expect(try payments.deliver(telegram: update).status == 200)
        #expect(try payments.credits(ofPayment: payment).count == 1)
    }

    @Test func aPreCheckoutForAPendingPaymentIsAccepted() throws {
        let user = TestUser(payments.stack)
        let payment = try pendingStarsPayment(for: user)
        let (queryID, response) = try preCheckout(String(payment), from: user.id)
        expectPreCheckoutAnswer(response, queryID: queryID, ok: true)
        try expectPending(user, payment)
    }

    @Test func aPreCheckoutForWhatCannotBePaidIsRefused() throws {
        let user = TestUser(payments.stack)
        let payment = try pendingStarsPayment(for: user)
        let payload = String(payment)
        let expired = try pendingStarsPayment(for: user)
        try payments.age(payment: expired, byMinutes: 31)
        let alreadyPaid = try pendingStarsPayment(for: user)
        #expect(try payments.deliver(telegram: paid(alreadyPaid, by: user.id, chargeID: uniqueChargeID())).status == 200)
        let cryptoPayment = try payments.insertPendingPayment(
            for: user, provider: .cryptoBot, amount: amount, invoiceID: PaymentStack.arrangedInvoiceID())

        let refused: [(String, (queryID: String, response: HTTPResult))] = [
            ("unknown payment", try preCheckout("999999999999", from: user.id)),
            ("not a payment id", try preCheckout("top-up", from: user.id)),
            ("paid", try preCheckout(String(alreadyPaid), from: user.id)),
            ("expired", try preCheckout(String(expired), from: user.id)),
            ("a Crypto Pay payment", try preCheckout(String(cryptoPayment), from: user.id)),
            ("too few Stars", try preCheckout(payload, from: user.id, total: stars - 1)),
            ("too many Stars", try preCheckout(payload, from: user.id, total: stars + 1)),
            ("another user", try preCheckout(payload, from: user.id + 1)),
            ("another currency", try preCheckout(payload, from: user.id, currency: "RUB", total: amount * 100)),
        ]
        for (reason, answer) in refused {
            #expect(answer.response.status == 200, "\(reason): \(answer.response.text)")
            expectPreCheckoutAnswer(answer.response, queryID: answer.queryID, ok: false)
        }
        try expectPending(user, payment)
        try expectPending(user, cryptoPayment)
        #expect(try payments.credits(ofPayment: expired).isEmpty)
    }

    /// Telegram may deliver the same update more than once, at the same moment too.
    @Test func aSuccessfulPaymentIsCreditedOnceByItsChargeID() throws {
        let user = TestUser(payments.stack)
        let payment = try pendingStarsPayment(for: user)
        let chargeID = uniqueChargeID()
        let update = paid(payment, by: user.id, chargeID: chargeID)
        let payments = self.payments
        let statuses = try inParallel(5) { _ in try payments.deliver(telegram: update).status }.map { try $0.get() }
        #expect(statuses == Array(repeating: 200, count: 5))
        // Another charge for a payment already paid is not credited on top.
        _ = try payments.deliver(telegram: paid(payment, by: user.id, chargeID: uniqueChargeID()))

        #expect(
            try payments.credits(ofPayment: payment) == [
                PaymentCredit(userID: user.id, type: "recharge", amount: amount, provider: "stars", externalID: chargeID)
            ])
        expectPaymentStatus(try payments.status(of: payment, as: user), id: payment, "paid", amount: amount, newBalance: amount)
        #expect(try payments.stack.ledgerMismatches([user.id]) == 0)
    }

    @Test func aSuccessfulPaymentThatDoesNotMatchCreditsNothing() throws {
        let user = TestUser(payments.stack)
        let payment = try pendingStarsPayment(for: user)
        for update in [
            paid(payment, by: user.id, chargeID: uniqueChargeID(), total: stars - 1),
            paid(payment, by: user.id, chargeID: uniqueChargeID(), total: stars + 1),
            paid(payment, by: user.id, chargeID: uniqueChargeID(), currency: "RUB", total: amount * 100),
            paid(payment, by: user.id + 1, chargeID: uniqueChargeID()),
        ] {
            _ = try payments.deliver(telegram: update)
        }
        try expectPending(user, payment)
        #expect(try payments.stack.balance(of: user) == 0)

        #expect(try payments.deliver(telegram: paid(payment, by: user.id, chargeID: uniqueChargeID())).status == 200)
        #expect(try payments.credits(ofPayment: payment).map(\.amount) == [amount])
    }

    @Test func otherUpdatesAreAnsweredWithAnEmptyObject() throws {
        let user = TestUser(payments.stack)
        let response = try payments.deliver(telegram: TelegramUpdate.textMessage(from: user.id, "/start"))
        #expect(response.status == 200)
        #expect(try response.json() == .object([]), "body: \(response.text)")
    }
}
