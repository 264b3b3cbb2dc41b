import SrochnoCore
import SrochnoPostgres
import SrochnoStore  // timestamps as statement parameters

/// A batch of users, each column one array. A user Srochno already has (signed in to it
/// before the import) keeps its row; its old balance is still carried over below.
struct InsertUsers: PostgresStatement {
    static let statement = PreparedStatement(
        "adopt_insert_users",
        """
        INSERT INTO users (id, username, first_name, last_name, language_code, notifications_enabled, notification_frequency,
                           preferred_categories, preferred_cities, created_at, updated_at)
        SELECT u.id, u.username, u.first_name, u.last_name, u.language_code, u.enabled, u.frequency,
               u.categories::text[], u.cities::text[], u.created_at, u.updated_at
          FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::boolean[], $7::integer[],
                      $8::text[], $9::text[], $10::timestamptz[], $11::timestamptz[])
               AS u (id, username, first_name, last_name, language_code, enabled, frequency, categories, cities,
                     created_at, updated_at)
         ORDER BY u.id
        ON CONFLICT (id) DO NOTHING
        RETURNING id
        """)
    let users: [UserImport]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] {
        [
            ArrayParameter(users.map(\.id)), ArrayParameter(users.map(\.username)), ArrayParameter(users.map(\.firstName)),
            ArrayParameter(users.map(\.lastName)), ArrayParameter(users.map(\.languageCode)),
            ArrayParameter(users.map(\.notificationsEnabled)), ArrayParameter(users.map(\.frequencyMinutes)),
            ArrayParameter(users.map { $0.categories.postgresText }), ArrayParameter(users.map { $0.cities.postgresText }),
            ArrayParameter(users.map(\.createdAt)), ArrayParameter(users.map(\.updatedAt)),
        ]
    }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Int64 { try row.int(0) }
}

/// Each user's old balance as one opening `recharge` row: the ledger trigger sets the balance,
/// so balance = sum(ledger) holds from the first second. Users in id order, as every batch
/// locks them.
struct InsertOpeningBalances: PostgresStatement {
    static let description = "Balance carried over from the previous Srochno"
    static let statement = PreparedStatement(
        "adopt_insert_opening_balances",
        """
        INSERT INTO balance_transactions (user_id, type, amount, description)
        SELECT b.user_id, 'recharge', b.amount, $3
          FROM unnest($1::bigint[], $2::bigint[]) AS b (user_id, amount)
         ORDER BY b.user_id
        RETURNING user_id
        """)
    let users: [UserImport]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] {
        let funded = users.filter { $0.openingBalance > 0 }
        return [ArrayParameter(funded.map(\.id)), ArrayParameter(funded.map(\.openingBalance)), Self.description]
    }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Int64 { try row.int(0) }
}
