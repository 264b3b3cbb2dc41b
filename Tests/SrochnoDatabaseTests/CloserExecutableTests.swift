import SrochnoSystem
import SrochnoCore
import SrochnoPostgres
import SrochnoTestSupport
import Testing

/// The `srochno-autoclose` executable as systemd runs it: one summary line and exit 0, or a
/// message on stderr and a non-zero exit.
@Suite struct CloserExecutableTests {
    let client: Int64 = 1001
    let executor: Int64 = 8001

    private func runCloser(databaseURL: String?, _ arguments: [String] = []) throws -> ProcessOutcome {
        let environment = ["PATH=/usr/bin:/bin"] + (databaseURL.map { ["SROCHNO_DATABASE_URL=\($0)"] } ?? [])
        return try runProcess(try TestEnvironment.autocloseBinary(), arguments, environment: environment)
    }

    /// The numbers of a summary line, or nil when `output` is not exactly one such line.
    private func summary(_ output: String) -> (expired: Int, closed: Int, refunds: Int, batches: Int)? {
        let pattern = #/srochno-autoclose: expired=(\d+) closed=(\d+) refunds=(\d+) batches=(\d+) duration=\d+ms\n/#
        guard let match = output.wholeMatch(of: pattern),
            let expired = Int(match.1), let closed = Int(match.2), let refunds = Int(match.3), let batches = Int(match.4)
        else { return nil }
        return (expired, closed, refunds, batches)
    }

    @Test func settlesTheBacklogAndPrintsOneSummaryLine() throws {
        try ScratchDatabase.with { scratch in
            let db = try scratch.connect()
            let market = Market(db)
            let now = systemNow()
            try market.addUser(client)
            try market.addFundedUsers([executor], amount: 10)
            let expiring = try market.addOrder(1, client: client, createdAt: now.adding(minutes: -120))
            let unanswered = try market.addOrder(2, client: client, createdAt: now.adding(minutes: -30))
            try market.take(unanswered, by: executor, at: now.adding(minutes: -25))
            let fresh = try market.addOrder(3, client: client, createdAt: now.adding(minutes: -1))

            let first = try runCloser(databaseURL: scratch.conninfo)
            #expect(first.exitCode == 0, "stderr: \(first.standardError)")
            #expect(first.standardError.isEmpty)
            let counts = try #require(summary(first.standardOutput), "stdout: \(first.standardOutput)")
            #expect(counts.expired == 1 && counts.closed == 1 && counts.refunds == 1 && counts.batches == 2)
            #expect(try db.storedStatus(of: expiring) == "expired")
            #expect(try db.storedStatus(of: unanswered) == "closed_no_response")
            #expect(try db.storedStatus(of: fresh) == "active")
            #expect(try db.balance(of: executor) == 10)

            let second = try runCloser(databaseURL: scratch.conninfo, ["--batch", "1"])
            #expect(second.exitCode == 0, "stderr: \(second.standardError)")
            let again = try #require(summary(second.standardOutput), "stdout: \(second.standardOutput)")
            #expect(again.expired == 0 && again.closed == 0 && again.refunds == 0 && again.batches == 1)
            #expect(try db.ledgerMismatches() == 0)
        }
    }

    @Test func anUnreachableDatabaseFailsWithAMessage() throws {
        let outcome = try runCloser(databaseURL: "host=/nonexistent port=5432 user=postgres dbname=srochno connect_timeout=5")
        #expect(outcome.exitCode != nil && outcome.exitCode != 0)
        #expect(outcome.standardOutput.isEmpty)
        #expect(outcome.standardError.hasPrefix("srochno-autoclose: cannot connect to the database"), "\(outcome.standardError)")
    }

    @Test func anUnmigratedDatabaseFailsWithAMessage() throws {
        try ScratchDatabase.withUnmigrated { scratch in
            let outcome = try runCloser(databaseURL: scratch.conninfo)
            #expect(outcome.exitCode != nil && outcome.exitCode != 0)
            #expect(outcome.standardOutput.isEmpty)
            #expect(outcome.standardError.contains("not migrated"), "\(outcome.standardError)")
            #expect(outcome.standardError.contains("srochno-migrate"), "\(outcome.standardError)")
        }
    }

    @Test func aMissingDatabaseSettingFailsWithAMessage() throws {
        let outcome = try runCloser(databaseURL: nil)
        #expect(outcome.exitCode == 1)
        #expect(outcome.standardError.contains("SROCHNO_DATABASE_URL is required"), "\(outcome.standardError)")
    }

    @Test func aBadBatchSizeIsAUsageError() throws {
        let outcome = try runCloser(databaseURL: "host=/nonexistent", ["--batch", "0"])
        #expect(outcome.exitCode == 2)
        #expect(outcome.standardError.contains("--batch"))
    }
}
