import SrochnoCore
import SrochnoPostgres

// What the verification reads: the old database's own numbers, and the imported rows by the
// keys the import kept.

/// Rows per old table, in `LegacyTable` order.
struct LegacyTableCounts: PostgresStatement {
    static let statement = PreparedStatement(
        "legacy_table_counts",
        """
        SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM orders), (SELECT count(*) FROM executor_takes),
               (SELECT count(*) FROM client_reviews), (SELECT count(*) FROM executor_complaints),
               (SELECT count(*) FROM balance_transactions), (SELECT count(*) FROM payment_invoices)
        """)
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> [Int64] {
        try (0..<7).map { column throws(PostgresDecodingError) in try row.int(column) }
    }
}

struct LegacyTransactionCounts: PostgresStatement {
    static let statement = PreparedStatement(
        "legacy_transaction_counts",
        """
        SELECT user_id, count(*) FROM balance_transactions WHERE user_id = ANY ($1::bigint[]) GROUP BY user_id
        """)
    let userIDs: [Int64]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [ArrayParameter(userIDs)] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> (userID: Int64, count: Int64) { (try row.int(0), try row.int(1)) }
}

/// An order's status and how many takes, reviews and complaints it has, in either database.
struct OrderShape: Sendable, Equatable {
    let id: String
    let status: String
    let takes: Int64
    let reviews: Int64
    let complaints: Int64
    /// In Srochno: whether the order's due moment has passed, so the closer (or a write) may
    /// have settled an order the import left active.
    var due = false
}

struct LegacyOrderShapesAfter: PostgresStatement {
    static let statement = PreparedStatement(
        "legacy_order_shapes_after",
        """
        SELECT o.id, o.status::text,
               (SELECT count(*) FROM executor_takes t WHERE t.order_id = o.id),
               (SELECT count(*) FROM client_reviews r WHERE r.order_id = o.id),
               (SELECT count(*) FROM executor_complaints c WHERE c.order_id = o.id)
          FROM orders o WHERE o.id > $1 ORDER BY o.id LIMIT $2::integer
        """)
    let after: String
    let limit: Int
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [after, limit] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> OrderShape {
        OrderShape(
            id: try row.string(0), status: try row.string(1), takes: try row.int(2), reviews: try row.int(3), complaints: try row.int(4))
    }
}

struct AdoptedOrderShapes: PostgresStatement {
    static let statement = PreparedStatement(
        "adopt_order_shapes",
        """
        SELECT o.id, o.status,
               (SELECT count(*) FROM executor_takes t WHERE t.order_id = o.id),
               (SELECT count(*) FROM client_reviews r WHERE r.order_id = o.id),
               (SELECT count(*) FROM executor_complaints c WHERE c.order_id = o.id),
               o.due_at <= now()
          FROM orders o WHERE o.id = ANY ($1::text[])
        """)
    let ids: [String]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [ids] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> OrderShape {
        OrderShape(
            id: try row.string(0), status: try row.string(1), takes: try row.int(2), reviews: try row.int(3), complaints: try row.int(4),
            due: try row.bool(5))
    }
}

/// The notes about some old orders: their own (refused, or stored under another id or
/// status), and how many of their takes, reviews and complaints were not imported.
struct OrderNotes: PostgresStatement {
    static let statement = PreparedStatement(
        "adopt_order_notes",
        """
        SELECT source_id, '', outcome, target_id, status, 1 FROM adoption_notes WHERE source = 'orders' AND source_id = ANY ($1::text[])
        UNION ALL
        SELECT order_id, source, '', NULL, NULL, count(*) FROM adoption_notes
         WHERE order_id = ANY ($1::text[]) AND source <> 'orders' AND outcome IN ('refused', 'skipped')
         GROUP BY order_id, source
        """)
    struct Note {
        let orderID: String
        /// Empty for the order's own note, else the child table.
        let table: String
        let outcome: String
        let targetID: String?
        let status: String?
        let rows: Int64
    }
    let ids: [String]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [ids] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Note {
        Note(
            orderID: try row.string(0), table: try row.string(1), outcome: try row.string(2), targetID: row.optionalString(3),
            status: row.optionalString(4), rows: try row.int(5))
    }
}

/// A user's balance, the sum of its ledger, the refunds in it and its history rows.
struct AdoptedUserState: Sendable, Equatable {
    let id: Int64
    let balance: Int64
    let ledgerSum: Int64
    let refunds: Int64
    let history: Int64
}

struct AdoptedUserStates: PostgresStatement {
    static let statement = PreparedStatement(
        "adopt_user_states",
        """
        SELECT u.id, u.balance,
               COALESCE((SELECT sum(b.amount) FROM balance_transactions b WHERE b.user_id = u.id), 0),
               COALESCE((SELECT sum(b.amount) FROM balance_transactions b WHERE b.user_id = u.id AND b.type = 'refund'), 0),
               (SELECT count(*) FROM legacy_transactions l WHERE l.user_id = u.id)
          FROM users u WHERE u.id = ANY ($1::bigint[])
        """)
    let ids: [Int64]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [ArrayParameter(ids)] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> AdoptedUserState {
        AdoptedUserState(
            id: try row.int(0), balance: try row.int(1), ledgerSum: try row.int(2), refunds: try row.int(3), history: try row.int(4))
    }
}

struct AdoptedPayment: Sendable, Equatable {
    let legacyID: Int64
    let userID: Int64
    let amount: Int64
    let externalID: String?
    let status: String
}

struct AdoptedPayments: PostgresStatement {
    static let statement = PreparedStatement(
        "adopt_payments",
        """
        SELECT legacy_invoice_id, user_id, amount, external_id, status FROM payments WHERE legacy_invoice_id = ANY ($1::bigint[])
        """)
    let legacyIDs: [Int64]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [ArrayParameter(legacyIDs)] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> AdoptedPayment {
        AdoptedPayment(
            legacyID: try row.int(0), userID: try row.int(1), amount: try row.int(2), externalID: row.optionalString(3),
            status: try row.string(4))
    }
}
