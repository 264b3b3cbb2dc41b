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
    public func run(_ connection: PostgresConnection, now: Instant) throws -> Summary {
        var summary = Summary()
        while true {
            let batch = try connection.transaction {
                try connection.execute(OrderQueries.settleDueBatch, [now, batchSize])
            }
            let expired = Int(batch.int(0, 0) ?? 0)
            let closed = Int(batch.int(0, 1) ?? 0)
            summary.expired += expired
            summary.closed += closed
            summary.refunds += Int(batch.int(0, 2) ?? 0)
            summary.batches += 1
            if expired + closed == 0 { return summary }
        }
    }
}
