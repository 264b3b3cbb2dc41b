import SrochnoAdoptionFixtures
import SrochnoCore
import SrochnoPostgres
import SrochnoTestSupport
import Testing

/// The `srochno-adopt` executable as an operator runs it: the report and the verification on
/// stdout, exit 0 when verified, 1 on a mismatch or an error, 2 on a bad command line, 3 when
/// stopped early; never a password or a contact in what it prints.
@Suite struct AdoptExecutableTests {
    private func adopt(_ run: AdoptionRun, _ arguments: [String], target: String? = nil) throws -> ProcessOutcome {
        // No bot token: the import needs none, and says it uses the default order rules.
        let environment = ["PATH=/usr/bin:/bin", "SROCHNO_DATABASE_URL=\(target ?? run.target.conninfo)"]
        return try runProcess(try TestEnvironment.adoptBinary(), arguments, environment: environment, timeoutSeconds: 120)
    }

    @Test func stopsEarlyThenFinishesVerifiedAndFailsOnAMismatch() throws {
        try AdoptionRun.with(bulkOrders: 20) { run in
            let source = ["--from", run.legacy.conninfo, "--batch", "5"]
            let dry = try adopt(run, source + ["--dry-run"])
            #expect(dry.exitCode == 0, "\(dry.standardOutput)\(dry.standardError)")
            #expect(dry.standardOutput.contains("srochno-adopt: dry run, nothing written and verified"))
            #expect(dry.standardError.contains("default order rules (no response after 15 minutes, 3 executors, 2 ₽ a take)"))
            #expect(try run.target.connect().integer("SELECT count(*) FROM users") == 0)

            let stopped = try adopt(run, source + ["--stop-after-batches", "2"])
            #expect(stopped.exitCode == 3, "\(stopped.standardOutput)\(stopped.standardError)")
            #expect(stopped.standardOutput.contains("run again to finish"))

            let finished = try adopt(run, source)
            #expect(finished.exitCode == 0, "\(finished.standardOutput)\(finished.standardError)")
            let output = finished.standardOutput
            for line in [
                "report (adoption moment ", "  users ", "  orders ", "  executor_takes ", "  client_reviews ", "  executor_complaints ",
                "  balance_transactions ", "  payment_invoices ", "verification", "ok       balances",
                "srochno-adopt: adopted and verified in ",
            ] {
                #expect(output.contains(line), "\(line) in \(output)")
            }
            // Ids and amounts only: no name, username or contact of the market.
            for secret in ["Анна", "Ксения", "anna_", "@Ivan_", "hello", "+79"] { #expect(!output.contains(secret), "\(secret)") }

            // Money that appeared in Srochno outside the import: the verification says so.
            try run.target.connect().execute(
                sql: "INSERT INTO balance_transactions (user_id, type, amount, description) VALUES ($1::bigint, 'recharge', 5, 'test')",
                [run.market.executorY])
            let mismatch = try adopt(run, source)
            #expect(mismatch.exitCode == 1)
            #expect(mismatch.standardOutput.contains("MISMATCH balances"))
            #expect(mismatch.standardOutput.contains("user \(run.market.executorY): old 7 ₽, now 12 ₽"))
            #expect(mismatch.standardOutput.contains("verification FAILED"))
        }
    }

    @Test func badCommandLinesExit2AndBadSourcesExit1WithoutTheirPassword() throws {
        try AdoptionRun.with(bulkOrders: 0, invalidUser: false) { run in
            #expect(try adopt(run, ["--help"]).exitCode == 0)
            #expect(try adopt(run, []).exitCode == 2)
            #expect(try adopt(run, ["--from"]).exitCode == 2)
            #expect(try adopt(run, ["--from", run.legacy.conninfo, "--batch", "0"]).exitCode == 2)
            #expect(try adopt(run, ["--from", run.legacy.conninfo, "--bogus"]).exitCode == 2)
            let unreachable = try adopt(
                run, ["--from", "host=/nonexistent port=5432 user=old password=hunter2secret dbname=old connect_timeout=2"])
            #expect(unreachable.exitCode == 1)
            #expect(unreachable.standardError.contains("cannot connect to the old database"))
            #expect(!(unreachable.standardOutput + unreachable.standardError).contains("hunter2secret"))
        }
    }
}
