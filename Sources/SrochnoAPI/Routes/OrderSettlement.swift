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
        let order = OrderRow(locked, row: 0)
        guard order.timeline.storedStatus == .active, order.timeline.dueAt <= now else { return order }
        try db.execute(OrderQueries.settle, [[orderID], now])
        return OrderRow(try db.execute(OrderQueries.byID, [orderID]), row: 0)
    }
}
