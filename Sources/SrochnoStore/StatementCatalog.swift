import SrochnoCore
import SrochnoPostgres

/// The SQL of a few prepared statements by name, for tools outside the request path:
/// `srochno-fcgi --print-sql NAME` prints it so `scripts/bench` can run the very same query
/// through `pgbench` as a database-only anchor, and anyone can EXPLAIN exactly what the
/// workers run. Nothing here is reachable over HTTP.
public enum StatementCatalog {
    /// The names `sql(named:)` knows, in the order `--print-sql` lists them.
    public static let names = ["orders-default-list", "orders-filtered-list", "orders-mine-list", "orders-taken-list"]

    /// The statement text with its `$n` parameters, or nil for an unknown name. Besides the
    /// names above, any name of `preparedNames` works.
    public static func sql(named name: String) -> String? {
        switch name {
        case "orders-default-list":
            // GET /api/orders with no filters: parameters now, limit, offset.
            return OrderListShape(status: .active, byCategory: false, byCity: false, scope: .everyone).statement().sql
        case "orders-filtered-list":
            // GET /api/orders?category=&city=: now, limit, offset, category, city.
            return OrderListShape(status: .active, byCategory: true, byCity: true, scope: .everyone).statement().sql
        case "orders-mine-list":
            // GET /api/orders?mine=true: now, limit, offset, user id.
            return OrderListShape(status: .active, byCategory: false, byCity: false, scope: .mine).statement().sql
        case "orders-taken-list":
            // GET /api/orders?taken_by_me=true: now, limit, offset, user id.
            return OrderListShape(status: .active, byCategory: false, byCity: false, scope: .takenByMe).statement().sql
        default:
            return everyStatement.first { $0.name == name }?.sql
        }
    }

    /// Every statement a worker may prepare: the fixed ones and one per list shape, each by
    /// its prepared-statement name (as `pg_prepared_statements` shows it), for EXPLAIN.
    public static var preparedNames: [String] { everyStatement.map(\.name) }

    static var everyStatement: [PreparedStatement] {
        let orderLists = OrderStatus.allCases.flatMap { status in
            [false, true].flatMap { byCategory in
                [false, true].flatMap { byCity in
                    OrderListScope.allCases.flatMap { scope in
                        [false, true].map { checksViewer in
                            OrderListShape(
                                status: status, byCategory: byCategory, byCity: byCity, scope: scope,
                                checksViewer: checksViewer
                            ).statement()
                        }
                    }
                }
            }
        }
        let reviewLists = [false, true].flatMap { byRating in
            ReviewListScope.allCases.map { ReviewListShape(byRating: byRating, scope: $0).statement() }
        }
        return Store.statements + orderLists + reviewLists + [SettleDueBatch.statement, PruneOrderCounts.statement]
            + [
                InsertPayment.statement, MarkPaymentPending.statement, MarkPaymentFailed.statement, CreditPayment.statement,
                PaymentByID.statement, PendingPayments.statement, PaymentStatusOfOwner.statement, AdoptedPaymentOfInvoice.statement,
            ] + NotificationBook.statements
    }
}
