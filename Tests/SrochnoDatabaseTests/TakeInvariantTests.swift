@testable import SrochnoStore
import SrochnoCore
import SrochnoPostgres
import Testing

/// Take limits, one take per executor, one charge and one refund per take, and one active
/// order per contact are enforced by the database, not only by the handlers.
@Suite struct TakeInvariantTests {
    let now = Instant(seconds: 1_900_000_000)
    let client: Int64 = 1001
    let executors: [Int64] = [6001, 6002, 6003, 6004]

    private func withMarket(_ body: (PostgresConnection, Market) throws -> Void) throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            try market.addUser(client)
            try market.addFundedUsers(executors, amount: 10)
            try body(db, market)
        }
    }

    @Test func aFourthTakeIsRefused() throws {
        try withMarket { db, market in
            let order = try market.addOrder(1, client: client, createdAt: now, maxExecutors: 3)
            for executor in executors.prefix(3) { try market.take(order, by: executor, at: now.adding(minutes: 1)) }

            let refused = #expect(throws: PostgresError.self) {
                try market.take(order, by: executors[3], at: now.adding(minutes: 2))
            }
            #expect(refused?.constraint == "orders_take_limit")
            #expect(try db.integer("SELECT take_count FROM orders WHERE id = $1", [order]) == 3)
            #expect(try db.integer("SELECT count(*) FROM executor_takes WHERE order_id = $1", [order]) == 3)
            #expect(try db.balance(of: executors[3]) == 10, "the refused take charged nothing")
        }
    }

    @Test func anExecutorTakesAnOrderOnce() throws {
        try withMarket { db, market in
            let order = try market.addOrder(1, client: client, createdAt: now)
            try market.take(order, by: executors[0], at: now.adding(minutes: 1))

            let refused = #expect(throws: PostgresError.self) {
                try market.take(order, by: executors[0], at: now.adding(minutes: 2))
            }
            #expect(refused?.isUniqueViolation == true)
            #expect(refused?.constraint == "executor_takes_once")
            #expect(try db.integer("SELECT take_count FROM orders WHERE id = $1", [order]) == 1)
            #expect(try db.balance(of: executors[0]) == 8, "charged once")
        }
    }

    @Test func aTakeIsChargedOnceAndRefundedOnce() throws {
        try withMarket { db, market in
            let order = try market.addOrder(1, client: client, createdAt: now)
            let take = try market.take(order, by: executors[0], at: now.adding(minutes: 1))

            let charged = #expect(throws: PostgresError.self) {
                try db.execute(
                    sql: """
                        INSERT INTO balance_transactions (user_id, type, amount, order_id, take_id, description)
                        VALUES ($1::bigint, 'order_take', -2, $2, $3::bigint, 'Order take')
                        """, [executors[0], order, take])
            }
            #expect(charged?.constraint == "balance_transactions_one_charge_per_take")

            let refund = """
                INSERT INTO balance_transactions (user_id, type, amount, order_id, take_id, description)
                VALUES ($1::bigint, 'refund', 2, $2, $3::bigint, 'Refund')
                """
            try db.execute(sql: refund, [executors[0], order, take])
            let refunded = #expect(throws: PostgresError.self) {
                try db.execute(sql: refund, [executors[0], order, take])
            }
            #expect(refunded?.constraint == "balance_transactions_one_refund_per_take")
            #expect(try db.balance(of: executors[0]) == 10)
            #expect(try db.ledgerMismatches() == 0)
        }
    }

    @Test func takesCannotBeRewrittenOrRemoved() throws {
        try withMarket { db, market in
            let order = try market.addOrder(1, client: client, createdAt: now)
            try market.take(order, by: executors[0], at: now.adding(minutes: 1))

            let cheaper = #expect(throws: PostgresError.self) {
                try db.execute(sql: "UPDATE executor_takes SET amount_paid = 1 WHERE order_id = $1", [order])
            }
            #expect(cheaper?.sqlState == "23000")
            let removed = #expect(throws: PostgresError.self) {
                try db.execute(sql: "DELETE FROM executor_takes WHERE order_id = $1", [order])
            }
            #expect(removed?.sqlState == "23000")
            #expect(try db.integer("SELECT count(*) FROM executor_takes WHERE order_id = $1 AND amount_paid = 2", [order]) == 1)
        }
    }

    @Test func aContactHasOneActiveOrder() throws {
        try withMarket { db, market in
            let contact = "+79990001122"
            let first = try market.addOrder(1, client: client, createdAt: now, contact: contact)

            // The app's insert refuses by returning no row (nothing for PostgreSQL to log)...
            #expect(try market.tryAddOrder(2, client: client, createdAt: now.adding(minutes: 1), contact: contact) == nil)
            // ...and the unique index refuses any writer that skips that check.
            let refused = #expect(throws: PostgresError.self) {
                try market.insertOrderUnchecked(4, client: client, createdAt: now.adding(minutes: 1), contact: contact)
            }
            #expect(refused?.constraint == "orders_one_active_per_contact")

            // Once the first order is no longer stored active, the contact is free again.
            try market.delete(first, at: now.adding(minutes: 2))
            try market.addOrder(3, client: client, createdAt: now.adding(minutes: 3), contact: contact)
            #expect(try db.integer("SELECT count(*) FROM orders WHERE contact = $1", [contact]) == 2)
        }
    }

    /// Telegram usernames ignore case, and so does the one-active-order rule.
    @Test func usernamesDifferingInCaseAreOneContact() throws {
        try withMarket { db, market in
            try market.addOrder(1, client: client, createdAt: now, contact: "@Ivan_Petrov")
            #expect(try market.tryAddOrder(2, client: client, createdAt: now, contact: "@ivan_petrov") == nil)
            let refused = #expect(throws: PostgresError.self) {
                try market.insertOrderUnchecked(3, client: client, createdAt: now, contact: "@IVAN_PETROV")
            }
            #expect(refused?.constraint == "orders_one_active_per_contact")
            #expect(try db.integer("SELECT count(*) FROM orders WHERE lower(contact) = '@ivan_petrov'") == 1)
        }
    }
}
