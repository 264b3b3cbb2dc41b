@testable import SrochnoStore
import SrochnoCore
import SrochnoJobs
import SrochnoPostgres
import SrochnoTestSupport
import Testing

/// The reconciliation job (SPEC §8.1) credits what a lost webhook missed, once, and nothing the
/// provider does not report paid for exactly what was stored; fakes on loopback stand in for
/// Crypto Pay and the Bot API.
@Suite struct ReconcilerTests {
    let now = Instant(seconds: 1_900_000_000)
    let user: Int64 = 7001
    let stranger: Int64 = 7002

    /// Made 40 minutes before `now`: shown `expired`, yet money that arrived is still credited.
    var createdAt: Instant { now.adding(minutes: -40) }

    private func reconciler(cryptoPay: String? = nil, stars: String? = nil, starPages: Int = 20, log: LogLines = LogLines())
        -> PaymentReconciler
    {
        PaymentReconciler(
            starPages: starPages, cryptoPay: cryptoPay.map(PaymentFakes.cryptoPayConfiguration),
            stars: stars.map(PaymentFakes.botAPIConfiguration), log: log.append)
    }

    private func counts(_ checked: Int, _ credited: Int, mismatches: Int = 0) -> PaymentReconciler.Counts {
        var counts = PaymentReconciler.Counts()
        counts.checked = checked
        counts.credited = credited
        counts.mismatches = mismatches
        return counts
    }

