import SrochnoCore
import SrochnoPostgres
import SrochnoSystem
import SrochnoTestSupport
import Testing

extension ReconcilerTests {
    /// The `srochno-reconcile` executable as systemd runs it, its settings from the environment
    /// pointing at loopback fakes: one summary line and exit 0, or a message and exit 1.
    @Suite struct Executable {
        let user: Int64 = 7101

        private func reconcile(_ arguments: [String] = [], settings: [String: String] = [:]) throws -> ProcessOutcome {
            let environment = ["PATH=/usr/bin:/bin"] + settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return try runProcess(try TestEnvironment.reconcileBinary(), arguments, environment: environment)
        }

        /// The settings of a deployment with both providers, at these base URLs.
        private func settings(_ scratch: ScratchDatabase, cryptoPay: String? = nil, botAPI: String? = nil) -> [String: String] {
            var settings = ["SROCHNO_DATABASE_URL": scratch.conninfo, "SROCHNO_BOT_TOKEN": PaymentFakes.botToken]
            if let cryptoPay {
                settings["SROCHNO_CRYPTO_PAY_TOKEN"] = PaymentFakes.cryptoPayToken
                settings["SROCHNO_CRYPTO_PAY_URL"] = cryptoPay
            }
            if let botAPI {
                settings["SROCHNO_STARS_PER_RUBLE"] = "0.7"
                settings["SROCHNO_BOT_API_URL"] = botAPI
            }
            return settings
        }

        @Test func helpExitsZero() throws {
            let outcome = try reconcile(["--help"])
            #expect(outcome.exitCode == 0)
            #expect(outcome.standardOutput.hasPrefix("usage: srochno-reconcile [--hours N] [--star-pages N]"), "\(outcome.standardOutput)")
            #expect(outcome.standardOutput.contains("(1-720, default 48)") && outcome.standardOutput.contains("(1-100, default 20)"))
        }

        @Test func versionPrintsTheRelease() throws {
            let outcome = try reconcile(["--version"])
            #expect(outcome.exitCode == 0)
            #expect(outcome.standardOutput == "srochno-reconcile \(BuildVersion.string)\n")
        }

        @Test(arguments: [["--hours", "0"], ["--hours", "721"], ["--star-pages", "101"], ["--star-pages"], ["--days", "2"]])
        func aBadOptionIsAUsageError(_ arguments: [String]) throws {
            let outcome = try reconcile(arguments, settings: ["SROCHNO_DATABASE_URL": "host=/nonexistent"])
            #expect(outcome.exitCode == 2)
            #expect(outcome.standardError.hasPrefix("srochno-reconcile: ") && outcome.standardError.contains(arguments[0]))
        }

        @Test func aRunAgainstTheProvidersPrintsOneSummaryLine() throws {
            try ScratchDatabase.with { scratch in
                let db = try scratch.connect()
                try Market(db).addUser(user)
                let now = systemNow()
                let crypto = try PaymentFakes.pendingCryptoPay(db, user: user, invoice: 9801, createdAt: now.adding(minutes: -20))
                let stars = try PaymentFakes.pendingStars(db, user: user, createdAt: now.adding(minutes: -10))
                let cryptoPay = PaymentFakes.cryptoPay([PaymentFakes.invoice(9801, payload: "\(crypto)")])
                let botAPI = PaymentFakes.botAPI([
                    PaymentFakes.starPayment("charge-9801", stars: 70, payer: user, payload: "\(stars)", date: now.seconds - 300)
                ])
                let outcome = try reconcile(settings: settings(scratch, cryptoPay: cryptoPay.baseURL, botAPI: botAPI.baseURL))
                #expect(cryptoPay.finish().requests.count == 1)
                #expect(botAPI.finish().requests.count == 1)

                #expect(outcome.exitCode == 0, "stderr: \(outcome.standardError)")
                #expect(outcome.standardError.isEmpty)
                let line =
                    #/srochno-reconcile: crypto_checked=1 crypto_credited=1 stars_checked=1 stars_credited=1 mismatches=0 duration=\d+ms\n/#
                #expect(outcome.standardOutput.wholeMatch(of: line) != nil, "stdout: \(outcome.standardOutput)")
                #expect(try db.balance(of: user) == 400)
                #expect(try db.ledgerMismatches() == 0)
            }
        }

        @Test func unconfiguredProvidersAreOff() throws {
            try ScratchDatabase.with { scratch in
                let outcome = try reconcile(["--hours", "1"], settings: settings(scratch))
                #expect(outcome.exitCode == 0, "stderr: \(outcome.standardError)")
                let line = #/srochno-reconcile: crypto=off stars=off mismatches=0 duration=\d+ms\n/#
                #expect(outcome.standardOutput.wholeMatch(of: line) != nil, "stdout: \(outcome.standardOutput)")
            }
        }

        @Test func aProviderDownExitsOneNamingIt() throws {
            try ScratchDatabase.with { scratch in
                let db = try scratch.connect()
                try Market(db).addUser(user)
                _ = try PaymentFakes.pendingCryptoPay(db, user: user, invoice: 9901, createdAt: systemNow().adding(minutes: -5))
                let down = RefusingPort()
                let outcome = try withExtendedLifetime(down) {
                    try reconcile(settings: settings(scratch, cryptoPay: "http://127.0.0.1:\(down.port)"))
                }
                #expect(outcome.exitCode == 1)
                #expect(outcome.standardOutput.isEmpty)
                #expect(
                    outcome.standardError.hasPrefix("srochno-reconcile: crypto_bot: Crypto Pay unreachable"), "\(outcome.standardError)")
                #expect(outcome.standardError.contains("(after crypto_checked=1 crypto_credited=0 stars=off mismatches=0)"))
                #expect(
                    !outcome.standardError.contains(PaymentFakes.cryptoPayToken) && !outcome.standardError.contains(PaymentFakes.botToken))
            }
        }

        @Test func anUnmigratedDatabaseFailsWithAMessage() throws {
            try ScratchDatabase.withUnmigrated { scratch in
                let outcome = try reconcile(settings: settings(scratch))
                #expect(outcome.exitCode == 1)
                #expect(outcome.standardError.contains("not migrated (no payments table)"), "\(outcome.standardError)")
            }
        }
    }
}
