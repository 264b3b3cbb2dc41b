import Glibc
@testable import SrochnoStore
import SrochnoJobs
import SrochnoCore
import SrochnoPostgres
import SrochnoTestSupport
import Testing

/// Several sessions settle the same due orders at once: each order changes once and each
/// paying executor is refunded once, whoever gets there first.
@Suite struct CloserConcurrencyTests {
    let now = Instant(seconds: 1_900_000_000)
    let client: Int64 = 1001

    /// Due unanswered orders `numbers`, each taken by 3 of `executors` (overlapping between
    /// orders, so refunds of different orders lock the same users).
    private func seedUnansweredOrders(_ market: Market, _ numbers: ClosedRange<Int>, executors: [Int64]) throws -> [String] {
        try numbers.map { number in
            let order = try market.addOrder(number, client: client, createdAt: now.adding(minutes: -30))
            for offset in [0, 4, 8] {
                try market.take(order, by: executors[(number + offset) % executors.count], at: now.adding(minutes: -25))
            }
            return order
        }
    }

    /// The request path (lock the order, then `apply_due_transitions`, as every write does)
    /// and the closer race over the same due orders, a few rounds.
    @Test func requestPathAndCloserRefundEachTakeOnce() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            let executors = Array(Int64(3001)...3012)
            try market.addUser(client)
            try market.addFundedUsers(executors, amount: 1000)
            let now = self.now

            for round in 0..<5 {
                let orders = try seedUnansweredOrders(market, (round * 20 + 1)...(round * 20 + 20), executors: executors)
                let results = inParallel(2) { thread -> OrderCloser.Summary in
                    let connection = try scratch.connect()
                    if thread == 1 { return try OrderCloser(batchSize: 5).run(connection, now: now) }
                    var settled = OrderCloser.Summary()
                    for order in orders.reversed() {
                        let result = try connection.transaction {
                            _ = try connection.queryOne(OrderByID(orderID: order, lock: true))
                            return try connection.queryOne(SettleOrders(orderIDs: [order], now: now))
                        }
                        settled.expired += result.expired
                        settled.closed += result.closed
                        settled.refunds += result.refunds
                    }
                    return settled
                }
                let summaries = try results.map { try $0.get() }
                #expect(summaries.map(\.closed).reduce(0, +) == 20, "round \(round): every order closed once")
                #expect(summaries.map(\.refunds).reduce(0, +) == 60, "round \(round): one refund per take")
                #expect(summaries.map(\.expired).reduce(0, +) == 0)
                for order in orders {
                    #expect(try db.storedStatus(of: order) == "closed_no_response")
                    #expect(try db.refundCount(order: order) == 3, "order \(order)")
                }
            }
            #expect(try db.takesRefundedMoreThanOnce() == 0)
            #expect(try db.refundsNotMatchingTheirTake() == 0)
            #expect(try db.ledgerMismatches() == 0)
            for executor in executors { #expect(try db.balance(of: executor) == 1000, "every take refunded") }
        }
    }

    @Test func fourClosersTogetherChangeEachOrderOnceAndRefundEachTakeOnce() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            let executors = Array(Int64(4001)...4012)
            try market.addUser(client)
            try market.addFundedUsers(executors, amount: 200)
            let orders = try seedUnansweredOrders(market, 1...200, executors: executors)
            #expect(try db.integer("SELECT count(*) FROM executor_takes") == 600)
            let now = self.now

            let results = inParallel(4) { _ in
                try OrderCloser(batchSize: 10).run(try scratch.connect(), now: now)
            }
            let summaries = try results.map { try $0.get() }

            #expect(summaries.map(\.closed).reduce(0, +) == 200, "the summaries add up to every order, once")
            #expect(summaries.map(\.expired).reduce(0, +) == 0)
            #expect(summaries.map(\.refunds).reduce(0, +) == 600)
            #expect(
                try db.integer(
                    "SELECT count(*) FROM orders WHERE id = ANY ($1::text[]) AND status = 'closed_no_response'",
                    [orders]) == 200)
            #expect(try db.integer("SELECT count(*) FROM balance_transactions WHERE type = 'refund'") == 600)
            #expect(
                try db.integer(
                    """
                    SELECT count(*) FROM executor_takes t
                     WHERE (SELECT count(*) FROM balance_transactions b WHERE b.take_id = t.id AND b.type = 'refund') <> 1
                    """) == 0, "exactly one refund per take")
            #expect(try db.refundsNotMatchingTheirTake() == 0)
            #expect(try db.ledgerMismatches() == 0)
            for executor in executors { #expect(try db.balance(of: executor) == 200, "every take refunded") }
        }
    }

    /// The turn locks held or awaited in this scratch database. pg_locks is cluster-wide, and
    /// suites running in parallel have closers of their own in other databases.
    private static let turnLocksHere = """
        SELECT count(*) FROM pg_locks
         WHERE locktype = 'advisory' AND objid = $1::bigint
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
        """

    /// While one closer is inside a batch, another waits for its turn instead of queueing on
    /// the same executors' rows (a take then waits for one batch, not one batch per closer).
    @Test func aCloserWaitsWhileAnotherIsInsideABatch() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            try market.addUser(client)
            try market.addFundedUsers([4101], amount: 10)
            let order = try market.addOrder(1, client: client, createdAt: now.adding(minutes: -30))
            try market.take(order, by: 4101, at: now.adding(minutes: -25))
            let now = self.now

            let results = inParallel(2) { thread -> Int in
                let connection = try scratch.connect()
                if thread == 1 {
                    try waitUntil(connection, "\(Self.turnLocksHere) AND granted", [OrderCloser.turnLock])
                    return try OrderCloser().run(connection, now: now).closed
                }
                // The other closer's batch: hold the turn until this closer waits for it.
                try connection.execute(sql: "BEGIN")
                try connection.execute(sql: "SELECT pg_advisory_xact_lock($1::bigint)", [OrderCloser.turnLock])
                try waitUntil(connection, "\(Self.turnLocksHere) AND NOT granted", [OrderCloser.turnLock])
                let status = try connection.storedStatus(of: order)
                try connection.execute(sql: "COMMIT")
                return status == "active" ? 1 : 0
            }
            #expect(try results[0].get() == 1, "the waiting closer settled nothing while the other held its turn")
            #expect(try results[1].get() == 1, "after the turn was released it settled the order")
            #expect(try db.refundCount(order: order) == 1)
        }
    }
}

private struct TimedOut: Error, CustomStringConvertible {
    let description: String
}

/// Polls `sql` (a count) until it is at least 1, for up to 10 s.
private func waitUntil(_ connection: PostgresConnection, _ sql: String, _ parameters: [any PostgresParameter]) throws {
    for _ in 0..<1000 {
        if try connection.integer(sql, parameters) >= 1 { return }
        usleep(10_000)
    }
    throw TimedOut(description: "timed out waiting for: \(sql)")
}
