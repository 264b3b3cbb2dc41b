@testable import SrochnoAPI
import SrochnoCore
import SrochnoPostgres
import SrochnoTestSupport
import Testing

/// `active_order_counts` (kept by triggers) and the list totals computed from it.
@Suite struct ActiveOrderCountTests {
    let now = Instant(seconds: 1_900_000_000)
    let client: Int64 = 1001
    let categories = ["Сантехника", "Электрика", "Клининг"]
    let cities = ["Москва", "Казань"]

    private func count(_ db: PostgresConnection, category: String, city: String) throws -> Int64 {
        try db.integer("SELECT COALESCE(sum(active), 0) FROM active_order_counts WHERE category = $1 AND city = $2",
                       [category, city])
    }

    /// Every kind of change a row can go through moves the counters with it.
    @Test func countersFollowEveryChange() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            try market.addUser(client)
            try market.addFundedUsers([2001], amount: 100)
            let orders = try (1...6).map { number in
                try market.addOrder(number, client: client, createdAt: now.adding(minutes: -number),
                                    category: categories[number % 3], city: cities[number % 2])
            }
            #expect(try db.activeCountMismatches() == 0)
            #expect(try count(db, category: categories[1], city: cities[1]) == 1)

            try db.execute(OrderQueries.update, [orders[0], categories[2], nil as String?, nil as String?])
            try market.take(orders[1], by: 2001, at: now.adding(minutes: -1))
            try market.finish(orders[2], as: .completed, at: now)
            try market.delete(orders[3], at: now)
            try db.execute(sql: "DELETE FROM orders WHERE id = $1", [orders[4]])
            #expect(try db.activeCountMismatches() == 0)

            // An expired row still counts as stored 'active' until it is settled.
            try market.addOrder(7, client: client, createdAt: now.adding(minutes: -90))
            #expect(try db.activeCountMismatches() == 0)
            let summary = try OrderCloser().run(db, now: now)
            #expect(summary.expired == 1)
            #expect(try db.activeCountMismatches() == 0)
            // The closer drops the counters that reached zero.
            #expect(try db.integer("SELECT count(*) FROM active_order_counts WHERE active = 0") == 0)

            try db.execute(sql: "TRUNCATE orders CASCADE")
            #expect(try db.integer("SELECT count(*) FROM active_order_counts") == 0)
        }
    }

    /// Writers in parallel (creates, deletes, category moves in both directions, the closer)
    /// leave the counters exact; a deadlock between them is retried, never an error.
    @Test func countersStayExactUnderConcurrentWriters() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            let now = self.now, client = self.client, categories = self.categories, cities = self.cities
            try market.addUser(client)
            let movers = try (1...20).map { number in
                try market.addOrder(number, client: client, createdAt: now.adding(minutes: -5), category: categories[0])
            }
            let results = inParallel(4) { thread in
                let connection = try scratch.connect()
                let market = Market(connection)
                switch thread {
                case 0, 1:
                    // Orders of their own, half of them created long ago (due), a third deleted.
                    for index in 0..<60 {
                        let number = 1000 * (thread + 1) + index
                        let id = try market.addOrder(number, client: client,
                                                     createdAt: now.adding(minutes: index % 2 == 0 ? -2 : -70),
                                                     category: categories[index % 3], city: cities[index % 2])
                        if index % 3 == 0 { try connection.transaction { try market.delete(id, at: now) } }
                    }
                case 2:
                    // Category moves back and forth, each under the order's row lock as PUT does.
                    for round in 0..<6 {
                        for (index, order) in movers.enumerated() {
                            try connection.transaction {
                                try connection.execute(OrderQueries.lockByID, [order])
                                let category = categories[(round + index) % 3]
                                try connection.execute(OrderQueries.update, [order, category, nil as String?, nil as String?])
                            }
                        }
                    }
                default:
                    for _ in 0..<10 { _ = try OrderCloser(batchSize: 7).run(connection, now: now) }
                }
            }
            for result in results { try result.get() }
            #expect(try db.activeCountMismatches() == 0)
            _ = try OrderCloser().run(db, now: now)
            #expect(try db.activeCountMismatches() == 0)
        }
    }

    /// The list total is the stored count minus the rows already due, for every filter shape.
    @Test func listTotalsCountOnlyEffectivelyActiveOrders() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            try market.addUser(client)
            for number in 1...12 {
                // Every third order is past its hour (stored active, effectively expired).
                try market.addOrder(number, client: client, createdAt: now.adding(minutes: number % 3 == 0 ? -61 : -10),
                                    category: categories[number % 3 == 0 ? 0 : number % 2], city: cities[number % 2])
            }
            for byCategory in [false, true] {
                for byCity in [false, true] {
                    let shape = OrderListShape(status: .active, byCategory: byCategory, byCity: byCity, scope: .everyone)
                    var parameters: [any PostgresParameter] = [now, 50, 0]
                    if byCategory { parameters.append(categories[0]) }
                    if byCity { parameters.append(cities[0]) }
                    let rows = try db.execute(shape.statement(), parameters)
                    let exact = try db.integer("""
                        SELECT count(*) FROM orders
                         WHERE status = 'active' AND due_at > $1::timestamptz
                           AND ($2::text IS NULL OR category = $2) AND ($3::text IS NULL OR city = $3)
                        """, [now, byCategory ? categories[0] : nil, byCity ? cities[0] : nil])
                    let pageRows = (0..<rows.rowCount).filter { !rows.isNull($0, 0) }.count
                    #expect(rows.int(0, rows.columnCount - 1) == exact, "category \(byCategory), city \(byCity)")
                    #expect(Int64(pageRows) == exact, "category \(byCategory), city \(byCity)")
                }
            }
            #expect(try db.integer("SELECT count(*) FROM orders WHERE status = 'active' AND due_at <= $1::timestamptz", [now]) == 4)
        }
    }

    /// Reviews exist only for orders stored as completed or expired, which is what lets order
    /// reads skip the review lookup for every other row.
    @Test func reviewOfAnActiveOrderIsRefused() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            try market.addUser(client)
            try market.addFundedUsers([2001], amount: 10)
            let order = try market.addOrder(1, client: client, createdAt: now.adding(minutes: -10))
            try market.take(order, by: 2001, at: now.adding(minutes: -5))
            let insertReview = "INSERT INTO client_reviews (order_id, client_id, executor_id, rating) VALUES ($1, $2::bigint, 2001, 5)"
            #expect(throws: PostgresError.self) { try db.execute(sql: insertReview, [order, client]) }
            do {
                try db.execute(sql: insertReview, [order, client])
            } catch let error as PostgresError {
                #expect(error.constraint == "client_reviews_finished_order")
            }
            try market.finish(order, as: .completed, at: now)
            try db.execute(sql: insertReview, [order, client])
            #expect(try db.integer("SELECT count(*) FROM client_reviews WHERE order_id = $1", [order]) == 1)
        }
    }
}
