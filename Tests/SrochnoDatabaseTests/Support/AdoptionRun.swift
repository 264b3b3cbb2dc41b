import Glibc
import SrochnoAdoption
import SrochnoAdoptionFixtures
import SrochnoCore
import SrochnoPostgres

/// A scratch Srochno database and an old database with a `LegacyMarket` in it, and the import
/// run between them in this process.
struct AdoptionRun {
    let legacy: LegacyDatabase
    let target: ScratchDatabase
    let market: LegacyMarket

    /// Both databases for `body`, the market written into the old one; dropped afterwards.
    static func with<T>(bulkOrders: Int = 40, invalidUser: Bool = true, _ body: (AdoptionRun) throws -> T) throws -> T {
        try ScratchDatabase.with { target in
            try LegacyDatabase.with(adminURL: try TestEnvironment.adminDatabaseURL()) { legacy in
                let cities = try knownCities(try target.connect())
                let market = LegacyMarket(
                    base: 7_000_000_000, prefix: "tst", invoiceBase: 9_000_000, now: Instant(seconds: Int64(time(nil))),
                    cities: Array(cities.prefix(2)), knownCities: cities, bulkOrders: bulkOrders, invalidUser: invalidUser)
                try market.rows.insert(into: try legacy.connect())
                return try body(AdoptionRun(legacy: legacy, target: target, market: market))
            }
        }
    }

    static func knownCities(_ db: PostgresConnection) throws -> [String] {
        let rows = try db.execute(sql: "SELECT name FROM cities ORDER BY position LIMIT 40")
        return (0..<rows.rowCount).compactMap { rows.string($0, 0) }
    }

    /// Runs the import into `target` (default: this run's own) at the market's moment, or `later` seconds after it.
    @discardableResult
    func adopt(
        into target: ScratchDatabase? = nil, batchSize: Int = 7, dryRun: Bool = false, stopAfterBatches: Int? = nil, later: Int64 = 0
    )
        throws -> Adoption.Outcome
    {
        let source = try SourceConnection.open(legacy.conninfo, connectTimeout: 5)
        let db = try (target ?? self.target).connect()
        let options = Adoption.Options(batchSize: batchSize, dryRun: dryRun, stopAfterBatches: stopAfterBatches)
        return try Adoption(source: source, target: db, options: options).run(now: market.now.adding(seconds: later))
    }
}

extension PostgresConnection {
    /// Everything the import wrote, as sorted text lines without the values that differ from
    /// run to run by design (serial ids, the time a ledger row was written): two imports of
    /// one old database at one moment must give the same snapshot, however often they stopped.
    func adoptionSnapshot() throws -> [String] {
        let rows = try execute(
            sql: """
                SELECT 'user ' || row(id, username, first_name, last_name, language_code, balance, ledger_entries, notifications_enabled,
                                       notification_frequency, preferred_categories, preferred_cities, created_at, updated_at)::text FROM users
                UNION ALL SELECT 'ledger ' || row(user_id, user_seq, type, amount, balance_after, order_id, description, payment_id)::text
                  FROM balance_transactions
                UNION ALL SELECT 'order ' || row(id, client_id, category, description, city, contact, status, created_at, lifetime_minutes,
                                        expires_at, no_response_minutes, max_executors, take_count, first_taken_at, no_response_at,
                                        customer_responded_at, due_at, finished_at)::text FROM orders
                UNION ALL SELECT 'take ' || row(order_id, executor_id, amount_paid, taken_at, order_completed)::text FROM executor_takes
                UNION ALL SELECT 'review ' || row(order_id, client_id, executor_id, rating, comment, created_at)::text FROM client_reviews
                UNION ALL SELECT 'complaint ' || row(order_id, executor_id, reason, comment, created_at)::text FROM executor_complaints
                UNION ALL SELECT 'history ' || l::text FROM legacy_transactions l
                UNION ALL SELECT 'payment ' || row(user_id, provider, amount, status, external_id, pay_url, created_at, expires_at,
                                          legacy_invoice_id)::text FROM payments
                UNION ALL SELECT 'count ' || c::text FROM order_counts c WHERE orders > 0
                UNION ALL SELECT 'adoption ' || a::text FROM adoption a
                UNION ALL SELECT 'progress ' || p::text FROM adoption_progress p
                UNION ALL SELECT 'counts ' || c::text FROM adoption_counts c
                UNION ALL SELECT 'note ' || n::text FROM adoption_notes n
                ORDER BY 1
                """)
        return (0..<rows.rowCount).compactMap { rows.string($0, 0) }
    }
}
