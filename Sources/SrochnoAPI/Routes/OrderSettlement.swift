import SrochnoCore
import SrochnoPostgres

extension API {
    /// Locks an order and applies its due transition, if any, inside the caller's
    /// transaction, so every write decides on the order as it stands now. Returns nil when
    /// there is no such order.
    func lockAndSettle(_ db: PostgresConnection, orderID: String, now: Instant) throws -> OrderRow? {
        guard OrderID.isWellFormed(orderID) else { return nil }
        let locked = try db.execute(OrderQueries.lockByID, [orderID])
        guard locked.rowCount == 1 else { return nil }
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
