public import SrochnoCore
public import SrochnoPostgres
import SrochnoStore

/// srochno-autoclose: materialises every due transition (expired and unanswered orders, with
/// the refunds) in bounded batches, each its own transaction, through the same
/// `apply_due_transitions` the request handlers use. Started every minute by
/// systemd/srochno-autoclose.timer; a run cut short loses nothing, the next one carries on.
public struct OrderCloser: Job {
    public struct Summary: Sendable, Equatable {
        public var expired = 0
        public var closed = 0
        public var refunds = 0
        public var batches = 0

        public init() {}
    }

    public static let name = "srochno-autoclose"
    public static let options = [
        JobOption(name: "batch", range: 1...100_000, defaultValue: 2000, help: "orders settled per transaction")
    ]

    public let batchSize: Int

    public init(batchSize: Int = 2000) {
        self.batchSize = batchSize
    }

    public init(options: [String: Int]) {
        self.init(batchSize: options["batch"] ?? 2000)
    }

    /// The tables and the function `run` needs; an unmigrated database fails with a clear
    /// message instead of an SQL error from the first batch.
    public func verifySchema(_ connection: PostgresConnection) throws {
        let found = try connection.execute(
            sql: """
                SELECT to_regclass('orders') IS NOT NULL AND to_regclass('order_counts') IS NOT NULL
                   AND to_regprocedure('apply_due_transitions(text[], timestamptz)') IS NOT NULL
                """)
        guard found.bool(0, 0) == true else {
            throw SchemaNotMigrated(missing: "orders or order_counts table, or no apply_due_transitions function")
        }
    }

    public func perform(_ connection: PostgresConnection, now: Instant) throws -> [(String, String)] {
        let summary = try run(connection, now: now)
        return [
            ("expired", "\(summary.expired)"), ("closed", "\(summary.closed)"), ("refunds", "\(summary.refunds)"),
            ("batches", "\(summary.batches)"),
        ]
    }

    /// Runs batches until one finds nothing left to settle at `now`. Orders locked by another
    /// transaction are skipped; the next run (a minute later) picks them up.
    ///
    /// Closers on several hosts take turns batch by batch (a transaction-level advisory lock):
    /// their refunds would queue on the same executors' rows anyway, and a take that waits for
    /// an executor's row then waits for one batch, not for one batch of every closer.
    public func run(_ connection: PostgresConnection, now: Instant) throws -> Summary {
        // The session's lock_timeout bounds row-lock waits inside a batch (where this closer
        // holds a batch of orders); waiting for a turn may take a few batches of other closers.
        guard let rowLockTimeout = try connection.execute(sql: "SHOW lock_timeout").string(0, 0) else {
            throw PostgresDecodingError(statement: "SHOW lock_timeout", column: 0, expected: "a setting")
        }
        var summary = Summary()
        while true {
            let batch = try connection.transaction {
                try connection.execute(sql: "SET LOCAL lock_timeout = '60s'")
                try connection.execute(sql: "SELECT pg_advisory_xact_lock(\(Self.turnLock))")
                try connection.execute(sql: "SELECT set_config('lock_timeout', $1, true)", [rowLockTimeout])
                return try connection.queryOne(SettleDueBatch(now: now, batchSize: batchSize))
            }
            summary.expired += batch.expired
            summary.closed += batch.closed
            summary.refunds += batch.refunds
            summary.batches += 1
            if batch.expired + batch.closed == 0 {
                try connection.run(PruneOrderCounts())
                return summary
            }
        }
    }

    /// The advisory lock closers take turns on, released when a batch commits.
    public static let turnLock = AdvisoryLock.closerTurn.rawValue
}
