public import SrochnoCore
import SrochnoPostgres

/// The balance ledger. Balances move only by inserting ledger rows (sql/0003, sql/0008).
struct BalanceOfUser: PostgresStatement {
    static let statement = PreparedStatement("balance_of_user", "SELECT balance FROM users WHERE id = $1::bigint")
    let userID: Int64
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [userID] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Int64 { try row.int(0) }
}

/// A recharge's ledger entry: its id and the balance after it.
struct Recharge: PostgresStatement {
    static let statement = PreparedStatement(
        "balance_recharge",
        """
        INSERT INTO balance_transactions (user_id, type, amount, description)
        VALUES ($1::bigint, 'recharge', $2::bigint, $3::text)
        RETURNING id, balance_after
        """)
    let userID: Int64
    let amount: Int64
    let description: String
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [userID, amount, description] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> (entryID: Int64, balance: Int64) {
        (try row.int(0), try row.int(1))
    }
}

/// One ledger entry as the history lists it.
public struct LedgerEntry: Sendable, Equatable {
    public let id: Int64
    public let type: String
    public let amount: Int64
    public let balanceAfter: Int64
    public let orderID: String?
    public let description: String
    public let createdAt: Instant
}

/// Newest first in the order the amounts were applied: `user_seq` is drawn under the user's
/// row lock (sql/0008), so the first row's `balance_after` is the balance. Ids are drawn
/// before that lock and can be out of order between concurrent entries.
struct LedgerPage: PostgresStatement {
    static let statement = PreparedStatement(
        "balance_transactions_page",
        """
        SELECT id, type, amount, balance_after, order_id, description, epoch_us(created_at)
          FROM balance_transactions
         WHERE user_id = $1::bigint
         ORDER BY user_seq DESC
         LIMIT $2::bigint OFFSET $3::bigint
        """)
    let userID: Int64
    let limit: Int64
    let offset: Int64
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [userID, limit, offset] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> LedgerEntry {
        LedgerEntry(
            id: try row.int(0), type: try row.string(1), amount: try row.int(2), balanceAfter: try row.int(3),
            orderID: row.optionalString(4), description: try row.string(5), createdAt: try row.instant(6))
    }
}
