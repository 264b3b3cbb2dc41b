public import SrochnoCore
import SrochnoPostgres

/// A new payment, before the provider is asked for an invoice: its id is the invoice's
/// payload, so a webhook names the payment it pays. Returns the id.
struct InsertPayment: PostgresStatement {
    static let statement = PreparedStatement(
        "payment_insert",
        """
        INSERT INTO payments (user_id, provider, amount, stars, created_at, expires_at)
        VALUES ($1::bigint, $2, $3::bigint, $4::bigint, $5::timestamptz, $5::timestamptz + make_interval(mins => $6::integer))
        RETURNING id
        """)
    let userID: Int64
    let provider: PaymentProvider
    let amount: Int64
    let stars: Int64?
    let now: Instant
    let lifetimeMinutes: Int
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [userID, provider.rawValue, amount, stars, now, lifetimeMinutes] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Int64 { try row.int(0) }
}

/// The provider made the invoice: the payment becomes payable (pending).
struct MarkPaymentPending: PostgresCommand {
    static let statement = PreparedStatement(
        "payment_mark_pending",
        """
        UPDATE payments SET status = 'pending', external_id = $2, pay_url = $3, mini_app_invoice_url = $4
         WHERE id = $1::bigint AND status = 'creating'
        """)
    let paymentID: Int64
    /// Crypto Pay's invoice id; nil for Stars, whose id comes with the money.
    let externalID: String?
    let payURL: String
    let miniAppInvoiceURL: String?
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [paymentID, externalID, payURL, miniAppInvoiceURL] }
}

/// The provider failed or did not answer: no invoice exists that the user could pay.
struct MarkPaymentFailed: PostgresCommand {
    static let statement = PreparedStatement(
        "payment_mark_failed",
        """
        UPDATE payments SET status = 'failed' WHERE id = $1::bigint AND status = 'creating'
        """)
    let paymentID: Int64
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [paymentID] }
}

/// What a provider says was paid for a payment: the rubles (Crypto Pay's fiat amount) or the
/// Stars (Telegram's `total_amount`), and for Stars the Telegram user who paid.
public struct PaymentReceipt: Sendable, Equatable {
    public enum Amount: Sendable, Equatable {
        case rubles(Int64)
        case stars(Int64)
    }

    public let paymentID: Int64
    public let provider: PaymentProvider
    /// The provider's id of the money received (Crypto Pay's invoice id, Stars' charge id).
    public let externalID: String
    public let amount: Amount
    /// The payer's Telegram id when the provider names one (Stars); it must own the payment.
    public let payer: Int64?

    public init(paymentID: Int64, provider: PaymentProvider, externalID: String, amount: Amount, payer: Int64? = nil) {
        self.paymentID = paymentID
        self.provider = provider
        self.externalID = externalID
        self.amount = amount
        self.payer = payer
    }

    var rubles: Int64? { if case .rubles(let value) = amount { value } else { nil } }
    var stars: Int64? { if case .stars(let value) = amount { value } else { nil } }
}

/// The money of a payment arrived: credits it once. Only a pending payment of this provider,
/// amount (rubles or Stars) and payer, whose external id is unset or this one, is credited,
/// under its row lock, in the same statement as its ledger row; a replay, a parallel delivery
/// or the reconciliation job finds it paid and changes nothing. No row returned: nothing
/// credited (already paid, unknown, or not matching what was stored). Returns the ledger entry
/// and the user's new balance.
struct CreditPayment: PostgresStatement {
    static let statement = PreparedStatement(
        "payment_credit",
        """
        WITH target AS (
            SELECT id FROM payments
             WHERE id = $1::bigint AND provider = $2 AND status = 'pending'
               AND (external_id IS NULL OR external_id = $3)
               AND ($4::bigint IS NULL OR amount = $4::bigint)
               AND ($6::bigint IS NULL OR stars = $6::bigint)
               AND ($7::bigint IS NULL OR user_id = $7::bigint)
               AND ($4::bigint IS NOT NULL OR $6::bigint IS NOT NULL)
             FOR UPDATE
        ), paid AS (
            UPDATE payments p SET status = 'paid', paid_at = $5::timestamptz, external_id = $3
              FROM target WHERE p.id = target.id
            RETURNING p.id, p.user_id, p.amount, p.provider, p.external_id
        )
        INSERT INTO balance_transactions (user_id, type, amount, description, payment_id, provider, external_id)
        SELECT user_id, 'recharge', amount,
               CASE provider WHEN 'stars' THEN 'Top-up with Telegram Stars' ELSE 'Top-up via Crypto Pay' END,
               id, provider, external_id
          FROM paid
        RETURNING id, balance_after
        """)
    let receipt: PaymentReceipt
    let paidAt: Instant
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] {
        [receipt.paymentID, receipt.provider.rawValue, receipt.externalID, receipt.rubles, paidAt, receipt.stars, receipt.payer]
    }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> (entryID: Int64, balance: Int64) {
        (try row.int(0), try row.int(1))
    }
}

