import SrochnoCore
import SrochnoPostgres

/// Who a list is about: everyone's orders, mine as client, or the ones I took.
public enum OrderListScope: String, CaseIterable, Sendable {
    case everyone, mine, takenByMe
}

/// The shape of one `GET /api/orders` query. Each shape is its own prepared statement, so
/// every plan is specific enough to use the partial indexes; the SQL is assembled from
/// fixed fragments chosen by the shape, and every value is a bound parameter.
struct OrderListShape: Hashable, Sendable {
    var status: OrderStatus
    var byCategory: Bool
    var byCity: Bool
    var scope: OrderListScope
    /// Whether a signed-in caller's users row is checked in the same statement (see
    /// `UsersRowCheck`): its id and Telegram fields come last among the parameters.
    var checksViewer = false

    var statementName: String {
        "orders_list_\(status.rawValue)_\(byCategory ? "c" : "")\(byCity ? "t" : "")_\(scope.rawValue)\(checksViewer ? "_v" : "")"
    }

    /// Columns after the orders' own: the total, then (with `checksViewer`) whether the
    /// viewer's users row is current. Both are on the first row, which exists even for an
    /// empty page (its order columns are then NULL).
    static let totalColumn = OrderRecord.columnCount
    static let viewerCurrentColumn = OrderRecord.columnCount + 1

    /// Everyone's expired or completed orders: the whole history, where the best plan depends
    /// on `now` and the page (at 300,000 orders the generic plan of the expired list took
    /// 530 ms, the custom one 80 ms). Every other shape is served well by its generic plan.
    var needsCustomPlan: Bool { scope == .everyone && status != .active }

    /// The largest `limit` a list request may ask for.
    static let maximumLimit = Int(Bounds.orderListLimit.range.upperBound)

    /// The number of orders stored with `status` in `order_counts`, the trigger-kept number of
    /// orders per stored status, category and city (sql/0006_list_read_costs.sql), optionally
    /// of one category and city (`category` and `city` are parameter references such as
    /// `$4::text`).
    static func storedCount(_ status: OrderStatus, category: String?, city: String?) -> String {
        let filter =
            ["c.status = '\(status.rawValue)'"]
            + [category.map { "c.category = \($0)" }, city.map { "c.city = \($0)" }].compactMap { $0 }
        return "(SELECT COALESCE(sum(c.orders), 0) FROM order_counts c WHERE \(filter.joined(separator: " AND ")))"
    }

    /// Parameters in order: now, limit, offset, then category, city and user id when used,
    /// then the viewer's id and Telegram fields when checked.
    func statement() -> PreparedStatement {
        var next = 3
        func parameter(_ cast: String) -> String {
            next += 1
            return "$\(next)::\(cast)"
        }
        let category = byCategory ? parameter("text") : nil
        let city = byCity ? parameter("text") : nil
        var conditions: [String] = []
        if let category { conditions.append("o.category = \(category)") }
        if let city { conditions.append("o.city = \(city)") }
        switch scope {
        case .everyone: break
        case .mine: conditions.append("o.client_id = \(parameter("bigint"))")
        case .takenByMe:
            // The takes first (an array), then their orders by primary key.
            conditions.append("o.id = ANY (ARRAY(SELECT t.order_id FROM executor_takes t WHERE t.executor_id = \(parameter("bigint"))))")
        }
        // The time test of `active` is written so that no index on `due_at` can serve it.
        // PostgreSQL estimates `due_at > now` as a handful of rows (every due_at lies beyond its
        // statistics), and with that estimate it would walk the due_at index, reading every
        // active order instead of the newest 50 or the few that match the other conditions.
        let filter = ([Self.effectiveStatusCondition(status)] + conditions).joined(separator: " AND ")
        let matching = conditions.map { " AND " + $0 }.joined()
        var pageKeys = """
            SELECT o.id
              FROM orders o
             WHERE \(filter)
             ORDER BY o.created_at DESC, o.id DESC
             LIMIT $2::bigint OFFSET $3::bigint
            """
        let total: String
        if scope != .everyone {
            // One user's orders or takes: few enough to count.
            total = "(SELECT count(*) FROM orders o WHERE \(filter))"
        } else {
            // Everyone's orders are counted from the trigger-kept counters, corrected by the
            // stored-active rows that are due (they show as expired or closed already).
            let stored = Self.storedCount(status, category: category, city: city)
            let due = "o.status = 'active' AND o.due_at <= $1::timestamptz"
            if status == .active {
                total = "(\(stored) - (SELECT count(*) FROM orders o WHERE \(due)\(matching)))"
            } else if let shownAs = Self.dueRowsShownAs(status) {
                let lazy = "\(due) AND \(shownAs)\(matching)"
                total = "(\(stored) + (SELECT count(*) FROM orders o WHERE \(lazy)))"
                // The newest of the stored rows and the newest of the due ones, merged: each
                // part walks its own index instead of the planner sorting the whole history.
                pageKeys = """
                    SELECT id FROM (
                        (SELECT o.id, o.created_at FROM orders o WHERE o.status = '\(status.rawValue)'\(matching)
                          ORDER BY o.created_at DESC, o.id DESC LIMIT $2::bigint + $3::bigint)
                        UNION ALL
                        (SELECT o.id, o.created_at FROM orders o WHERE \(lazy)
                          ORDER BY o.created_at DESC, o.id DESC LIMIT $2::bigint + $3::bigint)
                    ) AS newest
                     ORDER BY created_at DESC, id DESC
                     LIMIT $2::bigint OFFSET $3::bigint
                    """
            } else {
                total = stored
            }
        }
        return assembled(pageKeys: pageKeys, total: total, next: next)
    }

