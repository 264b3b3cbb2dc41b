import SrochnoCore
import SrochnoPostgres

/// SQL for `order_counts`, the trigger-kept number of orders per stored status, category and
/// city (sql/0006_list_read_costs.sql).
enum OrderCountQueries {
    /// The number of orders stored with `status`, optionally of one category and city
    /// (`category` and `city` are parameter references such as `$4::text`).
    static func stored(_ status: OrderStatus, category: String?, city: String?) -> String {
        let filter = ["c.status = '\(status.rawValue)'"]
            + [category.map { "c.category = \($0)" }, city.map { "c.city = \($0)" }].compactMap { $0 }
        return "(SELECT COALESCE(sum(c.orders), 0) FROM order_counts c WHERE \(filter.joined(separator: " AND ")))"
    }

    /// Drops counters that reached zero (an order moved away from that status, category or
    /// city), so sums read only the keys in use. Run by the closer after its batches.
    static let pruneEmpty = PreparedStatement("order_counts_prune", """
        DELETE FROM order_counts WHERE orders = 0
        """)
}
