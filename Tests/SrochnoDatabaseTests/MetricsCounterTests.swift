@testable import SrochnoStore
import SrochnoConfig
import SrochnoCore
import SrochnoJobs
import SrochnoMigrations
import SrochnoPostgres
import SrochnoTestSupport
import Testing

/// `metrics_counters` (sql/0012_metrics_counters.sql) against a full count of the tables, and
/// the one statement `GET /metrics` reads them with.
@Suite struct MetricsCounterTests {
    let now = Instant(seconds: 1_900_000_000)
    let client: Int64 = 1001

    /// Every kind of change moves the counters with it: creates, takes, respond, complete,
    /// close, delete, the closer's refunds in a batch, a payment credited, a dev recharge, a
    /// row deleted and a truncate.
    @Test func countersFollowEveryChange() throws {
        try ScratchDatabase.withMarket(client: client, executors: [2001, 2002], funds: 50) { _, db, market in
            #expect(try db.metricsCounterMismatches() == 0)
            let orders = try (1...8).map { try market.addOrder($0, client: client, createdAt: now.adding(minutes: -$0)) }
            try market.take(orders[0], by: 2001, at: now.adding(minutes: -1))
            try market.respond(orders[0], at: now)
            try market.finish(orders[0], as: .completed, at: now)
            try market.take(orders[1], by: 2001, at: now.adding(minutes: -1))
            try market.finish(orders[1], as: .closedNoResponse, at: now)
            try market.delete(orders[2], at: now)
            #expect(try db.metricsCounterMismatches() == 0)

            // Two unanswered orders taken by both executors: the closer refunds four takes in
            // one statement.
            for number in [20, 21] {
                let order = try market.addOrder(number, client: client, createdAt: now.adding(minutes: -40))
                try market.take(order, by: 2001, at: now.adding(minutes: -30))
                try market.take(order, by: 2002, at: now.adding(minutes: -29))
            }
            try market.addOrder(22, client: client, createdAt: now.adding(minutes: -90))  // expires untaken
            let summary = try OrderCloser().run(db, now: now)
            #expect(summary.refunds == 4 && summary.expired == 1)
            #expect(try db.metricsCounterMismatches() == 0)

            let payment = try PaymentFakes.pendingCryptoPay(db, user: 2002, amount: 300, invoice: 5550001, createdAt: now)
            _ = try db.queryFirst(
                CreditPayment(
                    receipt: PaymentReceipt(paymentID: payment, provider: .cryptoBot, externalID: "5550001", amount: .rubles(300)),
                    paidAt: now))
            try market.recharge(2001, 7)
            try db.execute(sql: "DELETE FROM orders WHERE id = $1", [orders[7]])
            #expect(try db.metricsCounterMismatches() == 0)
            #expect(try db.integer("SELECT sum(events) FROM metrics_counters WHERE series = 'ledger:recharge:crypto_bot'") == 1)
            #expect(try db.integer("SELECT sum(rubles) FROM metrics_counters WHERE series = 'ledger:refund'") == 8)

            try db.execute(sql: "TRUNCATE orders CASCADE")
            #expect(try db.metricsCounterMismatches() == 0)
            #expect(try db.integer("SELECT count(*) FROM metrics_counters WHERE series LIKE 'ledger:%'") == 0)
        }
    }

