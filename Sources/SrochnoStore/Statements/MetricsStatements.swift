import SrochnoCore
import SrochnoPostgres

/// Everything `GET /metrics` reports, in one statement and so one snapshot: rows of (kind,
/// label, figure, moment or second figure). None of its parts grows with the history:
///
/// - `counter`: `metrics_counters` summed over its shards (sql/0012_metrics_counters.sql), per
///   series: orders per stored status, ledger entries and rubles per type (recharges per
///   provider).
/// - `due`: stored-active orders whose moment has passed, per the status they effectively have
///   (SPEC §4), with the oldest moment: the closer's backlog, from the `orders_active_due`
///   index; as many as the closer has not settled yet. Workers plan generically, and for
///   `due_at <= $1` alone the generic plan guesses a third of the active orders and scanned all
///   of `orders` (5 ms at 10,000 orders, more with every order of history); with the always
///   true lower bound the pair is estimated as a narrow range (0.5 %) and the plan walks the
///   index.
/// - `pending` per provider: payments whose invoice may still be paid (created within the
///   invoice lifetime `$2` minutes and not yet expired), with the oldest creation, from the
///   `payments_pending` index; an abandoned invoice stays `pending` forever and leaves this
///   window after its lifetime. `creating`: payments whose invoice is still being made.
/// - `notify`: `srochno-notify --status`'s figures (`NotificationBacklogFigures.figures`), one
///   row each; the outbox and queue hold only what is not sent yet.
/// - `migration`: the newest applied migration's version and how many are applied.
struct MetricsFigures: PostgresStatement {
    static let statement = PreparedStatement(
        "metrics_figures",
        """
        SELECT 'counter', series, sum(events)::bigint, sum(rubles)::bigint FROM metrics_counters GROUP BY series
        UNION ALL
        SELECT 'due', order_effective_status(status, due_at, no_response_at, expires_at, $1::timestamptz),
               count(*), epoch_us(min(due_at))
          FROM orders WHERE status = 'active' AND due_at > '-infinity' AND due_at <= $1::timestamptz GROUP BY 2
        UNION ALL
        SELECT 'pending', provider, count(*), epoch_us(min(created_at))
          FROM payments
         WHERE status = 'pending' AND created_at > $1::timestamptz - make_interval(mins => $2::integer)
           AND expires_at > $1::timestamptz
         GROUP BY provider
        UNION ALL
        SELECT 'creating', '', count(*), epoch_us(min(created_at)) FROM payments WHERE status = 'creating'
        UNION ALL
        SELECT 'notify', v.label, v.figure, v.moment
          FROM (SELECT \(NotificationBacklogFigures.figures)) f (outbox, outbox_oldest, queued, queued_oldest, due, leased, dropped)
         CROSS JOIN LATERAL (VALUES ('outbox', f.outbox, f.outbox_oldest), ('queued', f.queued, f.queued_oldest),
                                    ('executors_due', f.due, NULL), ('executors_leased', f.leased, NULL),
                                    ('dropped_24h', f.dropped, NULL)) v (label, figure, moment)
        UNION ALL
        SELECT 'migration', max(version), count(*), NULL FROM schema_migrations
        """)
    let now: Instant
    let invoiceLifetimeMinutes: Int
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [now, invoiceLifetimeMinutes] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> MetricsRow {
        MetricsRow(kind: try row.string(0), label: row.optionalString(1) ?? "", figure: try row.int(2), second: try row.optionalInt(3))
    }
}

/// One row of `MetricsFigures`.
struct MetricsRow {
    let kind: String
    let label: String
    let figure: Int64
    /// Rubles for a counter, a moment (microseconds since the epoch) for the others; nil when
    /// there is none (nothing waiting).
    let second: Int64?
}
