public import SrochnoCore
public import SrochnoPostgres

/// What crediting a provider's receipt did (SPEC §8.1: exactly once).
public enum PaymentCreditOutcome: Equatable, Sendable {
    /// This call credited the payment: one `recharge` row; the owner's balance after it.
    case credited(userID: Int64, balance: Int64)
    /// Already credited by this same receipt: a replay, a parallel delivery or the other path
    /// (webhook or reconciliation) came first. Nothing changed.
    case alreadyCredited
    /// No payment has this id.
    case unknownPayment
    /// The payment exists but the receipt is not its money: another provider, amount, payer or
    /// receipt, or a payment whose invoice was never made. Nothing credited; the caller logs it.
    case mismatch(String)
}

/// Crediting receipts over any connection: the API's webhooks and the reconciliation job
/// share it, so both decide exactly alike.
public enum PaymentBook {
    /// Credits `receipt` once, in one statement under the payment's row lock; explains a
    /// refusal by reading the payment back (no personal data in any of it).
    public static func credit(_ db: PostgresConnection, _ receipt: PaymentReceipt, at now: Instant) throws -> PaymentCreditOutcome {
        if let credited = try db.queryFirst(CreditPayment(receipt: receipt, paidAt: now)) {
            guard let owner = try db.queryFirst(PaymentByID(paymentID: receipt.paymentID))?.userID else {
                throw PostgresDecodingError(statement: CreditPayment.statement.name, column: 0, expected: "the payment it credited")
            }
            return .credited(userID: owner, balance: credited.balance)
        }
        guard let stored = try db.queryFirst(PaymentByID(paymentID: receipt.paymentID)) else { return .unknownPayment }
        if stored.status == "paid", stored.provider == receipt.provider, stored.externalID == receipt.externalID {
            return .alreadyCredited
        }
        return .mismatch(explain(stored, receipt))
    }

    /// The adopted payment (sql/0011) a Crypto Pay invoice without a payload pays, by the
    /// invoice's id; nil when no adopted payment has it. The webhook and the reconciliation
    /// both ask this, so an invoice made by the old backend is credited once like ours.
    public static func adoptedPayment(_ db: PostgresConnection, cryptoPayInvoiceID: Int64) throws -> Int64? {
        try db.queryFirst(AdoptedPaymentOfInvoice(invoiceID: String(cryptoPayInvoiceID)))
    }

    /// Pending payments of `provider` created at or after `since`, oldest first, at most `limit`.
    public static func pending(_ db: PostgresConnection, provider: PaymentProvider, since: Instant, limit: Int64) throws
        -> [PaymentRecord]
    {
        try db.query(PendingPayments(provider: provider, since: since, limit: limit))
    }

    /// One line for the log: which stored field the receipt contradicts. Ids and amounts only.
    static func explain(_ stored: PaymentRecord, _ receipt: PaymentReceipt) -> String {
        var reasons: [String] = []
        if stored.provider != receipt.provider { reasons.append("provider \(stored.provider.rawValue) ≠ \(receipt.provider.rawValue)") }
        if stored.status != "pending" { reasons.append("status \(stored.status)") }
        if let external = stored.externalID, external != receipt.externalID {
            reasons.append("external id \(external) ≠ \(receipt.externalID)")
        }
        switch receipt.amount {
        case .rubles(let rubles) where rubles != stored.amount: reasons.append("amount \(rubles) ≠ stored \(stored.amount) RUB")
        case .stars(let stars) where stars != stored.stars:
            reasons.append("stars \(stars) ≠ stored \(stored.stars.map(String.init) ?? "none")")
        default: break
        }
        if let payer = receipt.payer, payer != stored.userID { reasons.append("payer is not the payment's user") }
        return "payment \(stored.id): " + (reasons.isEmpty ? "not creditable" : reasons.joined(separator: ", "))
    }
}

/// `GET /api/balance/payment/{id}/status` as stored: the payment and its owner's balance.
public struct PaymentStatusRecord: Sendable, Equatable {
    public let paymentID: Int64
    public let storedStatus: String
    public let amount: Int64
    public let expiresAt: Instant
    public let balance: Int64
}

extension Store {
    /// Stores a new payment (`creating`) before the provider is asked for its invoice, so the
    /// invoice can carry our id. Returns the id.
    public func createPayment(userID: Int64, provider: PaymentProvider, amount: Int64, stars: Int64?, now: Instant) throws -> Int64 {
        try database().queryOne(
            InsertPayment(
                userID: userID, provider: provider, amount: amount, stars: stars, now: now,
                lifetimeMinutes: PaymentRules.lifetimeMinutes))
    }

    /// The provider made the invoice. False when the payment was no longer `creating`.
    public func markPaymentPending(_ paymentID: Int64, externalID: String?, payURL: String, miniAppInvoiceURL: String?) throws -> Bool {
        try database().run(
            MarkPaymentPending(paymentID: paymentID, externalID: externalID, payURL: payURL, miniAppInvoiceURL: miniAppInvoiceURL)) == 1
    }

    /// The provider made no invoice: the payment can never be paid.
    public func markPaymentFailed(_ paymentID: Int64) throws {
        _ = try database().run(MarkPaymentFailed(paymentID: paymentID))
    }

    public func payment(_ paymentID: Int64) throws -> PaymentRecord? {
        try database().queryFirst(PaymentByID(paymentID: paymentID))
    }

    /// The payment `paymentID` if `userID` owns it, with that user's balance; nil otherwise.
    public func paymentStatus(_ paymentID: Int64, owner userID: Int64) throws -> PaymentStatusRecord? {
        try database().queryFirst(PaymentStatusOfOwner(paymentID: paymentID, userID: userID))
    }

    public func adoptedPayment(cryptoPayInvoiceID: Int64) throws -> Int64? {
        try PaymentBook.adoptedPayment(database(), cryptoPayInvoiceID: cryptoPayInvoiceID)
    }

    public func credit(_ receipt: PaymentReceipt, at now: Instant) throws -> PaymentCreditOutcome {
        try PaymentBook.credit(database(), receipt, at: now)
    }
}