    /// Takes on four sessions at once, creates and the closer beside them: the counters equal
    /// a full count afterwards, and the sessions wrote different shards (what keeps concurrent
    /// takes from queueing on one counter row).
    @Test func countersEqualAFullCountAfterConcurrentTakes() throws {
        let now = self.now, client = self.client
        let executors = Array(Int64(3001)...Int64(3040))
        try ScratchDatabase.withMarket(client: client, executors: executors, funds: 40) { scratch, db, market in
            // Even orders stay active; odd ones, taken 39 minutes ago and never answered, are
            // due for the closer (with refunds) while the takes go on.
            let orders = try (1...60).map { number in
                let created = now.adding(minutes: number % 2 == 0 ? -5 : -40)
                return (id: try market.addOrder(number, client: client, createdAt: created), takenAt: created.adding(minutes: 1))
            }
            let results = inParallel(5) { thread in
                let connection = try scratch.connect()
                let market = Market(connection)
                if thread == 4 {
                    // New orders and the closer, settling the unanswered ones with refunds.
                    for number in 100..<130 { try market.addOrder(number, client: client, createdAt: now.adding(minutes: -1)) }
                    for _ in 0..<5 { _ = try OrderCloser(batchSize: 5).run(connection, now: now) }
                    return
                }
                // Ten executors per thread, each taking every order it can (the limit of 3 per
                // order and the settled ones refuse the rest), as the take route does: the
                // order's row locked and settled first, then the take and its charge.
                for executor in executors[(thread * 10)..<(thread * 10 + 10)] {
                    for order in orders {
                        do {
                            try connection.transaction {
                                _ = try connection.queryOne(OrderByID(orderID: order.id, lock: true))
                                _ = try connection.queryOne(SettleOrders(orderIDs: [order.id], now: order.takenAt))
                                _ = try market.tryTake(order.id, by: executor, at: order.takenAt)
                            }
                        } catch let error as PostgresError where error.constraint != nil {
                            continue  // the take limit, or an order already settled
                        }
                    }
                }
            }
            for result in results { try result.get() }
            _ = try OrderCloser().run(db, now: now)
            #expect(try db.integer("SELECT count(*) FROM executor_takes") >= 60)
            #expect(try db.integer("SELECT count(*) FROM balance_transactions WHERE type = 'refund'") > 0)
            #expect(try db.metricsCounterMismatches() == 0)
            #expect(try db.ledgerMismatches() == 0)
            #expect(try db.integer("SELECT count(DISTINCT shard) FROM metrics_counters WHERE series = 'ledger:order_take'") > 1)
        }
    }

    /// The migration counts what the tables already hold: 0001–0011 applied, a market in
    /// them, then 0012 and later.
    @Test func theBackfillEqualsAFullCount() throws {
        let directory = try TestEnvironment.required("SROCHNO_TEST_SQL_DIR")
        let migrations = try Migrator(directory: directory).migrations()
        try ScratchDatabase.withUnmigrated { scratch in
            let db = try scratch.connect()
            for migration in migrations where migration.version < "0012" {
                try db.transaction { _ = try db.execute(sql: migration.sql) }
            }
            #expect(try db.integer("SELECT count(*) FROM pg_class WHERE relname = 'metrics_counters'") == 0)
            let market = Market(db)
            try market.addUser(client)
            try market.addFundedUsers([2001, 2002], amount: 20)
            try market.addOrder(13, client: client, createdAt: now.adding(minutes: -90))  // expired
            for number in 1...12 {
                let order = try market.addOrder(number, client: client, createdAt: now.adding(minutes: -3 * number))
                if number % 3 == 0 { try market.take(order, by: 2001, at: now.adding(minutes: -3 * number + 1)) }
                if number % 4 == 0 { try market.take(order, by: 2002, at: now.adding(minutes: -3 * number + 1)) }
                if number == 3 { try market.finish(order, as: .completed, at: now) }
                if number == 5 { try market.delete(order, at: now) }
            }
            _ = try OrderCloser().run(db, now: now)
            let payment = try PaymentFakes.pendingStars(db, user: 2002, amount: 100, stars: 70, createdAt: now)
            _ = try db.queryFirst(
                CreditPayment(
                    receipt: PaymentReceipt(paymentID: payment, provider: .stars, externalID: "charge-1", amount: .stars(70)),
                    paidAt: now))
            #expect(try db.integer("SELECT count(*) FROM balance_transactions WHERE type = 'refund'") > 0)

            for migration in migrations where migration.version >= "0012" {
                try db.transaction { _ = try db.execute(sql: migration.sql) }
            }
            #expect(try db.metricsCounterMismatches() == 0)
            #expect(try db.integer("SELECT count(*) FROM metrics_counters WHERE shard <> 0") == 0)
            // Every status and four ledger series (takes, refunds, dev and Stars credits).
            #expect(try db.integer("SELECT count(*) FROM metrics_counters") == 9)
        }
    }

