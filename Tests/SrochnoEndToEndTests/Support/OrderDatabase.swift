import SrochnoCore
import SrochnoPostgres

/// One ledger row of an order, as the database holds it.
struct OrderLedgerEntry: Equatable, Sendable {
    let userID: Int64
    let amount: Int64
}

/// Direct reads of order state and exact timeline placement, for the checks the API cannot
/// show (the stored status behind an effective one, every ledger row of an order).
extension TestStack {
    /// The status column itself, which lazy resolution leaves untouched until a write.
    func storedStatus(ofOrder id: String) throws -> String? {
        try database().execute(sql: "SELECT status FROM orders WHERE id = $1", [id]).string(0, 0)
    }

    /// Ledger rows of `type` (`order_take` or `refund`) that name this order, oldest first.
    func ledgerEntries(order id: String, type: String) throws -> [OrderLedgerEntry] {
        let rows = try database().execute(
            sql: """
                SELECT user_id, amount FROM balance_transactions WHERE order_id = $1 AND type = $2 ORDER BY id
                """, [id, type])
        return (0..<rows.rowCount).map { OrderLedgerEntry(userID: rows.int($0, 0) ?? 0, amount: rows.int($0, 1) ?? 0) }
    }

    /// Ledger rows of `type` written for one user, across all orders.
    func ledgerCount(of user: TestUser, type: String) throws -> Int64 {
        try database().execute(
            sql: "SELECT count(*) FROM balance_transactions WHERE user_id = $1::bigint AND type = $2",
            [user.id, type]
        ).int(0, 0) ?? -1
    }

    func takeCount(order id: String) throws -> Int64 {
        try database().execute(sql: "SELECT count(*) FROM executor_takes WHERE order_id = $1", [id]).int(0, 0) ?? -1
    }

    /// Stored-active orders holding a normalised contact.
    func activeOrderCount(contact: String) throws -> Int64 {
        try database().execute(sql: "SELECT count(*) FROM orders WHERE contact = $1 AND status = 'active'", [contact]).int(0, 0) ?? -1
    }

    /// Places an order that has takes exactly on the clock: created `createdMinutesAgo`
    /// minutes ago, every take `takenMinutesAfterCreation` minutes after creation, with the
    /// derived moments (expiry, no-response, due) recomputed the way the schema defines them.
    /// For moments that `age(order:byMinutes:)` cannot hit exactly, such as a tie.
    func place(order id: String, createdMinutesAgo: Int, takenMinutesAfterCreation: Int) throws {
        let db = try database()
        try db.transaction {
            try db.execute(
                sql: """
                    UPDATE executor_takes
                       SET taken_at = now() - make_interval(mins => $2::integer) + make_interval(mins => $3::integer)
                     WHERE order_id = $1
                    """, [id, createdMinutesAgo, takenMinutesAfterCreation])
            try db.execute(
                sql: """
                    WITH moments AS (
                        SELECT o.id,
                               now() - make_interval(mins => $2::integer) AS created,
                               now() - make_interval(mins => $2::integer) + make_interval(mins => $3::integer) AS taken
                          FROM orders o WHERE o.id = $1
                    )
                    UPDATE orders o
                       SET created_at = m.created,
                           expires_at = m.created + make_interval(mins => o.lifetime_minutes),
                           first_taken_at = m.taken,
                           no_response_at = CASE WHEN o.customer_responded_at IS NULL
                                                 THEN m.taken + make_interval(mins => o.no_response_minutes) END,
                           due_at = LEAST(m.created + make_interval(mins => o.lifetime_minutes),
                                          CASE WHEN o.customer_responded_at IS NULL
                                               THEN m.taken + make_interval(mins => o.no_response_minutes) END)
                      FROM moments m
                     WHERE o.id = m.id AND o.take_count > 0
                    """, [id, createdMinutesAgo, takenMinutesAfterCreation])
        }
    }
}
