@testable import SrochnoStore
import SrochnoJobs
import SrochnoCore
import SrochnoPostgres
import SrochnoTestSupport
import Testing

/// `order_counts` (kept by triggers) and the list totals computed from it.
@Suite struct OrderCountTests {
    let now = Instant(seconds: 1_900_000_000)
    let client: Int64 = 1001
    let categories = ["Сантехника", "Электрика", "Клининг"]
    let cities = ["Москва", "Казань"]

    private func count(_ db: PostgresConnection, category: String, city: String) throws -> Int64 {
        try db.integer(
            """
            SELECT COALESCE(sum(orders), 0) FROM order_counts WHERE status = 'active' AND category = $1 AND city = $2
            """, [category, city])
    }

    /// Every kind of change a row can go through moves the counters with it.
    @Test func countersFollowEveryChange() throws {
        try ScratchDatabase.withMarket(client: client, executors: [2001]) { _, db, market in
            let orders = try (1...6).map { number in
                try market.addOrder(
                    number, client: client, createdAt: now.adding(minutes: -number),
                    category: categories[number % 3], city: cities[number % 2])
            }
            #expect(try db.orderCountMismatches() == 0)
            #expect(try count(db, category: categories[1], city: cities[1]) == 1)

            try db.run(UpdateOrder(orderID: orders[0], category: categories[2], description: nil, contact: nil))
            try market.take(orders[1], by: 2001, at: now.adding(minutes: -1))
            try market.finish(orders[2], as: .completed, at: now)
            try market.delete(orders[3], at: now)
            try db.execute(sql: "DELETE FROM orders WHERE id = $1", [orders[4]])
            #expect(try db.orderCountMismatches() == 0)

            // An expired row still counts as stored 'active' until it is settled.
            try market.addOrder(7, client: client, createdAt: now.adding(minutes: -90))
            #expect(try db.orderCountMismatches() == 0)
            let summary = try OrderCloser().run(db, now: now)
            #expect(summary.expired == 1)
            #expect(try db.orderCountMismatches() == 0)
            // The closer drops the counters that reached zero.
            #expect(try db.integer("SELECT count(*) FROM order_counts WHERE orders = 0") == 0)

            try db.execute(sql: "TRUNCATE orders CASCADE")
            #expect(try db.integer("SELECT count(*) FROM order_counts") == 0)
        }
    }

    /// Writers in parallel (creates, deletes, category moves in both directions, the closer)
    /// leave the counters exact; a deadlock between them is retried, never an error.
    @Test func countersStayExactUnderConcurrentWriters() throws {
        let now = self.now, client = self.client, categories = self.categories, cities = self.cities
        try ScratchDatabase.withMarket(client: client, executors: []) { scratch, db, market in
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
                        let id = try market.addOrder(
                            number, client: client,
                            createdAt: now.adding(minutes: index % 2 == 0 ? -2 : -70),
                            category: categories[index % 3], city: cities[index % 2])
                        if index % 3 == 0 { try connection.transaction { try market.delete(id, at: now) } }
                    }
                case 2:
                    // Category moves back and forth, each under the order's row lock as PUT does.
                    for round in 0..<6 {
                        for (index, order) in movers.enumerated() {
                            try connection.transaction {
                                _ = try connection.queryOne(OrderByID(orderID: order, lock: true))
                                let category = categories[(round + index) % 3]
                                try connection.run(UpdateOrder(orderID: order, category: category, description: nil, contact: nil))
                            }
                        }
                    }
                default:
                    for _ in 0..<10 { _ = try OrderCloser(batchSize: 7).run(connection, now: now) }
                }
            }
            for result in results { try result.get() }
            #expect(try db.orderCountMismatches() == 0)
            _ = try OrderCloser().run(db, now: now)
            #expect(try db.orderCountMismatches() == 0)
        }
    }

    /// Everyone's lists of every status, with and without filters, over orders in every stored
    /// status and stored-active rows already due both ways: page and total equal what
    /// `order_effective_status` says of every row.
    @Test func everyoneListsMatchTheEffectiveStatusOfEveryRow() throws {
        try ScratchDatabase.withMarket(client: client, executors: [2001]) { _, db, market in
            for number in 1...30 {
                let created = now.adding(minutes: -4 * number)
                let order = try market.addOrder(
                    number, client: client, createdAt: created,
                    category: categories[number % 3], city: cities[number % 2])
                // A third are taken (due by no-response after 15 minutes unless answered).
                if number % 3 == 1 { try market.take(order, by: 2001, at: created.adding(minutes: 1)) }
                switch number % 5 {
                case 0: try market.delete(order, at: created.adding(minutes: 2))
                case 2 where number % 3 == 1: try market.finish(order, as: .completed, at: created.adding(minutes: 3))
                default: break
                }
            }
            // Settle some of the due rows, leave the rest stored active.
            _ = try OrderCloser(batchSize: 4).run(db, now: now.adding(minutes: -50))
            #expect(try db.integer("SELECT count(*) FROM orders WHERE status = 'active' AND due_at <= $1::timestamptz", [now]) > 0)
            #expect(try db.orderCountMismatches() == 0)

            for status in OrderStatus.allCases {
                for (byCategory, byCity) in [(false, false), (true, false), (false, true), (true, true)] {
                    for (limit, offset) in [(50, 0), (3, 2)] {
                        let shape = OrderListShape(status: status, byCategory: byCategory, byCity: byCity, scope: .everyone)
                        let lines = try db.query(
                            OrderList(
                                prepared: shape.statement(), shape: shape, now: now, limit: Int64(limit),
                                offset: Int64(offset), category: byCategory ? categories[0] : nil,
                                city: byCity ? cities[0] : nil, userID: nil, viewer: nil))
                        let page = lines.compactMap { $0.order?.id }
                        let matching = """
                            SELECT id, created_at FROM orders
                             WHERE order_effective_status(status, due_at, no_response_at, expires_at, $1::timestamptz) = $2
                               AND ($3::text IS NULL OR category = $3) AND ($4::text IS NULL OR city = $4)
                            """
                        let filters: [any PostgresParameter] = [
                            now, status.rawValue, byCategory ? categories[0] : nil, byCity ? cities[0] : nil,
                        ]
                        let note = "\(status) category \(byCategory) city \(byCity) limit \(limit) offset \(offset)"
                        #expect(
                            lines.first?.total == (try db.integer("SELECT count(*) FROM (\(matching)) m", filters)),
                            "\(note): total")
                        let expected = try db.execute(
                            sql: """
                                SELECT id FROM (\(matching)) m ORDER BY created_at DESC, id DESC LIMIT $5::bigint OFFSET $6::bigint
                                """, filters + [limit, offset])
                        #expect(page == (0..<expected.rowCount).compactMap { expected.string($0, 0) }, "\(note): page")
                    }
                }
            }
        }
    }

    /// Reviews exist only for orders stored as completed or expired, which is what lets order
    /// reads skip the review lookup for every other row.
    @Test func reviewOfAnActiveOrderIsRefused() throws {
        try ScratchDatabase.withMarket(client: client, executors: [2001], funds: 10) { _, db, market in
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
