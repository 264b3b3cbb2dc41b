public import SrochnoCore
public import SrochnoPostgres

/// Materialises every due transition in bounded batches, each its own transaction, through
/// the same `apply_due_transitions` the request handlers use.
public struct OrderCloser {
    public struct Summary: Sendable, Equatable {
        public var expired = 0
        public var closed = 0
        public var refunds = 0
        public var batches = 0
    }

    public let batchSize: Int

    public init(batchSize: Int = 2000) {
        self.batchSize = batchSize
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
        let rowLockTimeout = try connection.execute(sql: "SHOW lock_timeout").string(0, 0) ?? "0"
        var summary = Summary()
        while true {
            let batch = try connection.transaction {
                try connection.execute(sql: "SET LOCAL lock_timeout = '60s'")
                try connection.execute(sql: "SELECT pg_advisory_xact_lock(\(Self.turnLock))")
                try connection.execute(sql: "SELECT set_config('lock_timeout', $1, true)", [rowLockTimeout])
                return try connection.execute(OrderQueries.settleDueBatch, [now, batchSize])
            }
            let expired = Int(batch.int(0, 0) ?? 0)
            let closed = Int(batch.int(0, 1) ?? 0)
            summary.expired += expired
            summary.closed += closed
            summary.refunds += Int(batch.int(0, 2) ?? 0)
            summary.batches += 1
            if expired + closed == 0 {
                try connection.execute(OrderCountQueries.pruneEmpty)
                return summary
            }
        }
    }

    /// The advisory lock closers take turns on, released when a batch commits.
    static let turnLock = AdvisoryLock.closerTurn.rawValue
}
