@testable import SrochnoAdoption
import SrochnoAdoptionFixtures
import SrochnoCore
import SrochnoPostgres
@testable import SrochnoStore
import Testing

/// srochno-adopt against an old database with every quirk: the result keeps every ruble and
/// every invariant of SPEC §3, and the verification agrees.
@Suite struct AdoptionTests {
    @Test func adoptsEveryQuirkKeepingEveryRuble() throws {
        try AdoptionRun.with { run in
            let outcome = try run.adopt()
            let verification = try #require(outcome.verification)
            #expect(verification.passed, "\(verification.lines.joined(separator: "\n"))")
            let db = try run.target.connect()
            let market = run.market

            // Money: balances are the old ones, plus the refunds the import paid (X took two
            // duplicates that were due, unanswered: one named, one among the bulk orders); the
            // ledger sums equal them.
            let expected = [
                market.clientA: 500, market.clientB: 0, market.executorX: 124, market.executorY: 7, market.executorZ: 0,
            ]
            for (user, balance) in expected { #expect(try db.balance(of: user) == Int64(balance), "user \(user)") }
            #expect(try db.ledgerMismatches() == 0)
            #expect(
                try db.integer(
                    "SELECT count(*) FROM balance_transactions WHERE description = 'Balance carried over from the previous Srochno'") == 3)
            #expect(
                try db.integer("SELECT amount FROM balance_transactions WHERE user_id = $1::bigint AND user_seq = 1", [market.clientA])
                    == 500)

            // SPEC §3: one active order per normalised contact, takes within their limit and once
            // each, one refund per take, matching it; counters agree with the rows.
            #expect(
                try db.integer(
                    "SELECT count(*) FROM (SELECT 1 FROM orders WHERE status = 'active' GROUP BY lower(contact) HAVING count(*) > 1) d")
                    == 0)
            #expect(
                try db.integer(
                    "SELECT count(*) FROM orders WHERE take_count <> (SELECT count(*) FROM executor_takes t WHERE t.order_id = orders.id)")
                    == 0)
            #expect(try db.integer("SELECT count(*) FROM orders WHERE take_count > max_executors") == 0)
            #expect(try db.takesRefundedMoreThanOnce() == 0)
            #expect(try db.refundsNotMatchingTheirTake() == 0)
            #expect(try db.orderCountMismatches() == 0)

            // Several ACTIVE orders of one phone: the newest stays active, normalised; the one
            // still within its hour expires now; the unanswered one that was due is settled.
            #expect(try db.storedStatus(of: market.keeper) == "active")
            #expect(try contact(db, market.keeper).hasPrefix("+79"))
            #expect(try db.storedStatus(of: market.duplicate) == "expired")
            #expect(try db.integer("SELECT epoch_us(finished_at) FROM orders WHERE id = $1", [market.duplicate]) == market.now.microseconds)
            #expect(try db.storedStatus(of: market.duplicateDue) == "closed_no_response")
            #expect(try db.refundCount(order: market.duplicateDue) == 1)
            #expect(try contact(db, market.duplicateDue) == contact(db, market.keeper))
            #expect(try db.storedStatus(of: market.usernameKeeper) == "active")
            #expect(try db.storedStatus(of: market.usernameDuplicate) == "expired")
            // ACTIVE rows hours old stay stored active and read as what they are by now.
            #expect(try db.storedStatus(of: market.hoursOldTaken) == "active")
            #expect(try effectiveStatus(db, market.hoursOldTaken) == "closed_no_response")
            #expect(try effectiveStatus(db, market.hoursOldUntaken) == "expired")
            #expect(try db.integer("SELECT take_count FROM orders WHERE id = $1", [market.lateTake]) == 2)
            #expect(try effectiveStatus(db, market.lateTake) == "closed_no_response")
            // A contact that does not normalise: an active order expires, any order keeps it as typed.
            #expect(try db.storedStatus(of: market.badContactActive) == "expired")
            #expect(try contact(db, market.badContactActive).hasPrefix("hello"))
            #expect(try contact(db, market.completed).hasPrefix("+7 9727 "))

            // Finished orders with their takes, reviews and complaints.
            #expect(try db.storedStatus(of: market.completed) == "completed")
            #expect(try db.integer("SELECT count(*) FROM executor_takes WHERE order_id = $1 AND order_completed", [market.completed]) == 2)
            #expect(try db.integer("SELECT count(*) FROM client_reviews WHERE order_id = $1", [market.completed]) == 1)
            #expect(try db.integer("SELECT count(*) FROM executor_complaints WHERE order_id = $1", [market.completed]) == 1)
            #expect(try db.storedStatus(of: market.deletedReviewed) == "deleted")
            #expect(try db.integer("SELECT count(*) FROM client_reviews WHERE order_id = $1", [market.deletedReviewed]) == 0)
            #expect(try db.integer("SELECT count(*) FROM executor_complaints WHERE order_id = $1", [market.deletedReviewed]) == 1)
            #expect(try db.integer("SELECT char_length(comment) FROM client_reviews WHERE order_id = $1", [market.expiredReviewed]) == 500)
            #expect(try db.storedStatus(of: market.closed) == "closed_no_response")
            #expect(try db.refundCount(order: market.closed) == 0)
            #expect(try db.integer("SELECT count(*) FROM orders WHERE id = $1", [market.unknownCity]) == 0)
            let derived = try OrderPlanner.derivedID(market.badID)
            #expect(try db.execute(sql: "SELECT category, city FROM orders WHERE id = $1", [derived]).string(0, 0) == "Другое")
            #expect(try db.execute(sql: "SELECT city FROM orders WHERE id = $1", [derived]).string(0, 0) == market.cities[0])
            #expect(try db.integer("SELECT char_length(description) FROM orders WHERE id = $1", [market.longDescription]) == 1000)

            // Users: settings within Srochno's lists and bounds; drifting counters not read.
            let a = try db.execute(
                sql:
                    "SELECT preferred_categories, preferred_cities, notification_frequency, notifications_enabled FROM users WHERE id = $1::bigint",
                [market.clientA])
            #expect(a.stringArray(0, 0) == ["Сантехника"])
            #expect(a.stringArray(0, 1) == market.cities)
            #expect(a.int(0, 2) == 15)
            #expect(a.bool(0, 3) == true)
            #expect(try db.integer("SELECT cardinality(preferred_cities) FROM users WHERE id = $1::bigint", [market.clientB]) == 20)
            #expect(try db.integer("SELECT notification_frequency FROM users WHERE id = $1::bigint", [market.clientB]) == 5)

            // Pending invoices: pending payments; the rest have nothing left to credit.
            #expect(
                try db.integer("SELECT amount FROM payments WHERE external_id = $1 AND status = 'pending'", [String(market.pendingInvoice)])
                    == 250)
            #expect(try db.integer("SELECT count(*) FROM payments WHERE legacy_invoice_id IS NOT NULL") == 2)

            // The old transactions are history, listed after the ledger, never applied.
            let page = try db.query(LedgerPage(userID: market.executorX, limit: 100, offset: 0))
            #expect(page.first?.balanceAfter == 124)
            #expect(page.prefix(3).map(\.type) == ["refund", "refund", "recharge"])
            let history = page.dropFirst(3)
            #expect(!history.isEmpty && history.allSatisfy { $0.id > LedgerPage.legacyIDOffset })
            #expect(history.map(\.id) == history.map(\.id).sorted(by: >))
            #expect(try db.integer("SELECT count(*) FROM legacy_transactions") == Int64(market.rows.transactions.count))

            // The report names every quirk.
            let report = outcome.report
            #expect(report.table("users")?.refused == 1)
            #expect(report.table("orders")?.refusals.contains(AdoptionReport.Reason(text: "city outside today's list", rows: 1)) == true)
            #expect(report.table("orders")?.refusals.contains(AdoptionReport.Reason(text: "client not adopted", rows: 1)) == true)
            #expect(report.table("client_reviews")?.refused == 3)
            #expect(report.table("executor_takes")?.changes.first { $0.text.hasPrefix("refunded at adoption") }?.rows == 2)
            #expect(report.table("payment_invoices")?.imported == 2)
            #expect(report.table("payment_invoices")?.skipped == 3)
            #expect(report.table("payment_invoices")?.refused == 1)
            let orderChanges = report.table("orders")?.changes.map(\.text) ?? []
            for reason in [
                "contact normalised", "contact kept as typed (does not normalise)", "city matched to today's spelling",
                "description cut to 1000 characters", "id outside Srochno's id rule: a derived id",
                "active order sharing its contact with a newer one: expired at adoption",
                "active order sharing its contact with a newer one: past its time, settled closed_no_response",
                "active order whose contact does not normalise: expired at adoption",
            ] {
                #expect(orderChanges.contains(reason), "\(reason)")
            }
            for table in report.tables { #expect(table.read == table.imported + table.skipped + table.refused, "\(table.name)") }
        }
    }

    @Test func aSecondRunChangesNothing() throws {
        try AdoptionRun.with { run in
            let first = try run.adopt()
            let db = try run.target.connect()
            let snapshot = try db.adoptionSnapshot()
            // An hour later: the adoption moment stays the first run's.
            let second = try run.adopt(batchSize: 50, later: 3600)
            #expect(try db.adoptionSnapshot() == snapshot)
            #expect(second.report == first.report)
            #expect(second.verification?.passed == true)
        }
    }

    @Test(arguments: [1, 4, 9]) func aRunStoppedAfterAnyBatchFinishesTheSame(stopAfter: Int) throws {
        try AdoptionRun.with { run in
            try run.adopt()
            let reference = try run.target.connect().adoptionSnapshot()
            try ScratchDatabase.with { resumed in
                let stopped = try run.adopt(into: resumed, stopAfterBatches: stopAfter)
                #expect(stopped.stoppedEarly)
                // Stopped again further on, then finished minutes later: nothing decided twice.
                #expect(try run.adopt(into: resumed, stopAfterBatches: 2, later: 60).stoppedEarly)
                let finished = try run.adopt(into: resumed, later: 600)
                #expect(finished.verification?.passed == true)
                let snapshot = try resumed.connect().adoptionSnapshot()
                #expect(snapshot.count == reference.count)
                #expect(
                    snapshot == reference, "first difference: \(zip(snapshot, reference).first { $0 != $1 }.map { "\($0) / \($1)" } ?? "-")"
                )
            }
        }
    }

    @Test func aDryRunWritesNothingAndReportsWhatARunWould() throws {
        try AdoptionRun.with { run in
            let dry = try run.adopt(dryRun: true)
            #expect(dry.verification?.passed == true)
            let db = try run.target.connect()
            for table in [
                "users", "orders", "executor_takes", "balance_transactions", "legacy_transactions", "payments", "adoption",
                "adoption_counts",
            ] {
                #expect(try db.integer("SELECT count(*) FROM \(table)") == 0, "\(table)")
            }
            let real = try run.adopt()
            #expect(real.report == dry.report)
        }
    }

    /// The old backend's invoices carry no payload: the webhook and the reconciliation find
    /// the adopted payment by its Crypto Pay invoice id, and credit it once.
    @Test func anAdoptedInvoiceIsCreditedOnceByItsInvoiceID() throws {
        try AdoptionRun.with(bulkOrders: 0, invalidUser: false) { run in
            try run.adopt()
            let db = try run.target.connect()
            let market = run.market
            let paymentID = try #require(try PaymentBook.adoptedPayment(db, cryptoPayInvoiceID: market.pendingInvoice))
            #expect(try PaymentBook.adoptedPayment(db, cryptoPayInvoiceID: market.paidInvoice) == nil)
            let receipt = PaymentReceipt(
                paymentID: paymentID, provider: .cryptoBot, externalID: String(market.pendingInvoice), amount: .rubles(250))
            let wrongAmount = PaymentReceipt(
                paymentID: paymentID, provider: .cryptoBot, externalID: String(market.pendingInvoice), amount: .rubles(25))
            guard case .mismatch = try PaymentBook.credit(db, wrongAmount, at: market.now) else {
                Issue.record("a wrong amount credited the adopted payment")
                return
            }
            #expect(try PaymentBook.credit(db, receipt, at: market.now) == .credited(userID: market.clientA, balance: 750))
            #expect(try PaymentBook.credit(db, receipt, at: market.now) == .alreadyCredited)
            #expect(try db.balance(of: market.clientA) == 750)
            #expect(try db.ledgerMismatches() == 0)
            let record = try #require(try db.queryFirst(PaymentByID(paymentID: paymentID)))
            #expect(record.legacyInvoiceID != nil && record.status == "paid")
            // What the reconciliation compares an invoice's payload with: none for an adopted one.
            #expect(record.cryptoPayPayload == nil)
            let ours = try PaymentBook.pending(db, provider: .cryptoBot, since: Instant(seconds: 0), limit: 10)
            #expect(ours.count == 1 && ours.allSatisfy { $0.legacyInvoiceID != nil && $0.cryptoPayPayload == nil })
        }
    }

    @Test func refusesAnOldDatabaseAtAnotherHead() throws {
        try AdoptionRun.with(bulkOrders: 0, invalidUser: false) { run in
            try run.legacy.connect().execute(sql: "UPDATE alembic_version SET version_num = 'c3d4e5f6a7b8'")
            #expect(throws: AdoptionError.self) { try run.adopt() }
            #expect(try run.target.connect().integer("SELECT count(*) FROM users") == 0)
        }
    }

    @Test func refusesAnUnmigratedDatabase() throws {
        try AdoptionRun.with(bulkOrders: 0, invalidUser: false) { run in
            try ScratchDatabase.withUnmigrated { empty in
                let error = #expect(throws: AdoptionError.self) { try run.adopt(into: empty) }
                #expect(error?.description.contains("srochno-migrate") == true)
            }
        }
    }

    private func contact(_ db: PostgresConnection, _ id: String) throws -> String {
        try db.execute(sql: "SELECT contact FROM orders WHERE id = $1", [id]).string(0, 0) ?? ""
    }

    private func effectiveStatus(_ db: PostgresConnection, _ id: String) throws -> String? {
        try db.execute(
            sql: "SELECT order_effective_status(status, due_at, no_response_at, expires_at, now()) FROM orders WHERE id = $1", [id]
        ).string(0, 0)
    }
}
