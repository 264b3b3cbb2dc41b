@testable import SrochnoStore
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
        _ = try db.queryOne(Recharge(userID: user, amount: Int64(amount), description: "Test recharge"))
    }

    /// Users `ids`, each recharged with `amount`.
    func addFundedUsers(_ ids: some Sequence<Int64>, amount: Int) throws {
        for id in ids {
            try addUser(id)
            try recharge(id, amount)
        }
    }

    /// Order number `number` by `client`, created at `createdAt` (with its own contact unless
    /// one is given); returns its id, or throws when the app's insert refused it.
    @discardableResult
    func addOrder(
        _ number: Int, client: Int64, createdAt: Instant, contact: String? = nil, lifetimeMinutes: Int = 60,
        noResponseMinutes: Int = 15, maxExecutors: Int = 3,
        category: String = "Сантехника", city: String = "Москва"
    ) throws -> String {
        guard
            let id = try tryAddOrder(
                number, client: client, createdAt: createdAt, contact: contact, lifetimeMinutes: lifetimeMinutes,
                noResponseMinutes: noResponseMinutes, maxExecutors: maxExecutors, category: category, city: city)
        else { throw PostgresError(kind: .server, message: "the order insert refused order \(number) (its contact is taken)") }
        return id
    }

    /// The app's order insert: the id, or nil when it refused (the contact has an active order).
    func tryAddOrder(
        _ number: Int, client: Int64, createdAt: Instant, contact: String? = nil, lifetimeMinutes: Int = 60,
        noResponseMinutes: Int = 15, maxExecutors: Int = 3,
        category: String = "Сантехника", city: String = "Москва"
    ) throws -> String? {
        let id = Self.orderID(number)
        let order = NewOrder(
            id: id, clientID: client, category: category, description: "Срочно нужен мастер, течёт труба под раковиной",
            city: city, contact: contact ?? Self.contact(number))
        // No limit of active orders per client: markets place many for one client.
        let inserted = try db.queryFirst(
            InsertOrder(
                order: order, now: createdAt, lifetimeMinutes: lifetimeMinutes,
                noResponseMinutes: noResponseMinutes, maxExecutors: maxExecutors,
                maxActiveOrders: Int(Int32.max)))
        return inserted == nil ? nil : id
    }

    /// A plain INSERT without the app's checks, for testing what the schema itself refuses.
    func insertOrderUnchecked(_ number: Int, client: Int64, createdAt: Instant, contact: String) throws {
        try db.execute(
            sql: """
                INSERT INTO orders (id, client_id, category, description, city, contact, created_at, lifetime_minutes,
                                    expires_at, no_response_minutes, max_executors, due_at)
                VALUES ($1, $2::bigint, 'Сантехника', 'Срочно нужен мастер, течёт труба под раковиной', 'Москва', $3,
                        $4::timestamptz, 60, $4::timestamptz + interval '60 minutes', 15, 3, $4::timestamptz + interval '60 minutes')
                """, [Self.orderID(number), client, contact, createdAt])
    }

    /// A take as the API writes it: the take row and its 'order_take' charge in one statement.
    /// Returns the take id.
    @discardableResult
    func take(_ order: String, by executor: Int64, at moment: Instant, paying amount: Int = 2) throws -> Int64 {
        guard let take = try tryTake(order, by: executor, at: moment, paying: amount) else {
            throw PostgresError(kind: .server, message: "the take refused: \(executor)'s balance does not cover it")
        }
        return take
    }

    /// The app's take: the take id, or nil when the balance does not cover it.
    func tryTake(_ order: String, by executor: Int64, at moment: Instant, paying amount: Int = 2) throws -> Int64? {
        try db.queryFirst(TakeAndCharge(orderID: order, executorID: executor, amount: Int64(amount), now: moment))?.takeID
    }

    func respond(_ order: String, at moment: Instant) throws {
        try db.run(MarkResponded(orderID: order, now: moment))
    }

    /// A client-initiated end: `.completed` or `.closedNoResponse` (no refunds).
    func finish(_ order: String, as status: OrderStatus, at moment: Instant) throws {
        try db.run(FinishOrder(orderID: order, status: status, now: moment))
    }

    func delete(_ order: String, at moment: Instant) throws {
        try db.run(MarkDeleted(orderID: order, now: moment))
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
    static func withMarket<T>(
        client: Int64, executors: [Int64], funds: Int = 100,
        _ body: (ScratchDatabase, PostgresConnection, Market) throws -> T
    ) throws -> T {
        try with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            try market.addUser(client)
            try market.addFundedUsers(executors, amount: funds)
            return try body(scratch, db, market)
        }
    }
}
