import SrochnoCore
import SrochnoStore
import SrochnoSystem

/// `GET /metrics`: what an operator watches, in Prometheus' text exposition format (0.0.4),
/// read from PostgreSQL in one statement (`Store.metrics`). nginx lets only loopback reach it
/// (`location = /metrics`); the worker itself serves whoever reaches its socket.
///
/// With the database down it still answers 200, with `srochno_database_up 0` and no database
/// series: a scrape that fails says "the worker is down", a 0 says "the database is".
struct MetricsRoutes: RouteArea {
    let store: Store

    static let routes: [RouteEntry<MetricsRoutes>] = [
        RouteEntry("GET", "/metrics", { $0.metrics })
    ]

    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    func metrics(_ context: RequestContext) -> HTTPResponse {
        var text = PrometheusText()
        text.gauge("srochno_build_info", "The running release (VERSION); always 1.", [(["version": BuildVersion.string], 1)])
        let snapshot: MetricsSnapshot?
        do {
            snapshot = try store.metrics(now: context.now)
        } catch {
            StandardError.write(line: "srochno: metrics without the database: \(error)")
            snapshot = nil
        }
        text.gauge("srochno_database_up", "1 when PostgreSQL answered this scrape's statement, else 0.", [([:], snapshot == nil ? 0 : 1)])
        if let snapshot { Self.write(snapshot, now: context.now, into: &text) }
        return HTTPResponse(status: 200, headers: [("Content-Type", Self.contentType)], body: Array(text.output.utf8))
    }

    static func write(_ snapshot: MetricsSnapshot, now: Instant, into text: inout PrometheusText) {
        text.gauge(
            "srochno_schema_migration_version", "Number of the newest migration applied (sql/NNNN_*.sql).",
            [([:], snapshot.migrationNumber)])
        text.gauge(
            "srochno_orders",
            "Orders by effective status now: stored active orders past their moment count as expired or closed_no_response.",
            OrderStatus.allCases.map { (["status": $0.rawValue], snapshot.ordersByStatus[$0] ?? 0) })
        text.counter(
            "srochno_orders_created_total", "Orders created.", [([:], snapshot.ordersByStatus.values.reduce(0, +))])
        text.counter("srochno_takes_total", "Takes charged (order_take ledger entries).", [([:], snapshot.takes.entries)])
        text.counter("srochno_takes_rubles_total", "Rubles charged for takes.", [([:], snapshot.takes.rubles)])
        text.counter("srochno_refunds_total", "Refunds of takes (refund ledger entries).", [([:], snapshot.refunds.entries)])
        text.counter("srochno_refunds_rubles_total", "Rubles refunded.", [([:], snapshot.refunds.rubles)])
        let sources = MetricsSnapshot.topUpSources
        text.counter(
            "srochno_topups_total", "Balance credits (recharge ledger entries) by payment provider; none: dev recharge or carried over.",
            sources.map { (["provider": $0], snapshot.topUps[$0]?.entries ?? 0) })
        text.counter(
            "srochno_topups_rubles_total", "Rubles credited by payment provider; none: dev recharge or carried over.",
            sources.map { (["provider": $0], snapshot.topUps[$0]?.rubles ?? 0) })
        let providers = PaymentProvider.allCases.map(\.rawValue)
        text.gauge(
            "srochno_payments_pending", "Invoices made and not paid yet that may still be paid (within their 30 minutes).",
            providers.map { (["provider": $0], snapshot.pendingPayments[$0]?.count ?? 0) })
        text.gauge(
            "srochno_payments_creating", "Payments whose invoice the provider has not answered for yet.",
            [([:], snapshot.creatingPayments.count)])
        text.gauge(
            "srochno_payments_creating_oldest_age_seconds", "Age of the oldest payment still waiting for its invoice; 0 when none.",
            [([:], age(snapshot.creatingPayments.oldest, now))])
        let notifications = snapshot.notifications
        text.gauge("srochno_notification_outbox", "New orders not yet fanned out to subscribers.", [([:], Int64(notifications.outbox))])
        text.gauge(
            "srochno_notification_outbox_oldest_age_seconds", "Age of the oldest order in the outbox; 0 when empty.",
            [([:], age(notifications.oldestOutbox, now))])
        text.gauge("srochno_notification_queued", "Executor-order pairs queued for a message.", [([:], Int64(notifications.queued))])
        text.gauge(
            "srochno_notification_queued_oldest_age_seconds", "Age of the oldest queued executor-order pair; 0 when none.",
            [([:], age(notifications.oldestQueued, now))])
        text.gauge(
            "srochno_notification_executors_due", "Executors whose message is due now.", [([:], Int64(notifications.executorsDue))])
        text.gauge(
            "srochno_notification_executors_leased", "Executors a sender holds now.", [([:], Int64(notifications.executorsLeased))])
        text.gauge(
            "srochno_notification_dropped_24h", "Queued orders dropped unsent in the last 24 hours.",
            [([:], Int64(notifications.droppedLastDay))])
        text.gauge(
            "srochno_orders_unsettled", "Orders due (expired or unanswered) that srochno-autoclose has not settled yet.",
            [([:], snapshot.unsettled.count)])
        text.gauge(
            "srochno_closer_lag_seconds", "Age of the oldest due order not yet settled by srochno-autoclose; 0 when none.",
            [([:], age(snapshot.unsettled.oldest, now))])
    }

    /// Seconds from `moment` to `now` with millisecond precision, as microseconds for
    /// `PrometheusText`'s seconds; 0 without a moment (or one in the future).
    static func age(_ moment: Instant?, _ now: Instant) -> PrometheusText.Seconds {
        PrometheusText.Seconds(microseconds: moment.map { max(0, now.microseconds - $0.microseconds) } ?? 0)
    }
}

/// The text exposition format: per metric a HELP and a TYPE line, then one line per series.
/// Label values are escaped as the format requires (backslash, double quote, newline).
struct PrometheusText {
    /// A duration printed in seconds with three decimals.
    struct Seconds {
        let microseconds: Int64
    }

    private(set) var output = ""

    mutating func gauge(_ name: String, _ help: String, _ series: [([String: String], Int64)]) {
        write(name, "gauge", help, series.map { ($0.0, String($0.1)) })
    }

    mutating func gauge(_ name: String, _ help: String, _ series: [([String: String], Seconds)]) {
        write(name, "gauge", help, series.map { ($0.0, Self.format($0.1)) })
    }

    mutating func counter(_ name: String, _ help: String, _ series: [([String: String], Int64)]) {
        write(name, "counter", help, series.map { ($0.0, String($0.1)) })
    }

    private mutating func write(_ name: String, _ type: String, _ help: String, _ series: [([String: String], String)]) {
        output += "# HELP \(name) \(help)\n# TYPE \(name) \(type)\n"
        for (labels, value) in series {
            output += name
            if !labels.isEmpty {
                output +=
                    "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\(Self.escaped($0.value))\"" }.joined(separator: ",") + "}"
            }
            output += " \(value)\n"
        }
    }

    static func escaped(_ value: String) -> String {
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }

    static func format(_ seconds: Seconds) -> String {
        let milliseconds = seconds.microseconds / 1000
        let fraction = String(milliseconds % 1000)
        return "\(milliseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
