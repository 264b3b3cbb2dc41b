import SrochnoCore
import SrochnoPostgres
import SrochnoTelegramAuth

extension API {
    /// Locks an order and applies its due transition, if any, inside the caller's
    /// transaction, so every write decides on the order as it stands now. Returns nil when
    /// there is no such order.
    ///
    /// With a `caller`, its users row is checked in the locking statement and stored when it
    /// is missing or stale, inside the transaction (instead of a round trip before it).
    func lockAndSettle(_ db: PostgresConnection, orderID: String, now: Instant, caller: TelegramUser? = nil) throws -> OrderRow? {
        let locked = try readOrder(db, orderID, OrderQueries.lockByID, OrderQueries.lockByIDForViewer, caller: caller)
        guard let locked, locked.rowCount == 1 else { return nil }
        var order = OrderRow(locked, row: 0)
        // After waiting for the lock, the row itself is re-read at its newest version, but the
        // takes subquery still sees the statement's older snapshot: a take committed while we
        // waited shows in take_count only. Read again, now under the lock, so that a repeat
        // take by the same executor is recognised (takes are never removed, so equal counts
        // mean the list is complete).
        if order.takes.count != order.takeCount {
            order = OrderRow(try db.execute(OrderQueries.byID, [orderID]), row: 0)
        }
        guard order.timeline.storedStatus == .active, order.timeline.dueAt <= now else { return order }
        try db.execute(OrderQueries.settle, [[orderID], now])
        return OrderRow(try db.execute(OrderQueries.byID, [orderID]), row: 0)
    }

    /// Order `orderID` by `plain`, or for a signed-in `caller` by `forViewer` (the same
    /// columns, then the check of the caller's users row; parameters $2–$6), storing that row
    /// when the check asks for it. Nil for an id no order can have.
    func readOrder(_ db: PostgresConnection, _ orderID: String, _ plain: PreparedStatement, _ forViewer: PreparedStatement,
                   caller: TelegramUser?) throws -> PostgresResult? {
        let rows: PostgresResult? = if !OrderID.isWellFormed(orderID) {
            nil
        } else if let caller {
            try db.execute(forViewer, [orderID] + caller.userParameters)
        } else {
            try db.execute(plain, [orderID])
        }
        if let caller { try storeUser(caller, unlessCurrentIn: rows, column: OrderRow.columnCount) }
        return rows
    }
}
