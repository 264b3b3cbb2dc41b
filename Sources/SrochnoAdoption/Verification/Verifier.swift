import SrochnoCore
import SrochnoPostgres

/// Compares the old database with what the import made of it, in keyset batches over both:
/// every old row read once; per user the balance carried over (the old one, plus the refunds of
/// takes on orders settled unanswered, by the import or since), its ledger sum and its
/// history; per order its id,
/// status, takes, reviews and complaints; per pending invoice its payment; and the sums and
/// counts per status. Meant for the switch-over window: an order the import left active may
/// have been settled by its timer since, but anything a user did in Srochno since shows as a
/// difference.
struct Verifier {
    let source: PostgresConnection
    let target: PostgresConnection
    let report: AdoptionReport
    let batchSize: Int

    func verify() throws -> Verification {
        var verification = Verification()
        try verifyRowsRead(&verification)
        try verifyUsers(&verification)
        try verifyOrders(&verification)
        try verifyInvoices(&verification)
        return verification
    }

    private func verifyRowsRead(_ verification: inout Verification) throws {
        let counts = try source.queryOne(LegacyTableCounts())
        var examples: [String] = []
        var summary: [String] = []
        for (table, count) in zip(LegacyTable.allCases, counts) {
            let reported = report.table(table.rawValue)
            summary.append("\(table.rawValue) \(count)")
            guard let reported, reported.read == count, reported.imported + reported.skipped + reported.refused == count else {
                examples.append(
                    "\(table.rawValue): \(count) rows, read \(reported?.read ?? 0), imported \(reported?.imported ?? 0) "
                        + "+ skipped \(reported?.skipped ?? 0) + refused \(reported?.refused ?? 0)")
                continue
            }
        }
        verification.add(
            "rows", passed: examples.isEmpty,
            "every old row read once and imported, skipped or refused (\(summary.joined(separator: ", ")))", examples: examples)
    }

    private func verifyUsers(_ verification: inout Verification) throws {
        var oldTotal: Int64 = 0
        var newTotal: Int64 = 0
        var refundTotal: Int64 = 0
        var users = 0
        var balanceExamples: [String] = []
        var ledgerExamples: [String] = []
        var historyExamples: [String] = []
        var missing: [String] = []
        var last = Int64.min
        while true {
            let batch = try source.query(LegacyUsersAfter(after: last, limit: batchSize))
            guard let lastUser = batch.last else { break }
            last = lastUser.id
            let ids = batch.map(\.id)
            let states = Dictionary(uniqueKeysWithValues: try target.query(AdoptedUserStates(ids: ids)).map { ($0.id, $0) })
            let history = Dictionary(
                uniqueKeysWithValues: try source.query(LegacyTransactionCounts(userIDs: ids)).map { ($0.userID, $0.count) })
            for user in batch {
                users += 1
                oldTotal += user.balance
                guard !UserPlanner.isRefused(user.id) else {
                    if user.balance != 0 { balanceExamples.append("user \(user.id): refused with an old balance of \(user.balance) ₽") }
                    continue
                }
                guard let state = states[user.id] else {
                    missing.append("user \(user.id)")
                    continue
                }
                newTotal += state.balance
                refundTotal += state.refunds
                if state.balance != user.balance + state.refunds {
                    balanceExamples.append(
                        "user \(user.id): old \(user.balance) ₽, now \(state.balance) ₽ with \(state.refunds) ₽ refunded")
                }
                if state.ledgerSum != state.balance {
                    ledgerExamples.append("user \(user.id): balance \(state.balance) ₽, ledger sum \(state.ledgerSum) ₽")
                }
                if state.history != history[user.id, default: 0] {
                    historyExamples.append("user \(user.id): \(history[user.id, default: 0]) old transactions, \(state.history) listed")
                }
            }
        }
        verification.add("users", passed: missing.isEmpty, "\(users) old users, \(missing.count) missing", examples: missing)
        verification.add(
            "balance sum", passed: newTotal == oldTotal + refundTotal,
            "old \(oldTotal) ₽, now \(newTotal) ₽ = old + \(refundTotal) ₽ refunded for takes on orders settled since")
        verification.add(
            "balances", passed: balanceExamples.isEmpty, "\(balanceExamples.count) users whose balance is not the old one (+ refunds)",
            examples: balanceExamples)
        verification.add(
            "ledger", passed: ledgerExamples.isEmpty, "\(ledgerExamples.count) users whose balance is not their ledger's sum",
            examples: ledgerExamples)
        verification.add(
            "history", passed: historyExamples.isEmpty, "\(historyExamples.count) users whose old transactions are not all listed",
            examples: historyExamples)
    }

