@testable import SrochnoStore
import SrochnoJobs
import SrochnoCore
import SrochnoPostgres
import Testing

/// One closer run over a mix of orders: exactly the due ones change, with the right refunds,
/// and a second run finds nothing left.
@Suite struct CloserTests {
    let now = Instant(seconds: 1_900_000_000)
    let client: Int64 = 1001
    let executors: [Int64] = [2001, 2002, 2003, 2004]

    @Test func settlesExactlyTheDueOrdersWithTheirRefunds() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            try market.addUser(client)
            try market.addFundedUsers(executors, amount: 100)
            let (e1, e2, e3, e4) = (executors[0], executors[1], executors[2], executors[3])
            func minutesAgo(_ minutes: Int) -> Instant { now.adding(minutes: -minutes) }

            let fresh = try market.addOrder(1, client: client, createdAt: minutesAgo(10))
            let expiring = try market.addOrder(2, client: client, createdAt: minutesAgo(61))
            let unanswered = try market.addOrder(3, client: client, createdAt: minutesAgo(30))
            let unansweredTakes = [
                try market.take(unanswered, by: e1, at: minutesAgo(20)),
                try market.take(unanswered, by: e2, at: minutesAgo(18)),
            ]
            let respondedThenExpired = try market.addOrder(4, client: client, createdAt: minutesAgo(70))
            try market.take(respondedThenExpired, by: e1, at: minutesAgo(65))
            try market.respond(respondedThenExpired, at: minutesAgo(60))
            let completed = try market.addOrder(5, client: client, createdAt: minutesAgo(70))
            try market.take(completed, by: e3, at: minutesAgo(69))
            try market.finish(completed, as: .completed, at: minutesAgo(68))
            let deleted = try market.addOrder(6, client: client, createdAt: minutesAgo(90))
            try market.delete(deleted, at: minutesAgo(89))
            let takenNotYetDue = try market.addOrder(7, client: client, createdAt: minutesAgo(10))
            try market.take(takenNotYetDue, by: e1, at: minutesAgo(5))
            // Expiry (now-10) came before the no-response moment (now-5): expired, no refund.
            let expiredFirst = try market.addOrder(8, client: client, createdAt: minutesAgo(70))
            try market.take(expiredFirst, by: e4, at: minutesAgo(20))
            // No-response moment and expiry coincide (now-10): the refund wins.
            let tie = try market.addOrder(9, client: client, createdAt: minutesAgo(70))
            let tieTake = try market.take(tie, by: e3, at: minutesAgo(25))
            let closedByClient = try market.addOrder(10, client: client, createdAt: minutesAgo(50))
            try market.take(closedByClient, by: e4, at: minutesAgo(40))
            try market.finish(closedByClient, as: .closedNoResponse, at: minutesAgo(39))
            let dueExactlyNow = try market.addOrder(11, client: client, createdAt: minutesAgo(60))
            let dueInAMicrosecond = try market.addOrder(
                12, client: client, createdAt: Instant(microseconds: minutesAgo(60).microseconds + 1))

            let first = try OrderCloser(batchSize: 4).run(db, now: now)
            #expect(first.expired == 4)
            #expect(first.closed == 2)
            #expect(first.refunds == 3)
            #expect(first.batches == 3, "6 due orders in batches of 4: 4, 2, then an empty one")

            let expected: [(String, String)] = [
                (fresh, "active"), (expiring, "expired"), (unanswered, "closed_no_response"),
                (respondedThenExpired, "expired"), (completed, "completed"), (deleted, "deleted"),
                (takenNotYetDue, "active"), (expiredFirst, "expired"), (tie, "closed_no_response"),
                (closedByClient, "closed_no_response"), (dueExactlyNow, "expired"), (dueInAMicrosecond, "active"),
            ]
            for (order, status) in expected {
                #expect(try db.storedStatus(of: order) == status, "order \(order)")
            }
            let settled = [expiring, unanswered, respondedThenExpired, expiredFirst, tie, dueExactlyNow]
            #expect(
                try db.integer(
                    "SELECT count(*) FROM orders WHERE id = ANY ($1::text[]) AND finished_at = due_at",
                    [settled]) == 6, "a settled order finishes at its due moment")

            // One refund per paying executor of the unanswered orders, nothing else.
            #expect(try db.integer("SELECT count(*) FROM balance_transactions WHERE type = 'refund'") == 3)
            #expect(try db.refundsNotMatchingTheirTake() == 0)
            let refundedTakes = try db.execute(
                sql: """
                    SELECT take_id FROM balance_transactions WHERE type = 'refund' AND amount = 2 ORDER BY take_id
                    """)
            #expect((0..<refundedTakes.rowCount).map { refundedTakes.int($0, 0) } == (unansweredTakes + [tieTake]).sorted())
            #expect(try db.ledgerMismatches() == 0)
            #expect(try db.balance(of: e1) == 96, "3 takes, 1 refund")
            #expect(try db.balance(of: e2) == 100, "1 take, refunded")
            #expect(try db.balance(of: e3) == 98, "2 takes, the tie refunded")
            #expect(try db.balance(of: e4) == 96, "2 takes: expired first, closed by the client")

            let second = try OrderCloser(batchSize: 4).run(db, now: now)
            #expect(second.expired == 0 && second.closed == 0 && second.refunds == 0)
            #expect(second.batches == 1)
            #expect(try db.integer("SELECT count(*) FROM balance_transactions WHERE type = 'refund'") == 3)
        }
    }

    @Test func aBacklogLargerThanOneBatchIsSettledInOneRun() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            try market.addUser(client)
            try market.addFundedUsers(executors, amount: 100)
            for number in 1...25 {
                let order = try market.addOrder(number, client: client, createdAt: now.adding(minutes: -30))
                if number.isMultiple(of: 5) { try market.take(order, by: executors[number % 4], at: now.adding(minutes: -25)) }
            }

            let summary = try OrderCloser(batchSize: 10).run(db, now: now)
            #expect(summary.expired == 0, "not yet an hour old")
            #expect(summary.closed == 5)
            #expect(summary.refunds == 5)
            #expect(summary.batches == 2, "5 due orders fit one batch of 10, then an empty one")

            let later = try OrderCloser(batchSize: 10).run(db, now: now.adding(minutes: 31))
            #expect(later.expired == 20)
            #expect(later.closed == 0)
            #expect(later.batches == 3, "20 orders in batches of 10, then an empty one")
            #expect(try db.integer("SELECT count(*) FROM orders WHERE status = 'active'") == 0)
            #expect(try db.ledgerMismatches() == 0)
        }
    }

    @Test func ordersDueOnlyAfterNowAreLeftAlone() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            try market.addUser(client)
            try market.addFundedUsers(executors, amount: 100)
            let order = try market.addOrder(1, client: client, createdAt: now.adding(minutes: -10))
            try market.take(order, by: executors[0], at: now.adding(minutes: -5))

            let early = try OrderCloser().run(db, now: now.adding(minutes: 10).adding(seconds: -1))
            #expect(early.closed == 0 && early.expired == 0)
            #expect(try db.storedStatus(of: order) == "active")

            let due = try OrderCloser().run(db, now: now.adding(minutes: 10))
            #expect(due.closed == 1 && due.refunds == 1)
            #expect(try db.storedStatus(of: order) == "closed_no_response")
            #expect(try db.balance(of: executors[0]) == 100)
        }
    }
}