/// A payment as its owner may see it (`GET /api/balance/payment/{id}/status`).
public struct PaymentRecord: Sendable, Equatable {
    public let id: Int64
    public let userID: Int64
    public let provider: PaymentProvider
    public let amount: Int64
    public let stars: Int64?
    /// Stored status: creating, pending, paid or failed (expired is `pending` past `expiresAt`).
    public let status: String
    public let externalID: String?
    public let payURL: String?
    public let miniAppInvoiceURL: String?
    public let expiresAt: Instant
    public let paidAt: Instant?
    /// The old backend's `payment_invoices` id of a pending invoice `srochno-adopt` carried
    /// over (sql/0011); nil for our own payments. Such an invoice has no payload: the old
    /// backend made it without one, so only its invoice id (`externalID`) names the payment.
    public let legacyInvoiceID: Int64?
}

extension PaymentRecord {
    /// The `payload` Crypto Pay reports for this payment's invoice: our id, or none for an
    /// invoice the old backend made (adopted by `srochno-adopt`), which it made without one.
    public var cryptoPayPayload: String? { legacyInvoiceID == nil ? String(id) : nil }
}

struct PaymentByID: PostgresStatement {
    static let statement = PreparedStatement(
        "payment_by_id",
        """
        SELECT id, user_id, provider, amount, stars, status, external_id, pay_url, mini_app_invoice_url,
               epoch_us(expires_at), epoch_us(paid_at), legacy_invoice_id
          FROM payments WHERE id = $1::bigint
        """)
    let paymentID: Int64
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [paymentID] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> PaymentRecord { try Self.decodeRecord(row, prepared.name) }

    /// The record in a row of `PaymentByID`'s columns.
    static func decodeRecord(_ row: PostgresRow, _ statement: String) throws(PostgresDecodingError) -> PaymentRecord {
        let providerName = try row.string(2)
        guard let provider = PaymentProvider(rawValue: providerName) else {
            throw PostgresDecodingError(statement: statement, column: 2, expected: "a payment provider, got \(providerName)")
        }
        return PaymentRecord(
            id: try row.int(0), userID: try row.int(1), provider: provider, amount: try row.int(3),
            stars: try row.optionalInt(4), status: try row.string(5), externalID: row.optionalString(6),
            payURL: row.optionalString(7), miniAppInvoiceURL: row.optionalString(8),
            expiresAt: try row.instant(9), paidAt: try row.optionalInstant(10), legacyInvoiceID: try row.optionalInt(11))
    }
}

/// The payment adopted from the old backend for a Crypto Pay invoice (sql/0011): what an
/// `invoice_paid` without a payload pays. Only adopted payments are found this way; our own
/// invoices always carry their payment's id.
struct AdoptedPaymentOfInvoice: PostgresStatement {
    static let statement = PreparedStatement(
        "payment_adopted_of_invoice",
        """
        SELECT id FROM payments
         WHERE provider = 'crypto_bot' AND external_id = $1 AND legacy_invoice_id IS NOT NULL
        """)
    let invoiceID: String
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [invoiceID] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Int64 { try row.int(0) }
}

/// Pending payments of one provider created at or after `since`, oldest first: what the
/// reconciliation job asks the provider about (index `payments_pending`).
struct PendingPayments: PostgresStatement {
    static let statement = PreparedStatement(
        "payment_pending_since",
        """
        SELECT id, user_id, provider, amount, stars, status, external_id, pay_url, mini_app_invoice_url,
               epoch_us(expires_at), epoch_us(paid_at), legacy_invoice_id
          FROM payments
         WHERE provider = $1 AND status = 'pending' AND created_at >= $2::timestamptz
         ORDER BY created_at, id
         LIMIT $3::bigint
        """)
    let provider: PaymentProvider
    let since: Instant
    let limit: Int64
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [provider.rawValue, since, limit] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> PaymentRecord { try PaymentByID.decodeRecord(row, prepared.name) }
}

/// One payment of its owner and the owner's balance, in one round trip (the Mini App polls it
/// every 3 s while the user pays).
struct PaymentStatusOfOwner: PostgresStatement {
    static let statement = PreparedStatement(
        "payment_status_of_owner",
        """
        SELECT p.id, p.status, p.amount, epoch_us(p.expires_at), u.balance
          FROM payments p JOIN users u ON u.id = p.user_id
         WHERE p.id = $1::bigint AND p.user_id = $2::bigint
        """)
    let paymentID: Int64
    let userID: Int64
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [paymentID, userID] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> PaymentStatusRecord {
        PaymentStatusRecord(
            paymentID: try row.int(0), storedStatus: try row.string(1), amount: try row.int(2), expiresAt: try row.instant(3),
            balance: try row.int(4))
    }
}
