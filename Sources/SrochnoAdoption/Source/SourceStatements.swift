import SrochnoCore
import SrochnoPostgres

// Reads of the old database, in keyset batches by primary key so each is one short statement
// on an index and a run can resume after any batch. The source session is read-only
// (`SourceConnection`); nothing here writes.

/// SQL for the old database, which may run any PostgreSQL version.
enum LegacySQL {
    /// A timestamptz column as whole microseconds since the epoch, exact on every PostgreSQL
    /// version (`extract` returned a double before 14).
    static func micros(_ column: String) -> String {
        "(extract(epoch FROM date_trunc('second', \(column)))::bigint * 1000000 + extract(microseconds FROM \(column))::bigint % 1000000)"
    }
}

extension PostgresRow {
    func instant(_ column: Int) throws(PostgresDecodingError) -> Instant { Instant(microseconds: try int(column)) }
    func optionalInstant(_ column: Int) throws(PostgresDecodingError) -> Instant? {
        try optionalInt(column).map { Instant(microseconds: $0) }
    }
}

/// The old schema's alembic head; adopt reads exactly one.
struct LegacyHead: PostgresStatement {
    static let expected = "0c7e1efbbe2a"
    static let statement = PreparedStatement("legacy_head", "SELECT version_num FROM alembic_version")
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> String { try row.string(0) }
}

struct LegacyUsersAfter: PostgresStatement {
    static let statement = PreparedStatement(
        "legacy_users_after",
        """
        SELECT id, username, first_name, last_name, language_code, balance, subscribed_categories, subscribed_cities,
               notification_frequency_minutes, notifications_enabled,
               \(LegacySQL.micros("created_at")), \(LegacySQL.micros("updated_at"))
          FROM users WHERE id > $1::bigint ORDER BY id LIMIT $2::integer
        """)
    let after: Int64
    let limit: Int
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [after, limit] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> LegacyUser {
        LegacyUser(
            id: try row.int(0), username: row.optionalString(1), firstName: try row.string(2), lastName: row.optionalString(3),
            languageCode: row.optionalString(4), balance: try row.int(5), categories: try row.stringArray(6),
            cities: try row.stringArray(7), frequencyMinutes: try row.int(8), notificationsEnabled: try row.bool(9),
            createdAt: try row.instant(10), updatedAt: try row.instant(11))
    }
}

/// Every order stored `ACTIVE` (index on status): which of them share a contact is decided
/// over all of them before the first order is written.
struct LegacyActiveOrders: PostgresStatement {
    static let statement = PreparedStatement(
        "legacy_active_orders",
        """
        SELECT id, contact, \(LegacySQL.micros("created_at")) FROM orders WHERE status = 'ACTIVE'
        """)
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> LegacyActiveOrder {
        LegacyActiveOrder(id: try row.string(0), contact: try row.string(1), createdAt: try row.instant(2))
    }
}

/// Orders after `after` in the old database's own order of ids (its primary-key index); the
/// empty string comes before every id.
struct LegacyOrdersAfter: PostgresStatement {
    static let statement = PreparedStatement(
        "legacy_orders_after",
        """
        SELECT id, client_id, category, description, city, contact, status::text, expires_in_minutes,
               \(LegacySQL.micros("created_at")), \(LegacySQL.micros("updated_at")), \(LegacySQL.micros("customer_responded_at"))
          FROM orders WHERE id > $1 ORDER BY id LIMIT $2::integer
        """)
    let after: String
    let limit: Int
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [after, limit] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> LegacyOrder {
        LegacyOrder(
            id: try row.string(0), clientID: try row.int(1), category: try row.string(2), description: try row.string(3),
            city: try row.string(4), contact: try row.string(5), status: try row.string(6), lifetimeMinutes: try row.int(7),
            createdAt: try row.instant(8), updatedAt: try row.instant(9), respondedAt: try row.optionalInstant(10))
    }
}

