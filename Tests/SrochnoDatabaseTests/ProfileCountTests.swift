@testable import SrochnoStore
import SrochnoJobs
import SrochnoCore
import SrochnoPostgres
import Testing

/// The profile's counters (`ProfileOfUser`), read from the trigger-kept `user_order_counts`
/// less the stored-active orders already due (sql/0013_user_order_counts.sql); they must equal
/// counting every order the user created or took.
@Suite struct ProfileCountTests {
    let now = Instant(seconds: 1_900_000_000)
    let client: Int64 = 1001
    let executors: [Int64] = [2001, 2002, 2003]

    private func profileCounts(_ db: PostgresConnection, _ user: Int64) throws -> (completed: Int64?, active: Int64?) {
        let statement = ProfileOfUser(
            profile: TelegramProfile(id: user, username: nil, firstName: nil, lastName: nil, languageCode: nil),
            now: now)
        let profile = try db.queryFirst(statement)?.profile
        return (profile?.completedOrders, profile?.activeOrders)
    }

    /// Every order the user created or took, with its effective status at `now`.
    private func countedByHand(_ db: PostgresConnection, _ user: Int64) throws -> (completed: Int64, active: Int64) {
        let statuses = """
            SELECT order_effective_status(o.status, o.due_at, o.no_response_at, o.expires_at, $2::timestamptz) AS status
              FROM orders o
             WHERE o.client_id = $1::bigint OR o.id IN (SELECT order_id FROM executor_takes WHERE executor_id = $1::bigint)
            """
        return (
            try db.integer("SELECT count(*) FROM (\(statuses)) s WHERE status = 'completed'", [user, now]),
            try db.integer("SELECT count(*) FROM (\(statuses)) s WHERE status = 'active'", [user, now])
        )
    }

    private func expectCountsMatch(_ db: PostgresConnection, _ note: String) throws {
        for user in [client] + executors {
            let fast = try profileCounts(db, user)
            let slow = try countedByHand(db, user)
            #expect(fast.completed == slow.completed, "\(note): completed of \(user)")
            #expect(fast.active == slow.active, "\(note): active of \(user)")
        }
        #expect(
            try db.integer(
                """
                SELECT count(*) FROM executor_takes t JOIN orders o ON o.id = t.order_id
                 WHERE t.order_completed <> (o.status = 'completed')
                """) == 0, "\(note): takes agree with their orders about completion")
        // Every user's trigger-kept counters equal counting the data (rows of zeros aside).
        let counted = """
            SELECT user_id, sum(active) AS active, sum(completed) AS completed, sum(rating_sum) AS rating_sum,
                   sum(rating_count) AS rating_count
              FROM (SELECT o.client_id AS user_id, (o.status = 'active')::integer AS active,
                           (o.status = 'completed')::integer AS completed, 0 AS rating_sum, 0 AS rating_count
                      FROM orders o
                    UNION ALL
                    SELECT t.executor_id, (o.status = 'active')::integer, (o.status = 'completed')::integer, 0, 0
                      FROM executor_takes t JOIN orders o ON o.id = t.order_id
                    UNION ALL
                    SELECT r.executor_id, 0, 0, r.rating, 1 FROM client_reviews r) c
             GROUP BY user_id HAVING sum(active) <> 0 OR sum(completed) <> 0 OR sum(rating_count) <> 0
            """
        let kept = """
            SELECT user_id, active::numeric, completed::numeric, rating_sum::numeric, rating_count::numeric
              FROM user_order_counts WHERE active <> 0 OR completed <> 0 OR rating_count <> 0
            """
        #expect(
            try db.integer("SELECT count(*) FROM ((\(counted) EXCEPT \(kept)) UNION ALL (\(kept) EXCEPT \(counted))) d") == 0,
            "\(note): user_order_counts agree with the orders, takes and reviews")
    }

    @Test func countersEqualCountingEveryOrder() throws {
        try ScratchDatabase.withMarket(client: client, executors: executors) { _, db, market in
            // Orders of every age: long finished, due but not settled, and current ones.
            var orders: [String] = []
            for number in 1...12 {
                let created = now.adding(minutes: -10 * number)
                let order = try market.addOrder(number, client: client, createdAt: created)
                for executor in executors.prefix(number % 4) {
                    try market.take(order, by: executor, at: created.adding(minutes: 1))
                }
                orders.append(order)
            }
            try expectCountsMatch(db, "as created")

            try market.respond(orders[2], at: now.adding(minutes: -25))
            try market.finish(orders[2], as: .completed, at: now.adding(minutes: -20))
            try market.respond(orders[6], at: now.adding(minutes: -65))
            try market.finish(orders[6], as: .completed, at: now.adding(minutes: -60))
            try market.finish(orders[1], as: .closedNoResponse, at: now.adding(minutes: -15))
            try expectCountsMatch(db, "after completions")

            // Reviews of the completed orders' executors, one changed and one removed later.
            for order in [orders[2], orders[6]] {
                try db.execute(
                    sql: """
                        INSERT INTO client_reviews (order_id, client_id, executor_id, rating)
                        SELECT order_id, $2::bigint, executor_id, 3 + (executor_id % 3)::smallint FROM executor_takes WHERE order_id = $1
                        """, [order, client])
            }
            try expectCountsMatch(db, "after reviews")
            try db.execute(sql: "UPDATE client_reviews SET rating = 1 WHERE order_id = $1", [orders[2]])
            try db.execute(sql: "DELETE FROM client_reviews WHERE order_id = $1", [orders[6]])
            try expectCountsMatch(db, "after a review changed and one removed")

            _ = try OrderCloser().run(db, now: now)
            try expectCountsMatch(db, "after the closer")

            // A completed order moved back (no route does this; the trigger follows anyway).
            try db.execute(sql: "UPDATE orders SET status = 'expired' WHERE id = $1", [orders[2]])
            try expectCountsMatch(db, "after an order left completed")
        }
    }
}
