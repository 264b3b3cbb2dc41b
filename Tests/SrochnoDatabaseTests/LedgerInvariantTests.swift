import SrochnoCore
import SrochnoPostgres
import Testing

/// The database itself keeps balance = sum of the ledger and never below zero, whatever SQL a
/// buggy code path sends.
@Suite struct LedgerInvariantTests {
    let now = Instant(seconds: 1_900_000_000)
    let user: Int64 = 5001

    @Test func aBalanceChangesOnlyThroughTheLedger() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            try market.addUser(user)
            try market.recharge(user, 10)
            try market.recharge(user, 5)
            let afters = try db.execute(
                sql: "SELECT balance_after FROM balance_transactions WHERE user_id = $1::bigint ORDER BY id", [user])
            #expect((0..<afters.rowCount).map { afters.int($0, 0) } == [10, 15])

            let direct = #expect(throws: PostgresError.self) {
                try db.execute(sql: "UPDATE users SET balance = 1000 WHERE id = $1::bigint", [user])
            }
            #expect(direct?.isCheckViolation == true)
            #expect(try db.balance(of: user) == 15)

            // Other columns stay writable.
            try db.execute(sql: "UPDATE users SET first_name = 'Другое имя' WHERE id = $1::bigint", [user])
            #expect(try db.balance(of: user) == 15)

            let rich = #expect(throws: PostgresError.self) {
                try db.execute(sql: "INSERT INTO users (id, balance) VALUES (5002, 500)")
            }
            #expect(rich?.isCheckViolation == true)
            #expect(try db.integer("SELECT count(*) FROM users WHERE id = 5002") == 0)
            #expect(try db.ledgerMismatches() == 0)
        }
    }

    @Test func ledgerRowsCannotBeUpdatedOrDeleted() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            try market.addUser(user)
            try market.recharge(user, 10)

            let updated = #expect(throws: PostgresError.self) {
                try db.execute(sql: "UPDATE balance_transactions SET amount = 1000 WHERE user_id = $1::bigint", [user])
            }
            #expect(updated?.sqlState == "23000")
            let deleted = #expect(throws: PostgresError.self) {
                try db.execute(sql: "DELETE FROM balance_transactions WHERE user_id = $1::bigint", [user])
            }
            #expect(deleted?.sqlState == "23000")
            #expect(try db.integer("SELECT sum(amount) FROM balance_transactions WHERE user_id = $1::bigint", [user]) == 10)
            #expect(try db.balance(of: user) == 10)
        }
    }

    @Test func anOverdraftIsRefusedAndLeavesNothing() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            try market.addUser(1001)
            try market.addUser(user)
            try market.recharge(user, 1)
            let order = try market.addOrder(1, client: 1001, createdAt: now)

            // The app's take refuses by returning no row (nothing for PostgreSQL to log)...
            #expect(try market.tryTake(order, by: user, at: now.adding(minutes: 1), paying: 2) == nil)
            // ...and the ledger's CHECK refuses a writer that skips the balance check.
            let refused = #expect(throws: PostgresError.self) {
                try db.transaction {
                    try db.execute(
                        sql: """
                            WITH take AS (
                                INSERT INTO executor_takes (order_id, executor_id, amount_paid, taken_at)
                                VALUES ($1, $2::bigint, 2, $3::timestamptz) RETURNING id, order_id, executor_id, amount_paid)
                            INSERT INTO balance_transactions (user_id, type, amount, order_id, take_id, description)
                            SELECT executor_id, 'order_take', -amount_paid, order_id, id, 'Order take' FROM take
                            """, [order, user, now.adding(minutes: 1)])
                }
            }
            #expect(refused?.isCheckViolation == true)
            #expect(refused?.constraint == "users_balance_not_negative")
            #expect(try db.balance(of: user) == 1)
            #expect(try db.integer("SELECT count(*) FROM balance_transactions WHERE user_id = $1::bigint", [user]) == 1)
            #expect(try db.integer("SELECT count(*) FROM executor_takes WHERE order_id = $1", [order]) == 0)
            #expect(try db.integer("SELECT take_count FROM orders WHERE id = $1", [order]) == 0)
            #expect(
                try db.integer(
                    "SELECT count(*) FROM orders WHERE id = $1 AND first_taken_at IS NULL AND no_response_at IS NULL",
                    [order]) == 1)

            // With enough money the same take goes through.
            try market.recharge(user, 1)
            try market.take(order, by: user, at: now.adding(minutes: 1), paying: 2)
            #expect(try db.balance(of: user) == 0)
            #expect(try db.ledgerMismatches() == 0)
        }
    }
}