    private func verifyOrders(_ verification: inout Verification) throws {
        var oldByStatus: [String: Int64] = [:]
        var expectedByStatus: [String: Int64] = [:]
        var actualByStatus: [String: Int64] = [:]
        var examples: [String] = []
        var checked = 0
        var last = ""
        while true {
            let batch = try source.query(LegacyOrderShapesAfter(after: last, limit: batchSize))
            guard let lastOrder = batch.last else { break }
            last = lastOrder.id
            var own: [String: OrderNotes.Note] = [:]
            var notImported: [String: [String: Int64]] = [:]
            for note in try target.query(OrderNotes(ids: batch.map(\.id))) {
                if note.table.isEmpty { own[note.orderID] = note } else { notImported[note.orderID, default: [:]][note.table] = note.rows }
            }
            var expected: [String: OrderShape] = [:]
            for old in batch {
                oldByStatus[old.status, default: 0] += 1
                if let note = own[old.id], note.outcome == RowOutcome.refused.rawValue { continue }
                let status = own[old.id]?.status ?? OrderPlanner.status(old.status)?.rawValue ?? old.status
                let children = notImported[old.id, default: [:]]
                let shape = OrderShape(
                    id: own[old.id]?.targetID ?? old.id, status: status,
                    takes: old.takes - children[LegacyTable.executorTakes.rawValue, default: 0],
                    reviews: old.reviews - children[LegacyTable.clientReviews.rawValue, default: 0],
                    complaints: old.complaints - children[LegacyTable.executorComplaints.rawValue, default: 0])
                expected[shape.id] = shape
                expectedByStatus[status, default: 0] += 1
            }
            let actual = Dictionary(
                uniqueKeysWithValues: try target.query(AdoptedOrderShapes(ids: Array(expected.keys))).map { ($0.id, $0) })
            for shape in expected.values.sorted(by: { $0.id < $1.id }) {
                checked += 1
                guard let found = actual[shape.id] else {
                    examples.append("order \(shape.id): missing")
                    continue
                }
                actualByStatus[found.status, default: 0] += 1
                var expected = shape
                // Left active and due since: the closer or a write settled it, as it should.
                if shape.status == OrderStatus.active.rawValue, found.due,
                    [OrderStatus.expired.rawValue, OrderStatus.closedNoResponse.rawValue].contains(found.status)
                {
                    expected = OrderShape(
                        id: shape.id, status: found.status, takes: shape.takes, reviews: shape.reviews, complaints: shape.complaints,
                        due: true)
                    expectedByStatus[shape.status, default: 0] -= 1
                    expectedByStatus[found.status, default: 0] += 1
                }
                if found
                    != OrderShape(
                        id: expected.id, status: expected.status, takes: expected.takes, reviews: expected.reviews,
                        complaints: expected.complaints, due: found.due)
                {
                    examples.append(
                        "order \(shape.id): expected \(expected.status) with \(shape.takes)/\(shape.reviews)/\(shape.complaints) "
                            + "takes/reviews/complaints, found \(found.status) with \(found.takes)/\(found.reviews)/\(found.complaints)")
                }
            }
        }
        verification.add(
            "orders", passed: examples.isEmpty,
            "\(checked) imported orders checked (id, status, takes, reviews, complaints), \(examples.count) differ",
            examples: examples)
        let statuses = Set(oldByStatus.keys.compactMap { OrderPlanner.status($0)?.rawValue }).union(expectedByStatus.keys).union(
            actualByStatus.keys)
        let perStatus = OrderStatus.allCases.map(\.rawValue).filter(statuses.contains).map { status in
            let old = oldByStatus.first { OrderPlanner.status($0.key)?.rawValue == status }?.value ?? 0
            return "\(status) \(old) → \(expectedByStatus[status, default: 0]) (found \(actualByStatus[status, default: 0]))"
        }
        verification.add(
            "orders per status", passed: expectedByStatus == actualByStatus,
            "old → expected after the noted changes: " + perStatus.joined(separator: ", "))
    }

    private func verifyInvoices(_ verification: inout Verification) throws {
        var examples: [String] = []
        var adopted = 0
        var last = Int64.min
        while true {
            let batch = try source.query(LegacyInvoicesAfter(after: last, limit: batchSize))
            guard let lastInvoice = batch.last else { break }
            last = lastInvoice.id
            var expected: [Int64: InvoiceImport] = [:]
            for invoice in batch {
                if case .importing(let planned) = HistoryPlanner.invoice(invoice) { expected[planned.legacyID] = planned }
            }
            guard !expected.isEmpty else { continue }
            let found = Dictionary(
                uniqueKeysWithValues: try target.query(AdoptedPayments(legacyIDs: Array(expected.keys))).map { ($0.legacyID, $0) })
            for invoice in expected.values.sorted(by: { $0.legacyID < $1.legacyID }) {
                adopted += 1
                guard let payment = found[invoice.legacyID] else {
                    examples.append("invoice \(invoice.legacyID): no payment")
                    continue
                }
                if payment.userID != invoice.userID || payment.amount != invoice.amount
                    || payment.externalID != String(invoice.cryptoPayInvoiceID) || !["pending", "paid"].contains(payment.status)
                {
                    examples.append("invoice \(invoice.legacyID): \(invoice.amount) ₽, payment \(payment.amount) ₽ \(payment.status)")
                }
            }
        }
        verification.add(
            "pending invoices", passed: examples.isEmpty, "\(adopted) pending Crypto Pay invoices, each a pending payment",
            examples: examples)
    }
}
