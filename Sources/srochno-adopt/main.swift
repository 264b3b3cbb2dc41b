import Glibc
import SrochnoAdoption
import SrochnoConfig
import SrochnoCore
import SrochnoPostgres
import SrochnoSystem

// srochno-adopt --from URL [--dry-run] [--batch N]: imports the old backend's database (libpq
// URL or key=value string; keep the password in ~/.pgpass or PGPASSWORD rather than on the
// command line) into the Srochno database of SROCHNO_DATABASE_URL / SROCHNO_CONFIG, prints the
// report and the verification. Exit 0 when verified, 1 on a mismatch or an error, 2 on a bad
// command line. `--stop-after-batches N` (tests) stops after N committed batches, exit 3.

let usage =
    "usage: srochno-adopt --from URL [--dry-run] [--batch N] | --version   (Srochno database from SROCHNO_DATABASE_URL or SROCHNO_CONFIG)"

func fail(_ message: String, status: Int32 = 1) -> Never {
    StandardError.write(line: "srochno-adopt: \(message)")
    exit(status)
}

var sourceURL: String?
var options = Adoption.Options()
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--from":
        guard let value = arguments.popFirst(), !value.isEmpty else { fail("--from needs the old database's URL", status: 2) }
        sourceURL = value
    case "--dry-run":
        options.dryRun = true
    case "--batch":
        guard let value = arguments.popFirst().flatMap({ Int($0) }), (1...100_000).contains(value) else {
            fail("--batch needs a number from 1 to 100000", status: 2)
        }
        options.batchSize = value
    case "--stop-after-batches":
        guard let value = arguments.popFirst().flatMap({ Int($0) }), value >= 0 else {
            fail("--stop-after-batches needs a number", status: 2)
        }
        options.stopAfterBatches = value
    case "-h", "--help":
        print(usage)
        exit(0)
    case "--version":
        print(BuildVersion.line(program: "srochno-adopt"))
        exit(0)
    default:
        fail("unknown argument \(argument)", status: 2)
    }
}
guard let sourceURL else { fail("--from is required\n\(usage)", status: 2) }

// The database URL is all the import needs; the order rules come from the settings when they
// load (a shell on the API host may lack the bot token the units get as a credential), else
// they are the defaults, which were the old backend's too.
let databaseURL: String
do {
    databaseURL = try ConfigLoader.databaseURL()
} catch {
    fail("configuration: \(error)")
}
do {
    options.rules = AdoptionRules(settings: try ConfigLoader.load())
} catch {
    let rules = options.rules
    StandardError.write(
        line: "srochno-adopt: settings incomplete (\(error)): default order rules (no response after \(rules.noResponseMinutes) minutes, "
            + "\(rules.maxExecutors) executors, \(rules.takeCost) ₽ a take)")
}
let source: PostgresConnection
let target: PostgresConnection
do {
    source = try SourceConnection.open(sourceURL, connectTimeout: 10)
} catch {
    fail("cannot connect to the old database: \(error)")
}
do {
    target = try PostgresConnection(
        conninfo: withConnectionOptions(databaseURL, connectTimeout: 10, applicationName: "srochno-adopt"),
        // A batch waits at most this long for a row an API request holds; batches are short.
        sessionSetup: ["SET lock_timeout = '10s'", "SET statement_timeout = '10min'"])
} catch {
    fail("cannot connect to the Srochno database: \(error)")
}

let started = MonotonicClock.nanoseconds()
let outcome: Adoption.Outcome
do {
    outcome = try Adoption(source: source, target: target, options: options).run(now: systemNow())
} catch {
    fail("\(error)")
}
let seconds = Double(MonotonicClock.nanoseconds() - started) / 1_000_000_000
for line in outcome.report.lines { print(line) }
guard let verification = outcome.verification else {
    print("srochno-adopt: stopped after \(options.stopAfterBatches ?? 0) batches (--stop-after-batches); run again to finish")
    exit(3)
}
for line in verification.lines { print(line) }
let mode = options.dryRun ? "dry run, nothing written" : "adopted"
if verification.passed {
    print("srochno-adopt: \(mode) and verified in \(Int(seconds.rounded())) s")
    exit(0)
}
print("srochno-adopt: \(mode), verification FAILED")
exit(1)