    private func withUser<T>(_ body: (ScratchDatabase, PostgresConnection) throws -> T) throws -> T {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            try Market(db).addUser(user)
            try Market(db).addUser(stranger)
            return try body(scratch, db)
        }
    }

    // MARK: Crypto Pay

    @Test func aLostCryptoPayWebhookIsCreditedOnce() throws {
        try withUser { _, db in
            let payment = try PaymentFakes.pendingCryptoPay(db, user: user, invoice: 9001, createdAt: createdAt)
            let fake = PaymentFakes.cryptoPay([PaymentFakes.invoice(9001, payload: "\(payment)")])
            let first = try reconciler(cryptoPay: fake.baseURL).run(db, now: now)
            let second = try reconciler(cryptoPay: fake.baseURL).run(db, now: now)
            let seen = fake.finish()

            #expect(first.cryptoPay == counts(1, 1) && first.stars == nil && first.failures.isEmpty, "\(first)")
            #expect(second.cryptoPay == counts(0, 0) && second.failures.isEmpty, "nothing is pending any more: \(second)")
            #expect(try db.balance(of: user) == 300)
            #expect(try PaymentFakes.ledgerRows(db, payment: payment) == 1)
            let stored = try #require(try db.queryFirst(PaymentByID(paymentID: payment)))
            #expect(stored.status == "paid" && stored.externalID == "9001" && stored.paidAt == now)
            #expect(try db.ledgerMismatches() == 0)

            try #require(seen.requests.count == 1, "the second run asks nothing")
            let request = seen.requests[0]
            #expect(request.target == "/api/getInvoices")
            #expect(request.header("crypto-pay-api-token") == PaymentFakes.cryptoPayToken)
            let body = try JSONParser.parse(request.body)
            #expect(body["invoice_ids"] == .string("9001"))
        }
    }

    /// An invoice the old backend made (carried over by srochno-adopt, sql/0011) has no payload:
    /// paid after the switch with its webhook lost, it is credited by its invoice id alone; an
    /// invoice that carries a payload after all is not the one we adopted.
    @Test func anAdoptedInvoiceWithoutAPayloadIsCreditedOnce() throws {
        try withUser { _, db in
            let adopted = try PaymentFakes.pendingCryptoPay(db, user: user, invoice: 9051, createdAt: createdAt)
            let impostor = try PaymentFakes.pendingCryptoPay(db, user: user, invoice: 9052, createdAt: createdAt)
            for (payment, legacyID) in [(adopted, Int64(51)), (impostor, Int64(52))] {
                try db.execute(sql: "UPDATE payments SET legacy_invoice_id = $1 WHERE id = $2", [legacyID, payment])
            }
            let fake = PaymentFakes.cryptoPay([
                PaymentFakes.invoice(9051, payload: nil), PaymentFakes.invoice(9052, payload: "\(impostor)"),
            ])
            let log = LogLines()
            let first = try reconciler(cryptoPay: fake.baseURL, log: log).run(db, now: now)
            let second = try reconciler(cryptoPay: fake.baseURL).run(db, now: now)
            _ = fake.finish()

            #expect(first.cryptoPay == counts(2, 1, mismatches: 1) && first.failures.isEmpty, "\(first)")
            #expect(second.cryptoPay == counts(1, 0, mismatches: 1), "only the impostor is left pending: \(second)")
            #expect(try PaymentFakes.ledgerRows(db, payment: adopted) == 1)
            #expect(try PaymentFakes.ledgerRows(db, payment: impostor) == 0)
            #expect(try db.balance(of: user) == 300)
            #expect(log.lines.contains("crypto_bot mismatch: invoice 9052 of payment \(impostor): its payload does not name the payment"))
            #expect(try db.ledgerMismatches() == 0)
        }
    }

    @Test func activeAndExpiredInvoicesCreditNothing() throws {
        try withUser { _, db in
            let active = try PaymentFakes.pendingCryptoPay(db, user: user, invoice: 9101, createdAt: createdAt)
            let expired = try PaymentFakes.pendingCryptoPay(db, user: user, invoice: 9102, createdAt: createdAt)
            let fake = PaymentFakes.cryptoPay([
                PaymentFakes.invoice(9101, status: "active", payload: "\(active)"),
                PaymentFakes.invoice(9102, status: "expired", payload: "\(expired)"),
            ])
            let log = LogLines()
            let summary = try reconciler(cryptoPay: fake.baseURL, log: log).run(db, now: now)
            _ = fake.finish()

            #expect(summary.cryptoPay == counts(2, 0) && summary.failures.isEmpty, "\(summary)")
            #expect(log.lines.isEmpty, "\(log.lines)")
            #expect(try db.balance(of: user) == 0)
            #expect(try db.queryFirst(PaymentByID(paymentID: active))?.status == "pending")
            #expect(try db.queryFirst(PaymentByID(paymentID: expired))?.status == "pending")
        }
    }

    /// Paid, but not what we asked for: another amount, another currency, a crypto invoice,
    /// another payment's payload, a fraction of a ruble. Each is counted and logged with ids and
    /// amounts only, and nothing is credited.
    @Test func aPaidInvoiceThatIsNotThePaymentsMoneyIsAMismatch() throws {
        try withUser { _, db in
            var payments: [Int64] = []
            for invoice in Int64(9201)...9205 {
                payments.append(try PaymentFakes.pendingCryptoPay(db, user: user, invoice: invoice, createdAt: createdAt))
            }
            let fake = PaymentFakes.cryptoPay([
                PaymentFakes.invoice(9201, payload: "\(payments[0])", amount: "3000"),
                PaymentFakes.invoice(9202, payload: "\(payments[1])", fiat: "USD"),
                PaymentFakes.invoice(9203, payload: "\(payments[2])", amount: "4.1", currencyType: "crypto", fiat: nil, asset: "USDT"),
                PaymentFakes.invoice(9204, payload: "\(payments[0])"),
                PaymentFakes.invoice(9205, payload: "\(payments[4])", amount: "300.50"),
            ])
            let log = LogLines()
            let summary = try reconciler(cryptoPay: fake.baseURL, log: log).run(db, now: now)
            _ = fake.finish()

            #expect(summary.cryptoPay == counts(5, 0, mismatches: 5) && summary.failures.isEmpty, "\(summary)")
            #expect(
                summary.fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ")
                    == "crypto_checked=5 crypto_credited=0 stars=off mismatches=5")
            #expect(try db.balance(of: user) == 0)
            #expect(try db.integer("SELECT count(*) FROM payments WHERE status = 'pending'") == 5)
            try #require(log.lines.count == 5, "\(log.lines)")
            #expect(log.lines.allSatisfy { $0.hasPrefix("crypto_bot mismatch: ") && !$0.contains(String(user)) }, "\(log.lines)")
            #expect(log.lines.contains { $0.contains("payment \(payments[0]): amount 3000 ≠ stored 300 RUB") }, "\(log.lines)")
            #expect(log.lines.contains { $0.contains("invoice 9202") && $0.contains("fiat USD, not fiat RUB") }, "\(log.lines)")
            #expect(log.lines.contains { $0.contains("invoice 9203") && $0.contains("crypto USDT") }, "\(log.lines)")
            #expect(log.lines.contains { $0.contains("invoice 9204") && $0.contains("payload does not name the payment") }, "\(log.lines)")
            #expect(log.lines.contains { $0.contains("invoice 9205") && $0.contains("300.50 is not whole rubles") }, "\(log.lines)")
        }
    }

    // MARK: Stars

    @Test func starsFromThePayerWithTheStoredStarsAreCreditedOnce() throws {
        try withUser { _, db in
            let right = try PaymentFakes.pendingStars(db, user: user, createdAt: createdAt)
            let otherPayer = try PaymentFakes.pendingStars(db, user: user, createdAt: createdAt)
            let fewerStars = try PaymentFakes.pendingStars(db, user: user, createdAt: createdAt)
            let date = now.seconds - 600
            let fake = PaymentFakes.botAPI([
                PaymentFakes.starPayment("charge-right", stars: 70, payer: user, payload: "\(right)", date: date),
                PaymentFakes.starPayment("charge-other-payer", stars: 70, payer: stranger, payload: "\(otherPayer)", date: date),
                PaymentFakes.starPayment("charge-fewer", stars: 69, payer: user, payload: "\(fewerStars)", date: date),
                PaymentFakes.starPayment("charge-not-ours", stars: 70, payer: user, payload: "order:42", date: date),
                #"{"id":"fragment-in","amount":500,"date":\#(date),"source":{"type":"fragment"}}"#,
                #"{"id":"withdrawal","amount":500,"date":\#(date),"receiver":{"type":"fragment"}}"#,
            ])
            let log = LogLines()
            let first = try reconciler(stars: fake.baseURL, log: log).run(db, now: now)
            let second = try reconciler(stars: fake.baseURL, log: log).run(db, now: now)
            let seen = fake.finish()

            #expect(first.stars == counts(3, 1, mismatches: 2) && first.cryptoPay == nil && first.failures.isEmpty, "\(first)")
            #expect(second.stars == counts(2, 0, mismatches: 2), "\(second)")
            #expect(try db.balance(of: user) == 100)
            #expect(try PaymentFakes.ledgerRows(db, payment: right) == 1)
            #expect(try db.queryFirst(PaymentByID(paymentID: right))?.externalID == "charge-right")
            #expect(try db.queryFirst(PaymentByID(paymentID: otherPayer))?.status == "pending")
            #expect(try db.queryFirst(PaymentByID(paymentID: fewerStars))?.status == "pending")
            #expect(try db.ledgerMismatches() == 0)

            #expect(log.lines.count == 4, "\(log.lines)")
            #expect(log.lines.contains("stars mismatch: payment \(otherPayer): payer is not the payment's user"), "\(log.lines)")
            #expect(log.lines.contains("stars mismatch: payment \(fewerStars): stars 69 ≠ stored 70"), "\(log.lines)")
            #expect(!log.lines.contains { $0.contains(String(user)) || $0.contains(String(stranger)) }, "\(log.lines)")

            try #require(seen.requests.count == 2)
            #expect(seen.requests[0].target == "/bot\(PaymentFakes.botToken)/getStarTransactions")
            let body = try JSONParser.parse(seen.requests[0].body)
            #expect(body["offset"] == .int(0) && body["limit"] == .int(100))
        }
    }

    /// An outgoing transaction has no `source`; a refund keeps the id of the payment it gives
    /// back, and that payment is not credited either.
    @Test func refundsAndOutgoingStarsCreditNothing() throws {
        try withUser { _, db in
            let refunded = try PaymentFakes.pendingStars(db, user: user, createdAt: createdAt)
            let onlyOutgoing = try PaymentFakes.pendingStars(db, user: user, createdAt: createdAt)
            let date = now.seconds - 600
            let fake = PaymentFakes.botAPI([
                PaymentFakes.starPayment("charge-refunded", stars: 70, payer: user, payload: "\(refunded)", date: date),
                PaymentFakes.starRefund("charge-refunded", stars: 70, payer: user, date: date + 60),
                PaymentFakes.starRefund("charge-outgoing-\(onlyOutgoing)", stars: 70, payer: user, date: date + 60),
            ])
            let summary = try reconciler(stars: fake.baseURL).run(db, now: now)
            _ = fake.finish()

            #expect(summary.stars == counts(2, 0) && summary.failures.isEmpty, "\(summary)")
            #expect(try db.balance(of: user) == 0)
            #expect(try db.integer("SELECT count(*) FROM payments WHERE status = 'pending'") == 2)
        }
    }

    /// Pages of 100 are read from offset 0 until a short one; the cap stops the reading, and
    /// says so, before a payment beyond it is seen.
    @Test func starPagesAreReadUntilAShortPageOrTheCap() throws {
        try withUser { _, db in
            let payment = try PaymentFakes.pendingStars(db, user: user, createdAt: createdAt)
            let start = now.seconds - 1200
            let history =
                (0..<100).map { PaymentFakes.starPayment("old-\($0)", stars: 5, payer: stranger, payload: "x", date: start + Int64($0)) }
                + [PaymentFakes.starPayment("charge-late", stars: 70, payer: user, payload: "\(payment)", date: now.seconds - 60)]

            let capped = PaymentFakes.botAPI(history)
            let log = LogLines()
            let short = try reconciler(stars: capped.baseURL, starPages: 1, log: log).run(db, now: now)
            #expect(capped.finish().requests.count == 1)
            #expect(short.stars == counts(1, 0) && short.failures.isEmpty, "\(short)")
            #expect(log.lines == ["stars: stopped at the cap of 1 pages (--star-pages) before the end of the transactions"])

            let fake = PaymentFakes.botAPI(history)
            let summary = try reconciler(stars: fake.baseURL, starPages: 3).run(db, now: now)
            let offsets = try fake.finish().requests.map { try JSONParser.parse($0.body)["offset"] }
            #expect(offsets == [.int(0), .int(100)])
            #expect(summary.stars == counts(1, 1), "\(summary)")
            #expect(try db.balance(of: user) == 100)
        }
    }

    /// Newest first, a page that runs back before the window's start ends the reading: nothing
    /// older can pay a payment made inside the window.
    @Test func aPageRunningBackPastTheWindowEndsTheReading() throws {
        try withUser { _, db in
            let payment = try PaymentFakes.pendingStars(db, user: user, createdAt: createdAt)
            let newestFirst =
                [PaymentFakes.starPayment("charge-new", stars: 70, payer: user, payload: "\(payment)", date: now.seconds - 60)]
                + (1..<150).map {
                    PaymentFakes.starPayment("older-\($0)", stars: 5, payer: stranger, payload: "x", date: now.seconds - Int64($0) * 3600)
                }
            let fake = PaymentFakes.botAPI(newestFirst)
            let summary = try reconciler(stars: fake.baseURL).run(db, now: now)
            #expect(fake.finish().requests.count == 1, "the first page reaches 99 hours back, beyond the 48-hour window")
            #expect(summary.stars == counts(1, 1), "\(summary)")
        }
    }

    // MARK: Both

    /// Nothing pending in the window (a paid payment, an older pending one): no provider is asked.
    @Test func noPendingPaymentMeansNoCall() throws {
        try withUser { _, db in
            let old = now.adding(minutes: -49 * 60)
            _ = try PaymentFakes.pendingCryptoPay(db, user: user, invoice: 9301, createdAt: old)
            _ = try PaymentFakes.pendingStars(db, user: user, createdAt: old)
            let paid = try PaymentFakes.pendingStars(db, user: user, createdAt: createdAt)
            let receipt = PaymentReceipt(paymentID: paid, provider: .stars, externalID: "charge-paid", amount: .stars(70), payer: user)
            #expect(try PaymentBook.credit(db, receipt, at: now) == .credited(userID: user, balance: 100))
            let cryptoPay = PaymentFakes.cryptoPay([])
            let botAPI = PaymentFakes.botAPI([])
            let summary = try reconciler(cryptoPay: cryptoPay.baseURL, stars: botAPI.baseURL).run(db, now: now)
            let cryptoSeen = cryptoPay.finish()
            let botSeen = botAPI.finish()

            #expect(summary.cryptoPay == counts(0, 0) && summary.stars == counts(0, 0) && summary.failures.isEmpty, "\(summary)")
            #expect(cryptoSeen.requests.isEmpty && cryptoSeen.connections == 0)
            #expect(botSeen.requests.isEmpty && botSeen.connections == 0)
        }
    }

    @Test func unconfiguredProvidersAreOff() throws {
        try withUser { _, db in
            _ = try PaymentFakes.pendingCryptoPay(db, user: user, invoice: 9401, createdAt: createdAt)
            let fields = try reconciler().perform(db, now: now)
            #expect(fields.map { "\($0.0)=\($0.1)" } == ["crypto=off", "stars=off", "mismatches=0"])
        }
    }

    /// Crypto Pay unreachable: Stars are still credited, then the run fails naming Crypto Pay.
    @Test func cryptoPayDownStillCreditsStarsAndFailsTheRun() throws {
        try withUser { _, db in
            let crypto = try PaymentFakes.pendingCryptoPay(db, user: user, invoice: 9501, createdAt: createdAt)
            let stars = try PaymentFakes.pendingStars(db, user: user, createdAt: createdAt)
            let down = RefusingPort()
            let botAPI = PaymentFakes.botAPI([
                PaymentFakes.starPayment("charge-1", stars: 70, payer: user, payload: "\(stars)", date: now.seconds - 60)
            ])
            let job = reconciler(cryptoPay: "http://127.0.0.1:\(down.port)", stars: botAPI.baseURL)
            let failure = withExtendedLifetime(down) { #expect(throws: ReconciliationFailed.self) { try job.perform(db, now: now) } }
            _ = botAPI.finish()

            let summary = try #require(failure?.summary)
            #expect(summary.stars == counts(1, 1) && summary.cryptoPay == counts(1, 0), "\(summary)")
            try #require(summary.failures.count == 1)
            #expect(summary.failures[0].hasPrefix("crypto_bot: Crypto Pay unreachable"), "\(summary.failures)")
            let message = String(describing: failure!)
            #expect(message.contains("stars_credited=1") && !message.contains(PaymentFakes.cryptoPayToken), "\(message)")
            #expect(try db.balance(of: user) == 100)
            #expect(try db.queryFirst(PaymentByID(paymentID: crypto))?.status == "pending")
        }
    }

    /// The Bot API refusing (a revoked token): Crypto Pay is still credited, the run fails
    /// naming the Bot API, and the token appears nowhere.
    @Test func theBotAPIRefusingStillCreditsCryptoPayAndFailsTheRun() throws {
        try withUser { _, db in
            let crypto = try PaymentFakes.pendingCryptoPay(db, user: user, invoice: 9601, createdAt: createdAt)
            _ = try PaymentFakes.pendingStars(db, user: user, createdAt: createdAt)
            let cryptoPay = PaymentFakes.cryptoPay([PaymentFakes.invoice(9601, payload: "\(crypto)")])
            let botAPI = PaymentFakes.fakeAPI { _ in
                #"{"ok":false,"error_code":401,"description":"Unauthorized: token \#(PaymentFakes.botToken) revoked"}"#
            }
            let summary = try reconciler(cryptoPay: cryptoPay.baseURL, stars: botAPI.baseURL).run(db, now: now)
            _ = cryptoPay.finish()
            _ = botAPI.finish()

            #expect(summary.cryptoPay == counts(1, 1) && summary.stars == counts(1, 0), "\(summary)")
            #expect(summary.failures == ["stars: Bot API error 401: Unauthorized: token <redacted> revoked"])
            #expect(try db.balance(of: user) == 300)
        }
    }

    /// Eight deliveries of the same receipt race a reconciliation run that finds it paid at
    /// Crypto Pay: one ledger row, the balance raised once, no statement failed.
    @Test func creditsRacingTheReconcilerLeaveOneLedgerRow() throws {
        try withUser { scratch, db in
            let payment = try PaymentFakes.pendingCryptoPay(db, user: user, amount: 500, invoice: 9701, createdAt: createdAt)
            let fake = PaymentFakes.cryptoPay([PaymentFakes.invoice(9701, payload: "\(payment)", amount: "500")])
            let (baseURL, moment, owner) = (fake.baseURL, now, user)
            let results = inParallel(9) { thread -> Int in
                let connection = try scratch.connect()
                if thread == 0 {
                    let job = PaymentReconciler(cryptoPay: PaymentFakes.cryptoPayConfiguration(baseURL), stars: nil, log: { _ in })
                    let summary = try job.run(connection, now: moment)
                    guard summary.failures.isEmpty, let counts = summary.cryptoPay else { return -1 }
                    return counts.credited
                }
                let receipt = PaymentReceipt(paymentID: payment, provider: .cryptoBot, externalID: "9701", amount: .rubles(500))
                switch try PaymentBook.credit(connection, receipt, at: moment) {
                case .credited(let credited, _) where credited == owner: return 1
                case .alreadyCredited: return 0
                default: return -1
                }
            }
            _ = fake.finish()
            let credited = try results.map { try $0.get() }  // any failed statement fails the test
            #expect(credited.allSatisfy { $0 >= 0 } && credited.reduce(0, +) == 1, "\(credited)")
            #expect(try PaymentFakes.ledgerRows(db, payment: payment) == 1)
            #expect(try db.balance(of: user) == 500)
            #expect(try db.ledgerMismatches() == 0)
        }
    }
}
