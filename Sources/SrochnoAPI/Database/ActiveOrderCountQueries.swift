import SrochnoPostgres

/// SQL for `active_order_counts`, the trigger-kept number of orders stored as 'active' per
/// category and city (sql/0006_list_read_costs.sql).
enum ActiveOrderCountQueries {
    /// The exact number of effectively active orders, optionally of one category and city
    /// (`category` and `city` are parameter references such as `$4::text`; `now` likewise):
    /// the stored-active count minus the stored-active rows that are already due. The closer
    /// settles due rows every minute, so the second part reads a few index entries.
    static func effectivelyActiveTotal(now: String, category: String?, city: String?) -> String {
        let counterFilter = [category.map { "c.category = \($0)" }, city.map { "c.city = \($0)" }].compactMap { $0 }
        let dueFilter = ["o.status = 'active'", "o.due_at <= \(now)"]
            + [category.map { "o.category = \($0)" }, city.map { "o.city = \($0)" }].compactMap { $0 }
        let counterWhere = counterFilter.isEmpty ? "" : " WHERE " + counterFilter.joined(separator: " AND ")
        return """
            ((SELECT COALESCE(sum(c.active), 0) FROM active_order_counts c\(counterWhere))
               - (SELECT count(*) FROM orders o WHERE \(dueFilter.joined(separator: " AND "))))
            """
    }

    /// Drops the counters of categories and cities without active orders, so the unfiltered
    /// total sums only the places that have some. Run by the closer after its batches.
    static let pruneEmpty = PreparedStatement("active_order_counts_prune", """
        DELETE FROM active_order_counts WHERE active = 0
        """)
}
