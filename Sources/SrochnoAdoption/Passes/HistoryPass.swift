extension Adoption {
    /// The old transactions by id, as read-only history beside each user's ledger.
    func transactionPass() throws -> Bool {
        try runPass("balance_transactions") { lastKey in
            let rows = try source.query(LegacyTransactionsAfter(after: Int64(lastKey) ?? Int64.min, limit: options.batchSize * 5))
            guard let last = rows.last else { return nil }
            return (String(last.id), { try self.writeTransactions(rows) })
        }
    }

    private func writeTransactions(_ rows: [LegacyTransaction]) throws -> Tally {
        var tally = Tally()
        tally.read(.balanceTransactions, rows.count)
        var imports: [TransactionImport] = []
        for row in rows {
            switch HistoryPlanner.transaction(row) {
            case .success(let transaction): imports.append(transaction)
            case .failure(let refused): tally.refused(.balanceTransactions, refused.id, refused.reason)
            }
        }
        guard !imports.isEmpty else { return tally }
        _ = try target.query(InsertLegacyTransactions(transactions: imports))
        for transaction in imports {
            tally.imported(.balanceTransactions)
            tally.changed(.balanceTransactions, transaction.changes)
        }
        return tally
    }

    /// The old invoices by id; the pending ones become pending payments.
    func invoicePass() throws -> Bool {
        try runPass("payment_invoices") { lastKey in
            let rows = try source.query(LegacyInvoicesAfter(after: Int64(lastKey) ?? Int64.min, limit: options.batchSize))
            guard let last = rows.last else { return nil }
            return (String(last.id), { try self.writeInvoices(rows) })
        }
    }

    private func writeInvoices(_ rows: [LegacyInvoice]) throws -> Tally {
        var tally = Tally()
        tally.read(.paymentInvoices, rows.count)
        var imports: [InvoiceImport] = []
        for row in rows {
            switch HistoryPlanner.invoice(row) {
            case .importing(let invoice): imports.append(invoice)
            case .skipped(let reason): tally.skipped(.paymentInvoices, String(row.id), reason)
            case .refused(let reason): tally.refused(.paymentInvoices, String(row.id), reason)
            }
        }
        guard !imports.isEmpty else { return tally }
        let written = Set(try target.query(InsertAdoptedPayments(invoices: imports)))
        for invoice in imports {
            if written.contains(invoice.legacyID) {
                tally.imported(.paymentInvoices)
                tally.changed(.paymentInvoices, invoice.changes)
            } else {
                tally.refused(.paymentInvoices, String(invoice.legacyID), "its Crypto Pay invoice is a payment in Srochno already")
            }
        }
        return tally
    }
}
