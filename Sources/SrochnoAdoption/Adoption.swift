public import SrochnoCore
public import SrochnoPostgres

/// `srochno-adopt`: imports the old backend's database into a migrated Srochno database, then
/// verifies the result. Keyed on the old primary keys and done in keyset batches, each batch
/// with its bookkeeping in one short transaction of the target: a second run changes nothing,
/// and a run killed at any point resumes after its last committed batch, deciding exactly as
/// the first would have (the adoption moment is fixed once). The source is only read.
///
/// Passes, in the order their foreign keys need: users (with each balance as one opening
/// ledger row), orders with their takes, reviews and complaints, the old transactions as
/// history, the pending Crypto Pay invoices as pending payments.
public final class Adoption {
    public struct Options: Sendable {
        /// Old rows per batch (orders: with their takes, reviews and complaints).
        public var batchSize: Int
        /// Everything in one transaction of the target that is rolled back after the report
        /// and the verification: what a run would do, with nothing written.
        public var dryRun: Bool
        /// Stops after this many batches were committed, as a run killed there would (tests).
        public var stopAfterBatches: Int?
        public var rules: AdoptionRules

        public init(batchSize: Int = 1000, dryRun: Bool = false, stopAfterBatches: Int? = nil, rules: AdoptionRules = AdoptionRules()) {
            self.batchSize = batchSize
            self.dryRun = dryRun
            self.stopAfterBatches = stopAfterBatches
            self.rules = rules
        }
    }

    public struct Outcome: Sendable {
        public let report: AdoptionReport
        /// Nil when the run stopped early (`stopAfterBatches`).
        public let verification: Verification?
        public var stoppedEarly: Bool { verification == nil }
    }

    let source: PostgresConnection
    let target: PostgresConnection
    let options: Options
    var batchesCommitted = 0

    /// `source` should be read-only (`SourceConnection.open`); `target` is the Srochno database.
    public init(source: PostgresConnection, target: PostgresConnection, options: Options = Options()) {
        precondition(options.batchSize > 0, "a batch holds at least one row")
        self.source = source
        self.target = target
        self.options = options
    }

    /// Imports what is left to import and verifies everything; `now` becomes the adoption
    /// moment unless an earlier run fixed it.
    public func run(now: Instant) throws -> Outcome {
        let head = try checkSource()
        try checkTarget()
        try target.execute(sql: "SET TIME ZONE 'UTC'")
        try lockImport()
        defer { _ = try? target.execute(sql: "SELECT pg_advisory_unlock(\(AdvisoryLock.adoption.rawValue))") }
        guard options.dryRun else { return try work(now: now, head: head) }
        struct RolledBack: Error { let outcome: Outcome }
        do {
            _ = try target.transaction { () throws -> Void in throw RolledBack(outcome: try work(now: now, head: head)) }
        } catch let rolledBack as RolledBack {
            return rolledBack.outcome
        }
        throw AdoptionError("the dry run's transaction ended without its outcome")
    }

    private func work(now: Instant, head: String) throws -> Outcome {
        let moment = try fixMoment(now, head: head)
        let cities = CityNames(try target.query(TargetCities()))
        let finished =
            try userPass(cities: cities) && orderPass(cities: cities, moment: moment) && transactionPass() && invoicePass()
        let report = try AdoptionReport.read(target, moment: moment)
        guard finished else { return Outcome(report: report, verification: nil) }
        let verification = try Verifier(source: source, target: target, report: report, batchSize: options.batchSize).verify()
        return Outcome(report: report, verification: verification)
    }

    /// The old database at the head this import reads.
    private func checkSource() throws -> String {
        let heads = try source.query(LegacyHead())
        guard heads == [LegacyHead.expected] else {
            throw AdoptionError(
                "the old database is at alembic head \(heads.joined(separator: ", ")), adopt reads \(LegacyHead.expected) "
                    + "(srochno-backend v1.0.0-beta.7)")
        }
        return LegacyHead.expected
    }

    private func checkTarget() throws {
        let found = try target.execute(
            sql: "SELECT to_regclass('adoption_progress') IS NOT NULL AND to_regclass('legacy_transactions') IS NOT NULL")
        guard found.bool(0, 0) == true else {
            throw AdoptionError("the Srochno database is not migrated (no adoption tables): run srochno-migrate first")
        }
    }

    /// One import at a time: a second run waits for nothing and stops.
    private func lockImport() throws {
        let locked = try target.execute(sql: "SELECT pg_try_advisory_lock(\(AdvisoryLock.adoption.rawValue))")
        guard locked.bool(0, 0) == true else { throw AdoptionError("another srochno-adopt is running against this database") }
    }

    private func fixMoment(_ now: Instant, head: String) throws -> Instant {
        try inBatch { try target.run(FixAdoptionMoment(moment: now, head: head)) }
        guard let fixed = try target.queryFirst(AdoptionMoment()) else { throw AdoptionError("the adoption moment was not stored") }
        return fixed.moment
    }

    /// A batch's transaction; in a dry run the one transaction around everything.
    @discardableResult
    func inBatch<T>(_ body: () throws -> T) throws -> T {
        if options.dryRun { return try body() }
        return try target.transaction { try body() }
    }

    /// One pass in batches from where the last run left it: `read` fetches the next batch
    /// after a key (nil: none left) and says how to write it. Each batch is written with its
    /// counts, notes and new position in one transaction. False when it stopped early.
    func runPass(_ pass: String, read: (String) throws -> (lastKey: String, write: () throws -> Tally)?) throws -> Bool {
        var (lastKey, done) = try target.queryFirst(PassProgress(pass: pass)) ?? ("", false)
        while !done {
            if let limit = options.stopAfterBatches, batchesCommitted >= limit { return false }
            guard let batch = try read(lastKey) else {
                try inBatch { try target.run(SavePassProgress(pass: pass, lastKey: lastKey, done: true)) }
                done = true
                break
            }
            try inBatch {
                let tally = try batch.write()
                if !tally.counts.isEmpty { try target.run(RecordCounts(counts: tally.counts.map { ($0.key, $0.value) })) }
                if !tally.notes.isEmpty { try target.run(RecordNotes(notes: tally.notes)) }
                try target.run(SavePassProgress(pass: pass, lastKey: batch.lastKey, done: false))
            }
            lastKey = batch.lastKey
            batchesCommitted += 1
        }
        return true
    }
}
