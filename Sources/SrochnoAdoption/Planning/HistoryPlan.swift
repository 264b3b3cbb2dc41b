import SrochnoCore

/// An old balance transaction as read-only history (sql/0011 `legacy_transactions`).
struct TransactionImport: Sendable, Equatable {
    let id: Int64
    let userID: Int64
    let type: String
    let amount: Int64
    let balanceAfter: Int64
    let orderID: String?
    let description: String
    let createdAt: Instant
    let changes: [String]
}

/// A pending Crypto Pay invoice of the old backend as a pending payment.
struct InvoiceImport: Sendable, Equatable {
    let legacyID: Int64
    let userID: Int64
    let cryptoPayInvoiceID: Int64
    let amount: Int64
    let payURL: String
    let miniAppInvoiceURL: String?
    let createdAt: Instant
    /// The old backend asked Crypto Pay for 30-minute invoices (`expires_in` 1800), as Srochno does.
    var expiresAt: Instant { createdAt.adding(minutes: PaymentRules.lifetimeMinutes) }
    let changes: [String]
}

enum HistoryPlanner {
    static func type(_ legacy: String) -> String? {
        switch legacy {
        case "RECHARGE": "recharge"
        case "ORDER_TAKE": "order_take"
        case "REFUND": "refund"
        default: nil
        }
    }

    /// What a transaction without a description is listed as, in the ledger's own words.
    static func defaultDescription(_ type: String) -> String {
        switch type {
        case "order_take": "Order take"
        case "refund": "Refund"
        default: "Top-up"
        }
    }

    static func transaction(_ transaction: LegacyTransaction) -> Result<TransactionImport, RefusedRow> {
        let refuse = { (reason: String) in
            Result<TransactionImport, RefusedRow>.failure(RefusedRow(id: String(transaction.id), reason: reason))
        }
        guard transaction.id > 0 else { return refuse("id is not positive") }
        guard !UserPlanner.isRefused(transaction.userID) else { return refuse("user not adopted") }
        guard let type = type(transaction.type) else { return refuse("unknown type") }
        var changes: [String] = []
        var description = transaction.description ?? ""
        if description.isEmpty {
            description = defaultDescription(type)
            changes.append("no description: named by its type")
        }
        return .success(
            TransactionImport(
                id: transaction.id, userID: transaction.userID, type: type, amount: transaction.amount,
                balanceAfter: transaction.balanceAfter, orderID: transaction.orderID, description: description,
                createdAt: transaction.createdAt, changes: changes))
    }

    enum InvoiceOutcome: Sendable, Equatable {
        case importing(InvoiceImport)
        case skipped(String)
        case refused(String)
    }

    /// Only a pending invoice can still bring money; one the old ledger already credited, or
    /// paid or expired, has nothing left to credit.
    static func invoice(_ invoice: LegacyInvoice) -> InvoiceOutcome {
        switch invoice.status {
        case "PAID": return .skipped("paid before the switch (in the old balance)")
        case "EXPIRED": return .skipped("expired")
        case "PENDING": break
        default: return .refused("unknown status")
        }
        guard !invoice.creditedInOldLedger else { return .skipped("pending, but the old ledger credited it (in the old balance)") }
        guard let cryptoPayID = invoice.cryptoPayInvoiceID else { return .refused("no Crypto Pay invoice id") }
        guard !UserPlanner.isRefused(invoice.userID) else { return .refused("user not adopted") }
        guard (1...100_000).contains(invoice.amount) else { return .refused("amount outside 1-100000") }
        var changes: [String] = []
        var payURL = invoice.payURL ?? ""
        if payURL.isEmpty {
            payURL = ""
            changes.append("no pay_url stored")
        }
        return .importing(
            InvoiceImport(
                legacyID: invoice.id, userID: invoice.userID, cryptoPayInvoiceID: cryptoPayID, amount: invoice.amount,
                payURL: payURL, miniAppInvoiceURL: invoice.miniAppInvoiceURL, createdAt: invoice.createdAt, changes: changes))
    }
}