    /// The statement around a page's keys: the rows read by primary key, their takes and
    /// reviews, the total, and the viewer check whose parameters follow parameter `next`.
    private func assembled(pageKeys: String, total: String, next: Int) -> PreparedStatement {
        let viewerCurrent = checksViewer ? ", \(UsersRowCheck.sql(id: next + 1, fields: next + 2)) AS viewer_current" : ""
        // The page is chosen by key alone (for active orders an index-only walk of the
        // newest-first indexes, see sql/0006), then its rows are read by primary key and only
        // their takes and reviews are looked up. Were the row columns and lookups part of the
        // choice, the planner would cost them for every row it might walk and, as its estimate
        // of not-yet-due orders is low, prefer sorting all active orders.
        return PreparedStatement(
            statementName,
            """
            WITH page_keys AS (
            \(pageKeys)
            ), capped_keys AS (
                -- Changes nothing (limit is at most \(Self.maximumLimit)) but tells a generic plan, which
                -- would guess a tenth of all matching rows for LIMIT $2, how small the page is.
                SELECT id FROM page_keys LIMIT \(Self.maximumLimit)
            ), page AS (
                SELECT \(OrderColumns.own)
                  FROM capped_keys k JOIN orders o ON o.id = k.id
            )
            SELECT page.*, \(OrderColumns.related(of: "page")), \(total) AS total\(viewerCurrent)
              FROM (SELECT 1) AS one LEFT JOIN page ON true
             ORDER BY page.created_us DESC, page.id DESC
            """)
    }

    /// Stored-active rows that are due show as expired or closed_no_response, whichever of
    /// their moments came first: the condition (on `o`) that picks those shown as `status`;
    /// nil for the statuses no timer leads to.
    static func dueRowsShownAs(_ status: OrderStatus) -> String? {
        switch status {
        case .expired: "NOT \(noResponseFirst)"
        case .closedNoResponse: noResponseFirst
        case .active, .deleted, .completed: nil
        }
    }

    /// The no-response moment ends the order (with refunds) rather than the expiry; a tie
    /// goes to the refund.
    static let noResponseFirst = "(o.no_response_at IS NOT NULL AND o.no_response_at <= o.expires_at)"

    /// SQL twin of `OrderTimeline.effectiveStatus` as a predicate on `o` at `$1`. Stored
    /// 'active' rows that are due are matched by the status they are about to get.
    static func effectiveStatusCondition(_ status: OrderStatus) -> String {
        switch status {
        case .active:
            return "o.status = 'active' AND (o.due_at > $1::timestamptz) IS TRUE"
        case .expired, .closedNoResponse:
            let shownAs = dueRowsShownAs(status) ?? "false"
            return "(o.status = '\(status.rawValue)' OR (o.status = 'active' AND o.due_at <= $1::timestamptz AND \(shownAs)))"
        case .deleted, .completed:
            // No timer leads to these, so `now` plays no part; it is still named (a no-op the
            // planner folds away) because PostgreSQL must infer the type of every parameter.
            return "o.status = '\(status.rawValue)' AND $1::timestamptz IS NOT NULL"
        }
    }
}

/// A page of orders in one shape: the rows (none on an empty page), the total, and for a
/// signed-in viewer whether its users row is current. The first row always exists; on an empty
/// page its order columns are NULL.
struct OrderList: PostgresStatement {
    struct Line {
        let order: OrderRecord?
        let total: Int64
        let viewerCurrent: Bool?
    }

    let prepared: PreparedStatement
    let shape: OrderListShape
    let now: Instant
    let limit: Int64
    let offset: Int64
    let category: String?
    let city: String?
    /// The user whose orders (`mine`) or takes (`takenByMe`) are listed.
    let userID: Int64?
    let viewer: TelegramProfile?

    var bindings: [any PostgresParameter] {
        var values: [any PostgresParameter] = [now, limit, offset]
        if let category { values.append(category) }
        if let city { values.append(city) }
        if shape.scope != .everyone, let userID { values.append(userID) }
        if let viewer { values += [viewer.id] + viewer.fieldBindings }
        return values
    }

    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Line {
        Line(
            order: row.isNull(0) ? nil : try OrderRecord(row),
            total: try row.int(OrderListShape.totalColumn),
            viewerCurrent: viewer == nil ? nil : try row.bool(OrderListShape.viewerCurrentColumn))
    }
}
