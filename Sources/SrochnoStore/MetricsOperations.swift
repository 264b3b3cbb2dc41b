public import SrochnoCore

/// What an operator watches, read at one moment in one statement (`MetricsFigures`); `GET
/// /metrics` prints it. Money in whole rubles, moments as `Instant`.
public struct MetricsSnapshot: Sendable, Equatable {
    /// Totals of ledger entries of one kind since the beginning: how many, and their rubles.
    public struct Total: Sendable, Equatable {
        public var entries: Int64 = 0
        public var rubles: Int64 = 0
    }

    /// A backlog: how many wait, and since when the oldest one waits (nil: none).
    public struct Backlog: Sendable, Equatable {
        public var count: Int64 = 0
        public var oldest: Instant?
    }

    /// Orders per effective status now (SPEC §4): stored-active orders past their moment count
    /// as `expired` or `closed_no_response`. Every status is present.
    public var ordersByStatus: [OrderStatus: Int64] = [:]
    /// Charges for takes, refunds, and credits (top-ups) per provider: `crypto_bot`, `stars`,
    /// and `none` for recharges without a payment (the dev recharge, balances carried over by
    /// srochno-adopt). Every provider is present.
    public var takes = Total()
    public var refunds = Total()
    public var topUps: [String: Total] = [:]
    /// Invoices that may still be paid, per provider (every provider present), with the oldest.
    public var pendingPayments: [String: Backlog] = [:]
    /// Payments whose invoice is still being made (the provider has not answered yet).
    public var creatingPayments = Backlog()
    /// Orders due but not yet settled by srochno-autoclose, and the oldest due moment.
    public var unsettled = Backlog()
    /// `srochno-notify --status`'s figures.
    public var notifications = NotificationBacklog(
        outbox: 0, oldestOutbox: nil, queued: 0, oldestQueued: nil, executorsDue: 0, executorsLeased: 0, droppedLastDay: 0)
    /// The newest migration applied (`0012_metrics_counters`), and its number (12).
    public var migration = ""
    public var migrationNumber: Int64 {
        Int64(String(migration.prefix { $0.isASCII && $0.isNumber })) ?? 0
    }

    /// The providers `topUps` names: the payment providers and `none`.
    public static let topUpSources = PaymentProvider.allCases.map(\.rawValue) + ["none"]

    init(rows: [MetricsRow]) {
        var stored: [String: Int64] = [:]
        var due: [String: Int64] = [:]
        var notify: [String: MetricsRow] = [:]
        for provider in Self.topUpSources { topUps[provider] = Total() }
        for provider in PaymentProvider.allCases { pendingPayments[provider.rawValue] = Backlog() }
        for row in rows {
            let moment = row.second.map(Instant.init(microseconds:))
            switch row.kind {
            case "counter":
                let total = Total(entries: row.figure, rubles: row.second ?? 0)
                if row.label.hasPrefix("orders:") {
                    stored[String(row.label.dropFirst("orders:".count))] = row.figure
                } else if row.label == "ledger:order_take" {
                    takes = total
                } else if row.label == "ledger:refund" {
                    refunds = total
                } else if row.label.hasPrefix("ledger:recharge:") {
                    topUps[String(row.label.dropFirst("ledger:recharge:".count))] = total
                }
            case "due":
                due[row.label] = row.figure
                unsettled.count += row.figure
                if let moment, unsettled.oldest.map({ moment < $0 }) ?? true { unsettled.oldest = moment }
            case "pending":
                pendingPayments[row.label] = Backlog(count: row.figure, oldest: moment)
            case "creating":
                creatingPayments = Backlog(count: row.figure, oldest: moment)
            case "notify":
                notify[row.label] = row
            case "migration":
                migration = row.label
            default:
                break
            }
        }
        for status in OrderStatus.allCases {
            ordersByStatus[status] = (stored[status.rawValue] ?? 0) + (due[status.rawValue] ?? 0)
        }
        ordersByStatus[.active, default: 0] -= unsettled.count
        func figure(_ label: String) -> Int { Int(notify[label]?.figure ?? 0) }
        func moment(_ label: String) -> Instant? { notify[label]?.second.map(Instant.init(microseconds:)) }
        notifications = NotificationBacklog(
            outbox: figure("outbox"), oldestOutbox: moment("outbox"), queued: figure("queued"), oldestQueued: moment("queued"),
            executorsDue: figure("executors_due"), executorsLeased: figure("executors_leased"), droppedLastDay: figure("dropped_24h"))
    }
}

extension Store {
    /// Every figure of `MetricsSnapshot` at `now`, in one statement.
    public func metrics(now: Instant) throws -> MetricsSnapshot {
        MetricsSnapshot(
            rows: try database().query(MetricsFigures(now: now, invoiceLifetimeMinutes: PaymentRules.lifetimeMinutes)))
    }
}
