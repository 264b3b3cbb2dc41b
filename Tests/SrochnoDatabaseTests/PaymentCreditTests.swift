@testable import SrochnoStore
import SrochnoCore
import SrochnoPostgres
import SrochnoTestSupport
import Testing

/// Top-ups are credited exactly once (SPEC §8.1): one conditional statement under the payment's
/// row lock, with unique indexes behind it, whoever delivers the news and how often.
@Suite struct PaymentCreditTests {
    let now = Instant(seconds: 1_900_000_000)
    let user: Int64 = 6001

    /// A pending Crypto Pay payment of `amount` rubles with invoice `invoice`.
    private func pendingPayment(_ db: PostgresConnection, amount: Int64 = 300, invoice: String = "777001") throws -> Int64 {
        let id = try db.queryOne(
            InsertPayment(userID: user, provider: .cryptoBot, amount: amount, stars: nil, now: now, lifetimeMinutes: 30))
        #expect(
            try db.run(
                MarkPaymentPending(
                    paymentID: id, externalID: invoice, payURL: "https://t.me/CryptoBot?start=IV\(invoice)",
                    miniAppInvoiceURL: nil)) == 1)
        return id
    }

    private func credit(
        _ db: PostgresConnection, _ payment: Int64, invoice: String = "777001", amount: Int64 = 300,
        provider: PaymentProvider = .cryptoBot
    ) throws -> (entryID: Int64, balance: Int64)? {
        try db.queryFirst(
            CreditPayment(
                receipt: PaymentReceipt(paymentID: payment, provider: provider, externalID: invoice, amount: .rubles(amount)),
                paidAt: now.adding(minutes: 1)))
    }

    @Test func aPendingPaymentIsCreditedOnceAndReplaysChangeNothing() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            try Market(db).addUser(user)
            let payment = try pendingPayment(db)
            let first = try #require(try credit(db, payment))
            #expect(first.balance == 300)
            #expect(try credit(db, payment) == nil, "a replay credits nothing")
            #expect(try db.balance(of: user) == 300)
            let stored = try #require(try db.queryFirst(PaymentByID(paymentID: payment)))
            #expect(stored.status == "paid" && stored.paidAt == now.adding(minutes: 1) && stored.externalID == "777001")
            #expect(stored.legacyInvoiceID == nil && stored.cryptoPayPayload == String(payment), "our invoices carry our id")
            #expect(try db.integer("SELECT count(*) FROM balance_transactions WHERE payment_id = $1::bigint", [payment]) == 1)
            #expect(try db.ledgerMismatches() == 0)
        }
    }

    @Test func aMismatchCreditsNothing() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            try Market(db).addUser(user)
            let payment = try pendingPayment(db)
            #expect(try credit(db, payment, amount: 3000) == nil, "another amount")
            #expect(try credit(db, payment, invoice: "777002") == nil, "another invoice")
            #expect(try credit(db, payment, provider: .stars) == nil, "another provider")
            #expect(try credit(db, payment + 1) == nil, "an unknown payment")
            #expect(try db.balance(of: user) == 0)
            #expect(try db.queryFirst(PaymentByID(paymentID: payment))?.status == "pending")
        }
    }

    /// A payment that was never made payable (the provider failed) cannot be credited.
    @Test func aFailedPaymentIsNeverCredited() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            try Market(db).addUser(user)
            let id = try db.queryOne(
                InsertPayment(userID: user, provider: .cryptoBot, amount: 300, stars: nil, now: now, lifetimeMinutes: 30))
            #expect(try db.run(MarkPaymentFailed(paymentID: id)) == 1)
            #expect(try credit(db, id) == nil)
            #expect(try db.run(MarkPaymentPending(paymentID: id, externalID: "1", payURL: "https://x", miniAppInvoiceURL: nil)) == 0)
            #expect(try db.balance(of: user) == 0)
        }
    }

    /// Ten deliveries of the same news at once (webhooks and the reconciliation job): one ledger
    /// row, the balance raised once, and no statement failed.
    @Test func parallelDeliveriesCreditOnce() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            try Market(db).addUser(user)
            let payment = try pendingPayment(db, amount: 500)
            let results = inParallel(10) { _ in
                try scratch.connect().queryFirst(
                    CreditPayment(
                        receipt: PaymentReceipt(paymentID: payment, provider: .cryptoBot, externalID: "777001", amount: .rubles(500)),
                        paidAt: Instant(seconds: 1_900_000_060)))?.balance
            }
            let outcomes = try results.map { try $0.get() }  // any failed statement fails the test
            #expect(outcomes.compactMap { $0 } == [500], "\(outcomes)")
            #expect(try db.balance(of: user) == 500)
            #expect(try db.ledgerMismatches() == 0)
        }
    }

    /// Whatever a buggy writer sends, the database keeps one credit per payment and per receipt.
    @Test func theLedgerRefusesASecondCreditOfAPaymentOrAReceipt() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            try Market(db).addUser(user)
            let payment = try pendingPayment(db)
            _ = try #require(try credit(db, payment))
            let samePayment = #expect(throws: PostgresError.self) {
                try db.execute(
                    sql: """
                        INSERT INTO balance_transactions (user_id, type, amount, description, payment_id, provider, external_id)
                        VALUES ($1::bigint, 'recharge', 300, 'again', $2::bigint, 'crypto_bot', 'other')
                        """, [user, payment])
            }
            #expect(samePayment?.constraint == "balance_transactions_one_credit_per_payment")
            let other = try db.queryOne(
                InsertPayment(userID: user, provider: .cryptoBot, amount: 300, stars: nil, now: now, lifetimeMinutes: 30))
            let sameReceipt = #expect(throws: PostgresError.self) {
                try db.execute(
                    sql: """
                        INSERT INTO balance_transactions (user_id, type, amount, description, payment_id, provider, external_id)
                        VALUES ($1::bigint, 'recharge', 300, 'again', $2::bigint, 'crypto_bot', '777001')
                        """, [user, other])
            }
            #expect(sameReceipt?.constraint == "balance_transactions_one_credit_per_receipt")
            let halfShaped = #expect(throws: PostgresError.self) {
                try db.execute(
                    sql: """
                        INSERT INTO balance_transactions (user_id, type, amount, description, payment_id)
                        VALUES ($1::bigint, 'recharge', 300, 'no provider', $2::bigint)
                        """, [user, other])
            }
            #expect(halfShaped?.constraint == "balance_transactions_kind_shape")
            #expect(try db.balance(of: user) == 300)
        }
    }

    /// Stars are checked in Stars and against the payer: Telegram names who paid.
    @Test func aStarsReceiptMustMatchItsStarsAndItsPayer() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            try Market(db).addUser(user)
            let payment = try db.queryOne(
                InsertPayment(userID: user, provider: .stars, amount: 100, stars: 70, now: now, lifetimeMinutes: 30))
            #expect(
                try db.run(MarkPaymentPending(paymentID: payment, externalID: nil, payURL: "https://t.me/$x", miniAppInvoiceURL: nil)) == 1)
            func receipt(stars: Int64 = 70, payer: Int64? = nil, charge: String = "charge-1") -> PaymentReceipt {
                PaymentReceipt(paymentID: payment, provider: .stars, externalID: charge, amount: .stars(stars), payer: payer ?? user)
            }
            let paidAt = now.adding(minutes: 2)
            #expect(try PaymentBook.credit(db, receipt(stars: 69), at: paidAt) == .mismatch("payment \(payment): stars 69 ≠ stored 70"))
            guard case .mismatch(let why) = try PaymentBook.credit(db, receipt(payer: user + 1), at: paidAt) else {
                Issue.record("another payer was credited")
                return
            }
            #expect(why.contains("payer is not the payment's user") && !why.contains(String(user)), "\(why)")
            #expect(try db.balance(of: user) == 0)
            #expect(try PaymentBook.credit(db, receipt(), at: paidAt) == .credited(userID: user, balance: 100))
            #expect(try PaymentBook.credit(db, receipt(), at: paidAt) == .alreadyCredited)
            guard case .mismatch = try PaymentBook.credit(db, receipt(charge: "charge-2"), at: paidAt) else {
                Issue.record("a second charge for a paid payment was not reported")
                return
            }
            #expect(
                try PaymentBook.credit(
                    db, PaymentReceipt(paymentID: payment + 100, provider: .stars, externalID: "c", amount: .stars(70)), at: paidAt)
                    == .unknownPayment)
            #expect(try db.balance(of: user) == 100)
            #expect(try db.ledgerMismatches() == 0)
        }
    }

    /// The reconciliation job asks only about pending payments of one provider, oldest first.
    @Test func pendingPaymentsAreListedByProviderSinceATime() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            try Market(db).addUser(user)
            let old = try pendingPayment(db, invoice: "1")
            let newer = try pendingPayment(db, invoice: "2")
            let paid = try pendingPayment(db, invoice: "3")
            _ = try #require(try credit(db, paid, invoice: "3"))
            _ = try db.queryOne(InsertPayment(userID: user, provider: .stars, amount: 10, stars: 7, now: now, lifetimeMinutes: 30))
            let listed = try PaymentBook.pending(db, provider: .cryptoBot, since: now, limit: 10).map(\.id)
            #expect(listed == [old, newer])
            #expect(try PaymentBook.pending(db, provider: .cryptoBot, since: now.adding(seconds: 1), limit: 10).isEmpty)
            #expect(try PaymentBook.pending(db, provider: .stars, since: now, limit: 10).isEmpty, "creating is not pending")
        }
    }
}
