public import SrochnoCore
import SrochnoPostgres

/// One `GET /api/orders` request as the store sees it.
public struct OrderListQuery: Sendable {
    public var status: OrderStatus
    public var category: String?
    public var city: String?
    public var limit: Int64
    public var offset: Int64
    public var scope: OrderListScope

    public init(status: OrderStatus, category: String?, city: String?, limit: Int64, offset: Int64, scope: OrderListScope) {
        self.status = status
        self.category = category
        self.city = city
        self.limit = limit
        self.offset = offset
        self.scope = scope
    }
}

extension Store {
    /// A page of orders, newest first, and the total matching. `viewer` is the signed-in
    /// caller if any (its users row is checked in the same statement); `mine` and `takenByMe`
    /// list the viewer's own orders or takes.
    public func listOrders(_ query: OrderListQuery, viewer: TelegramProfile?, now: Instant) throws -> (orders: [OrderRecord], total: Int64)
    {
        let shape = OrderListShape(
            status: query.status, byCategory: query.category != nil, byCity: query.city != nil,
            scope: query.scope, checksViewer: viewer != nil)
        let statement = OrderList(
            prepared: shapedStatement(named: shape.statementName, shape.statement), shape: shape, now: now,
            limit: query.limit, offset: query.offset, category: query.category, city: query.city,
            userID: viewer?.id, viewer: viewer)
        let db = try database()
        let lines =
            shape.needsCustomPlan
            ? try withCustomPlans(db) { try db.query(statement) }
            : try db.query(statement)
        if let viewer { try syncUser(viewer, unlessCurrent: lines.first?.viewerCurrent) }
        return (lines.compactMap(\.order), lines.first?.total ?? 0)
    }
}
