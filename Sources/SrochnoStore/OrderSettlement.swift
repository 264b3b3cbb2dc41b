import SrochnoCore
import SrochnoPostgres

extension Store {
    /// The order `orderID`, read plainly or under a write lock, with a signed-in `viewer`'s
    /// users row checked in the same statement and stored when the check asks for it (also
    /// when there is no such order, which checked nothing). Nil for an unknown id or one no
    /// order can have.
    func readOrder(_ db: PostgresConnection, _ orderID: String, lock: Bool, viewer: TelegramProfile?) throws -> OrderRecord? {
        let found =
            OrderID.isWellFormed(orderID)
            ? try db.queryFirst(OrderByID(orderID: orderID, lock: lock, viewer: viewer)) : nil
        if let viewer { try syncUser(viewer, unlessCurrent: found?.viewerCurrent) }
        return found?.order
    }

    /// Locks an order and applies its due transition, if any, inside the caller's transaction,
    /// so every write decides on the order as it stands now. Nil when there is no such order.
    /// With a `caller`, its users row is checked in the locking statement and stored when it is
    /// missing or stale, inside the transaction (instead of a round trip before it).
    func lockAndSettle(_ db: PostgresConnection, orderID: String, now: Instant, caller: TelegramProfile? = nil) throws -> OrderRecord? {
        guard var order = try readOrder(db, orderID, lock: true, viewer: caller) else { return nil }
        // After waiting for the lock, the row itself is re-read at its newest version, but the
        // takes subquery still sees the statement's older snapshot: a take committed while we
        // waited shows in take_count only. Read again, now under the lock, so that a repeat
        // take by the same executor is recognised (takes are never removed, so equal counts
        // mean the list is complete).
        if order.takes.count != order.takeCount {
            order = try db.queryOne(OrderByID(orderID: orderID)).order
        }
        guard order.timeline.storedStatus == .active, order.timeline.dueAt <= now else { return order }
        _ = try db.queryOne(SettleOrders(orderIDs: [orderID], now: now))
        return try db.queryOne(OrderByID(orderID: orderID)).order
    }

    /// nil while `order` is effectively active at `now`, else why a write must stop.
    func refusalUnlessActive(_ order: OrderRecord, _ now: Instant) -> OrderRefusal? {
        switch order.timeline.effectiveStatus(at: now) {
        case .active: nil
        case .expired: .expired
        default: .noLongerActive
        }
    }
}
