@testable import SrochnoStore
import SrochnoCore
import SrochnoPostgres
import Testing

/// The SQL `order_effective_status` (used by lists, filters and the closer) and Swift's
/// `OrderTimeline.effectiveStatus(at:)` (used by handlers) must agree on every order at every
/// moment, or a list would show an order a write then treats differently.
@Suite struct EffectiveStatusSQLTests {
    let created = Instant(seconds: 1_900_000_000)
    let client: Int64 = 1001
    let executors: [Int64] = [7001, 7002]

    /// Moments around the expiry (created + 60 min) and the no-response moments of the cases.
    var grid: [Instant] {
        let minutes = [-1, 0, 5, 19, 20, 21, 44, 45, 59, 60, 61, 64, 65, 66, 120]
        return minutes.flatMap { minute in
            let moment = created.adding(minutes: minute)
            return [Instant(microseconds: moment.microseconds - 1), moment, Instant(microseconds: moment.microseconds + 1)]
        }
    }

    @Test func sqlAndSwiftAgreeOverAGridOfOrdersAndMoments() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            try market.addUser(client)
            try market.addFundedUsers(executors, amount: 100)
            let cases = try arrangeCases(market, db)

            for (name, order) in cases {
                let timeline = try storedTimeline(db, order)
                for moment in grid {
                    let sql = try db.execute(
                        sql: """
                            SELECT order_effective_status(status, due_at, no_response_at, expires_at, $2::timestamptz),
                                   status = 'active' AND due_at > $2::timestamptz
                              FROM orders WHERE id = $1
                            """, [order, moment])
                    let swift = timeline.effectiveStatus(at: moment)
                    #expect(sql.string(0, 0) == swift.rawValue, "\(name) at \(moment.rfc3339)")
                    #expect(sql.bool(0, 1) == (swift == .active), "\(name): the indexed 'active' predicate at \(moment.rfc3339)")
                }
            }
        }
    }

    /// Spot checks with the expected answer written out, so the agreement above cannot be two
    /// implementations wrong in the same way.
    @Test func knownAnswers() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            try market.addUser(client)
            try market.addFundedUsers(executors, amount: 100)
            let cases = Dictionary(uniqueKeysWithValues: try arrangeCases(market, db))
            let expectations: [(String, Int, OrderStatus)] = [
                ("no take", 59, .active), ("no take", 60, .expired),
                ("take early", 19, .active), ("take early", 20, .closedNoResponse), ("take early", 120, .closedNoResponse),
                ("take late", 60, .expired), ("take late", 66, .expired),
                ("tie", 59, .active), ("tie", 60, .closedNoResponse),
                ("responded", 30, .active), ("responded", 60, .expired),
                ("two takes", 20, .closedNoResponse),
                ("completed", 120, .completed), ("deleted", 120, .deleted),
                ("closed by client", 120, .closedNoResponse), ("stored expired", 5, .expired),
            ]
            for (name, minute, status) in expectations {
                let order = try #require(cases[name])
                let moment = created.adding(minutes: minute)
                let sql = try db.execute(
                    sql: """
                        SELECT order_effective_status(status, due_at, no_response_at, expires_at, $2::timestamptz) FROM orders WHERE id = $1
                        """, [order, moment])
                #expect(sql.string(0, 0) == status.rawValue, "\(name) at +\(minute) min")
                #expect(try storedTimeline(db, order).effectiveStatus(at: moment) == status, "\(name) at +\(minute) min (Swift)")
            }
        }
    }

    /// One order per case, all created at `created` with a 60-minute lifetime and a 15-minute
    /// no-response window.
    private func arrangeCases(_ market: Market, _ db: PostgresConnection) throws -> [(String, String)] {
        func at(_ minutes: Int) -> Instant { created.adding(minutes: minutes) }
        var cases: [(String, String)] = []
        var number = 0
        func order(_ name: String) throws -> String {
            number += 1
            let id = try market.addOrder(number, client: client, createdAt: created)
            cases.append((name, id))
            return id
        }
        _ = try order("no take")
        try market.take(try order("take early"), by: executors[0], at: at(5))
        try market.take(try order("take late"), by: executors[0], at: at(50))
        try market.take(try order("tie"), by: executors[0], at: at(45))
        let responded = try order("responded")
        try market.take(responded, by: executors[0], at: at(5))
        try market.respond(responded, at: at(10))
        let twoTakes = try order("two takes")
        try market.take(twoTakes, by: executors[0], at: at(5))
        try market.take(twoTakes, by: executors[1], at: at(7))
        let completed = try order("completed")
        try market.take(completed, by: executors[0], at: at(5))
        try market.finish(completed, as: .completed, at: at(6))
        try market.delete(try order("deleted"), at: at(1))
        let closed = try order("closed by client")
        try market.take(closed, by: executors[0], at: at(5))
        try market.finish(closed, as: .closedNoResponse, at: at(6))
        let expired = try order("stored expired")
        try db.transaction {
            _ = try db.queryOne(OrderByID(orderID: expired, lock: true))
            _ = try db.queryOne(SettleOrders(orderIDs: [expired], now: at(61)))
        }
        return cases
    }

    /// Swift's view of the stored row, checked against the row's own due_at.
    private func storedTimeline(_ db: PostgresConnection, _ order: String) throws -> OrderTimeline {
        let row = try db.execute(
            sql: """
                SELECT status, epoch_us(expires_at), epoch_us(no_response_at), epoch_us(due_at) FROM orders WHERE id = $1
                """, [order])
        let status = try #require(row.string(0, 0).flatMap(OrderStatus.init(rawValue:)))
        let timeline = OrderTimeline(
            storedStatus: status,
            expiresAt: Instant(microseconds: try #require(row.int(0, 1))),
            noResponseAt: row.int(0, 2).map(Instant.init(microseconds:))
        )
        #expect(row.int(0, 3) == timeline.dueAt.microseconds, "stored due_at of \(order)")
        return timeline
    }
}
