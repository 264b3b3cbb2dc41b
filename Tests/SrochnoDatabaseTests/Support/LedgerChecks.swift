import SrochnoPostgres

/// Queries that state the money invariants, for assertions.
extension PostgresConnection {
    /// A single integer from `sql` (e.g. a count); -1 when it returned nothing.
    func integer(_ sql: String, _ parameters: [any PostgresParameter] = []) throws -> Int64 {
        try execute(sql: sql, parameters).int(0, 0) ?? -1
    }

    /// Users whose balance differs from the sum of their ledger entries.
    func ledgerMismatches() throws -> Int64 {
        try integer(
            """
            SELECT count(*) FROM users u
             WHERE u.balance <> COALESCE((SELECT sum(t.amount) FROM balance_transactions t WHERE t.user_id = u.id), 0)
            """)
    }

    /// Statuses, categories and cities whose trigger-kept count differs from the stored rows
    /// (sql/0006_list_read_costs.sql).
    func orderCountMismatches() throws -> Int64 {
        try integer(
            """
            SELECT count(*) FROM order_counts c
              FULL JOIN (SELECT status, category, city, count(*)::integer AS n FROM orders
                          GROUP BY status, category, city) o USING (status, category, city)
             WHERE COALESCE(c.orders, 0) <> COALESCE(o.n, 0)
            """)
    }

    /// Takes whose executor was refunded more than once.
    func takesRefundedMoreThanOnce() throws -> Int64 {
        try integer(
            """
            SELECT count(*) FROM (SELECT take_id FROM balance_transactions WHERE type = 'refund'
                                   GROUP BY take_id HAVING count(*) > 1) AS repeated
            """)
    }

    /// Refunds that do not match their take exactly (user, amount, order).
    func refundsNotMatchingTheirTake() throws -> Int64 {
        try integer(
            """
            SELECT count(*) FROM balance_transactions b
              LEFT JOIN executor_takes t ON t.id = b.take_id
             WHERE b.type = 'refund'
               AND (t.id IS NULL OR b.user_id <> t.executor_id OR b.amount <> t.amount_paid
                    OR b.order_id IS DISTINCT FROM t.order_id)
            """)
    }

    func refundCount(order: String) throws -> Int64 {
        try integer("SELECT count(*) FROM balance_transactions WHERE type = 'refund' AND order_id = $1", [order])
    }

    func storedStatus(of order: String) throws -> String? {
        try execute(sql: "SELECT status FROM orders WHERE id = $1", [order]).string(0, 0)
    }

    func balance(of user: Int64) throws -> Int64 {
        try integer("SELECT balance FROM users WHERE id = $1::bigint", [user])
    }
}