    /// The statement behind /metrics: effective statuses (due rows moved out of active), the
    /// closer's lag, payments still payable and still being made, the outbox.
    @Test func theSnapshotReadsEffectiveStatusesLagAndBacklogs() throws {
        try ScratchDatabase.withMarket(client: client, executors: [2001], funds: 10) { scratch, db, market in
            try market.addOrder(1, client: client, createdAt: now.adding(minutes: -10))  // active
            try market.addOrder(2, client: client, createdAt: now.adding(minutes: -70))  // expired 10 minutes ago
            let unanswered = try market.addOrder(3, client: client, createdAt: now.adding(minutes: -30))
            try market.take(unanswered, by: 2001, at: now.adding(minutes: -20))  // closed_no_response 5 minutes ago
            _ = try PaymentFakes.pendingCryptoPay(db, user: 2001, invoice: 5550002, createdAt: now.adding(minutes: -5))
            _ = try PaymentFakes.pendingCryptoPay(db, user: 2001, invoice: 5550003, createdAt: now.adding(minutes: -45))  // expired
            _ = try db.queryOne(
                InsertPayment(userID: 2001, provider: .stars, amount: 50, stars: 35, now: now.adding(minutes: -2), lifetimeMinutes: 30))

            let store = Store(settings: try Settings.parse(["SROCHNO_DATABASE_URL": scratch.conninfo, "SROCHNO_BOT_TOKEN": "1:test"]))
            let snapshot = try store.metrics(now: now)
            #expect(snapshot.ordersByStatus[.active] == 1)
            #expect(snapshot.ordersByStatus[.expired] == 1)
            #expect(snapshot.ordersByStatus[.closedNoResponse] == 1)
            #expect(snapshot.ordersByStatus[.completed] == 0 && snapshot.ordersByStatus[.deleted] == 0)
            #expect(snapshot.unsettled == .init(count: 2, oldest: now.adding(minutes: -10)))
            #expect(snapshot.takes == .init(entries: 1, rubles: 2))
            #expect(snapshot.topUps["none"] == .init(entries: 1, rubles: 10))
            #expect(snapshot.pendingPayments["crypto_bot"] == .init(count: 1, oldest: now.adding(minutes: -5)))
            #expect(snapshot.pendingPayments["stars"] == .init(count: 0, oldest: nil))
            #expect(snapshot.creatingPayments == .init(count: 1, oldest: now.adding(minutes: -2)))
            #expect(snapshot.notifications.outbox == 3)
            #expect(snapshot.migration.hasPrefix("0012") || snapshot.migrationNumber > 12)

            // Settled, nothing is due and the stored statuses carry the same numbers.
            _ = try OrderCloser().run(db, now: now)
            let settled = try store.metrics(now: now)
            #expect(settled.ordersByStatus == snapshot.ordersByStatus)
            #expect(settled.unsettled == .init(count: 0, oldest: nil))
            #expect(settled.refunds == .init(entries: 1, rubles: 2))
        }
    }
}

extension PostgresConnection {
    /// Series of `metrics_counters` whose sum over the shards differs from a full count of the
    /// tables.
    fileprivate func metricsCounterMismatches() throws -> Int64 {
        try integer(
            """
            SELECT count(*)
              FROM (SELECT series, sum(events) AS events, sum(rubles) AS rubles FROM metrics_counters GROUP BY series) c
              FULL JOIN (SELECT 'orders:' || status AS series, count(*) AS events, 0 AS rubles FROM orders GROUP BY status
                         UNION ALL
                         SELECT CASE type WHEN 'recharge' THEN 'ledger:recharge:' || COALESCE(provider, 'none') ELSE 'ledger:' || type END,
                                count(*), sum(abs(amount))
                           FROM balance_transactions GROUP BY 1) t USING (series)
             WHERE COALESCE(c.events, 0) <> COALESCE(t.events, 0) OR COALESCE(c.rubles, 0) <> COALESCE(t.rubles, 0)
            """)
    }
}
