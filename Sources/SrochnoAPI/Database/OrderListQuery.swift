import SrochnoCore
import SrochnoPostgres

/// Who a list is about: everyone's orders, mine as client, or the ones I took.
enum OrderListScope: String, Sendable {
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

    var statementName: String {
        "orders_list_\(status.rawValue)_\(byCategory ? "c" : "")\(byCity ? "t" : "")_\(scope.rawValue)"
    }

    /// Parameters in order: now, limit, offset, then category, city and user id when used.
    func statement() -> PreparedStatement {
        var next = 3
        func parameter(_ cast: String) -> String {
            next += 1
            return "$\(next)::\(cast)"
        }
        var conditions: [String] = []
        if byCategory { conditions.append("o.category = \(parameter("text"))") }
        if byCity { conditions.append("o.city = \(parameter("text"))") }
        switch scope {
        case .everyone: break
        case .mine: conditions.append("o.client_id = \(parameter("bigint"))")
        case .takenByMe:
            // The takes first (an array), then their orders by primary key.
            conditions.append("o.id = ANY (ARRAY(SELECT t.order_id FROM executor_takes t WHERE t.executor_id = \(parameter("bigint"))))")
        }
        // Only the unfiltered count should walk the `due_at` index. PostgreSQL estimates
        // `due_at > now` as a handful of rows (every due_at lies beyond its statistics), and
        // with that estimate it would walk the due_at index for pages and filtered counts too,
        // reading every active order instead of the newest 50 or the few that match.
        let pageFilter = ([Self.effectiveStatusCondition(status, indexable: false)] + conditions)
            .joined(separator: " AND ")
        let countFilter = ([Self.effectiveStatusCondition(status, indexable: conditions.isEmpty)] + conditions)
            .joined(separator: " AND ")
        return PreparedStatement(statementName, """
            WITH page AS (
                SELECT \(OrderQueries.columns), o.created_at AS sort_created
                  FROM orders o
                 WHERE \(pageFilter)
                 ORDER BY o.created_at DESC, o.id DESC
                 LIMIT $2::bigint OFFSET $3::bigint
            )
            SELECT page.*, (SELECT count(*) FROM orders o WHERE \(countFilter)) AS total
              FROM (SELECT 1) AS one LEFT JOIN page ON true
             ORDER BY page.sort_created DESC, page.id DESC
            """)
    }

    /// SQL twin of `OrderTimeline.effectiveStatus` as a predicate on `o` at `$1`. Stored
    /// 'active' rows that are due are matched by the status they are about to get.
    /// `indexable: false` writes the time test of `active` so that no index on `due_at` can
    /// serve it; the rows then come from the index that matches the other conditions.
    static func effectiveStatusCondition(_ status: OrderStatus, indexable: Bool = true) -> String {
        let noResponseFirst = "(o.no_response_at IS NOT NULL AND o.no_response_at <= o.expires_at)"
        switch status {
        case .active:
            return indexable
                ? "o.status = 'active' AND o.due_at > $1::timestamptz"
                : "o.status = 'active' AND (o.due_at > $1::timestamptz) IS TRUE"
        case .expired:
            return "(o.status = 'expired' OR (o.status = 'active' AND o.due_at <= $1::timestamptz AND NOT \(noResponseFirst)))"
        case .closedNoResponse:
            return "(o.status = 'closed_no_response' OR (o.status = 'active' AND o.due_at <= $1::timestamptz AND \(noResponseFirst)))"
        case .deleted, .completed:
            // No timer leads to these, so `now` plays no part; it is still named (a no-op the
            // planner folds away) because PostgreSQL must infer the type of every parameter.
            return "o.status = '\(status.rawValue)' AND $1::timestamptz IS NOT NULL"
        }
    }
}
