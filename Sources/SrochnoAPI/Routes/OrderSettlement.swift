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
        let locked: PostgresResult? = if !OrderID.isWellFormed(orderID) {
            nil
        } else if let caller {
            try db.execute(OrderQueries.lockByIDForViewer, [orderID] + caller.userParameters)
        } else {
            try db.execute(OrderQueries.lockByID, [orderID])
        }
        if let caller, locked?.rowCount != 1 || locked?.bool(0, OrderRow.columnCount) != true {
            try storeUser(caller)
        }
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
}
