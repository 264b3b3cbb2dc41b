@testable import SrochnoAPI
import SrochnoCore
import SrochnoPostgres

/// Arranges users, money, orders and takes directly in a scratch database, with the API's own
/// statements and at explicit moments, so a test controls time through the `now` it passes.
/// Money only ever enters through 'recharge' ledger rows; the ledger trigger moves balances.
struct Market {
    let db: PostgresConnection

    init(_ db: PostgresConnection) {
        self.db = db
    }

    /// A 12-character order id and a unique phone contact for order number `number`.
    static func orderID(_ number: Int) -> String { "order" + padded(number, 7) }
    static func contact(_ number: Int) -> String { "+79" + padded(number, 9) }

    func addUser(_ id: Int64) throws {
        try db.execute(sql: "INSERT INTO users (id, first_name) VALUES ($1::bigint, 'Тест')", [id])
    }

    func recharge(_ user: Int64, _ amount: Int) throws {
        try db.execute(BalanceQueries.recharge, [user, amount, "Test recharge"])
    }

    /// Users `ids`, each recharged with `amount`.
    func addFundedUsers(_ ids: some Sequence<Int64>, amount: Int) throws {
        for id in ids {
            try addUser(id)
            try recharge(id, amount)
        }
    }

    /// Order number `number` by `client`, created at `createdAt` (with its own contact unless
    /// one is given); returns its id.
    @discardableResult
    func addOrder(_ number: Int, client: Int64, createdAt: Instant, contact: String? = nil, lifetimeMinutes: Int = 60,
                  noResponseMinutes: Int = 15, maxExecutors: Int = 3,
                  category: String = "Сантехника", city: String = "Москва") throws -> String {
        let id = Self.orderID(number)
        try db.execute(OrderQueries.insert, [
            id, client, category, "Срочно нужен мастер, течёт труба под раковиной", city,
            contact ?? Self.contact(number), createdAt, lifetimeMinutes, noResponseMinutes, maxExecutors,
            Int32.max,  // no limit of active orders per client: markets place many for one client
        ])
        return id
    }

    /// A take as the API writes it: the take row and its 'order_take' charge in one statement.
    /// Returns the take id.
    @discardableResult
    func take(_ order: String, by executor: Int64, at moment: Instant, paying amount: Int = 2) throws -> Int64 {
        try db.execute(OrderQueries.takeAndCharge, [order, executor, amount, moment]).int(0, 1) ?? 0
    }

    func respond(_ order: String, at moment: Instant) throws {
        try db.execute(OrderQueries.markResponded, [order, moment])
    }

    /// A client-initiated end: `.completed` or `.closedNoResponse` (no refunds).
    func finish(_ order: String, as status: OrderStatus, at moment: Instant) throws {
        try db.execute(OrderQueries.finish, [order, status.rawValue, moment])
    }

    func delete(_ order: String, at moment: Instant) throws {
        try db.execute(OrderQueries.markDeleted, [order, moment])
    }
}

private func padded(_ number: Int, _ width: Int) -> String {
    let digits = String(number)
    precondition(digits.count <= width, "order number \(number) too large")
    return String(repeating: "0", count: width - digits.count) + digits
}

extension ScratchDatabase {
    /// A scratch database with a `Market` on one session, `client` and the `executors` (each
    /// given `funds`) already there.
    static func withMarket<T>(client: Int64, executors: [Int64], funds: Int = 100,
                              _ body: (ScratchDatabase, PostgresConnection, Market) throws -> T) throws -> T {
        try with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            try market.addUser(client)
            try market.addFundedUsers(executors, amount: funds)
            return try body(scratch, db, market)
        }
    }
}
