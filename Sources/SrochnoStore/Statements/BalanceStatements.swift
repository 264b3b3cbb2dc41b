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
///
/// After every ledger row come the user's transactions carried over from the old backend
/// (sql/0011, `srochno-adopt`), newest first by their old id, with the id
/// `legacyIDOffset` + old id. They are history only: the balance they led to is the ledger's
/// opening row. The user's entry count (`users.ledger_entries`) says where the ledger ends, so
/// each part reads at most `limit` + `offset` rows by index, as the ledger alone did.
struct LedgerPage: PostgresStatement {
    /// Ledger ids stay below it (the sequence's MAXVALUE), so history ids never collide with them.
    static let legacyIDOffset: Int64 = 9_000_000_000_000_000

    static let statement = PreparedStatement(
        "balance_transactions_page",
        """
        SELECT id, type, amount, balance_after, order_id, description, epoch_us(created_at)
          FROM ((SELECT id, type, amount, balance_after, order_id, description, created_at, 0 AS part, user_seq AS position
                   FROM balance_transactions
                  WHERE user_id = $1::bigint
                  ORDER BY user_seq DESC
                  LIMIT $2::bigint OFFSET $3::bigint)
                UNION ALL
                (SELECT \(legacyIDOffset) + id, type, amount, balance_after, order_id, description, created_at, 1, id
                   FROM legacy_transactions
                  WHERE user_id = $1::bigint
                  ORDER BY id DESC
                  LIMIT greatest(0, $2::bigint - greatest(0, (SELECT ledger_entries FROM users WHERE id = $1::bigint) - $3::bigint))
                 OFFSET greatest(0, $3::bigint - (SELECT ledger_entries FROM users WHERE id = $1::bigint)))) page
         ORDER BY part, position DESC
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
