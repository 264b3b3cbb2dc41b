import SrochnoPostgres

/// SQL for the balance ledger. Balances move only by inserting ledger rows (see sql/0003).
enum BalanceQueries {
    static let balance = PreparedStatement("balance_of_user", "SELECT balance FROM users WHERE id = $1::bigint")

    static let recharge = PreparedStatement("balance_recharge", """
        INSERT INTO balance_transactions (user_id, type, amount, description)
        VALUES ($1::bigint, 'recharge', $2::bigint, $3::text)
        RETURNING id, balance_after
        """)

    /// Newest first in the order the amounts were applied: `user_seq` is drawn under the
    /// user's row lock (sql/0008), so the first row's `balance_after` is the balance. Ids are
    /// drawn before that lock and can be out of order between concurrent entries.
    static let transactions = PreparedStatement("balance_transactions_page", """
        SELECT id, type, amount, balance_after, order_id, description, epoch_us(created_at)
          FROM balance_transactions
         WHERE user_id = $1::bigint
         ORDER BY user_seq DESC
         LIMIT $2::bigint OFFSET $3::bigint
        """)

    static let all = [balance, recharge, transactions]
}