/// The takes of some orders, each order's in the order they happened.
struct LegacyTakesOf: PostgresStatement {
    static let statement = PreparedStatement(
        "legacy_takes_of",
        """
        SELECT id, order_id, executor_id, \(LegacySQL.micros("taken_at"))
          FROM executor_takes WHERE order_id = ANY ($1::text[]) ORDER BY order_id, taken_at, id
        """)
    let orderIDs: [String]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [orderIDs] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> LegacyTake {
        LegacyTake(id: try row.int(0), orderID: try row.string(1), executorID: try row.int(2), takenAt: try row.instant(3))
    }
}

struct LegacyReviewsOf: PostgresStatement {
    static let statement = PreparedStatement(
        "legacy_reviews_of",
        """
        SELECT id, order_id, client_id, executor_id, rating, comment, \(LegacySQL.micros("created_at"))
          FROM client_reviews WHERE order_id = ANY ($1::text[]) ORDER BY id
        """)
    let orderIDs: [String]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [orderIDs] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> LegacyReview {
        LegacyReview(
            id: try row.int(0), orderID: try row.string(1), clientID: try row.int(2), executorID: try row.int(3),
            rating: try row.int(4), comment: row.optionalString(5), createdAt: try row.instant(6))
    }
}

struct LegacyComplaintsOf: PostgresStatement {
    static let statement = PreparedStatement(
        "legacy_complaints_of",
        """
        SELECT id, order_id, executor_id, complaint::text, comment, \(LegacySQL.micros("created_at"))
          FROM executor_complaints WHERE order_id = ANY ($1::text[]) ORDER BY id
        """)
    let orderIDs: [String]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [orderIDs] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> LegacyComplaint {
        LegacyComplaint(
            id: try row.int(0), orderID: try row.string(1), executorID: try row.int(2), reason: try row.string(3),
            comment: row.optionalString(4), createdAt: try row.instant(5))
    }
}

struct LegacyTransactionsAfter: PostgresStatement {
    static let statement = PreparedStatement(
        "legacy_transactions_after",
        """
        SELECT id, user_id, type::text, amount, balance_after, order_id, description, \(LegacySQL.micros("created_at"))
          FROM balance_transactions WHERE id > $1::bigint ORDER BY id LIMIT $2::integer
        """)
    let after: Int64
    let limit: Int
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [after, limit] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> LegacyTransaction {
        LegacyTransaction(
            id: try row.int(0), userID: try row.int(1), type: try row.string(2), amount: try row.int(3),
            balanceAfter: try row.int(4), orderID: row.optionalString(5), description: row.optionalString(6),
            createdAt: try row.instant(7))
    }
}

/// Invoices with whether the old ledger already credited them: the invoice's own link, or a
/// Crypto Pay recharge of its user naming its invoice id (the old webhook's
/// `external_transaction_id`), looked up on the user's transactions.
struct LegacyInvoicesAfter: PostgresStatement {
    static let statement = PreparedStatement(
        "legacy_invoices_after",
        """
        SELECT i.id, i.user_id, i.crypto_bot_invoice_id, i.amount, i.status::text, i.pay_url, i.mini_app_invoice_url,
               \(LegacySQL.micros("i.created_at")),
               i.balance_transaction_id IS NOT NULL
                 OR EXISTS (SELECT 1 FROM balance_transactions b
                             WHERE b.user_id = i.user_id AND b.type = 'RECHARGE'
                               AND b.external_transaction_id = i.crypto_bot_invoice_id::text)
          FROM payment_invoices i WHERE i.id > $1::bigint ORDER BY i.id LIMIT $2::integer
        """)
    let after: Int64
    let limit: Int
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [after, limit] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> LegacyInvoice {
        LegacyInvoice(
            id: try row.int(0), userID: try row.int(1), cryptoPayInvoiceID: try row.optionalInt(2), amount: try row.int(3),
            status: try row.string(4), payURL: row.optionalString(5), miniAppInvoiceURL: row.optionalString(6),
            createdAt: try row.instant(7), creditedInOldLedger: try row.bool(8))
    }
}
