import Glibc
import SrochnoAPI
import SrochnoPostgres

// srochno-autoclose [--batch N]: one run settles every expired and unanswered order, pays the
// refunds, prints one summary line and exits 0. Any failure (configuration, unreachable
// database, unmigrated schema, SQL error) is one line on stderr and exit status 1; batches
// committed before the failure stay committed, and the next run carries on from there.
// Run by systemd/srochno-autoclose.timer.

var batchSize = 2000
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--batch":
        guard let value = arguments.popFirst().flatMap({ Int($0) }), (1...100_000).contains(value) else {
            logLine("srochno-autoclose: --batch needs a number from 1 to 100000")
            exit(2)
        }
        batchSize = value
    case "-h", "--help":
        print("usage: srochno-autoclose [--batch N]   (database from SROCHNO_DATABASE_URL or SROCHNO_CONFIG)")
        exit(0)
    default:
        logLine("srochno-autoclose: unknown argument \(argument)")
        exit(2)
    }
}

func fail(_ message: String) -> Never {
    logLine("srochno-autoclose: \(message)")
    exit(1)
}

let started = monotonicNanoseconds()
let databaseURL: String
do {
    databaseURL = try ConfigLoader.databaseURL()
} catch {
    fail("configuration: \(error)")
}
let connection: PostgresConnection
do {
    connection = try PostgresConnection(
        conninfo: databaseURL,
        sessionSetup: ["SET lock_timeout = '5s'", "SET statement_timeout = '60s'"]
    )
} catch {
    fail("cannot connect to the database: \(error)")
}
do {
    try OrderCloser.verifySchema(connection)
    let summary = try OrderCloser(batchSize: batchSize).run(connection, now: systemNow())
    let milliseconds = Double(monotonicNanoseconds() - started) / 1_000_000
    print("srochno-autoclose: expired=\(summary.expired) closed=\(summary.closed) refunds=\(summary.refunds) "
        + "batches=\(summary.batches) duration=\(Int(milliseconds.rounded()))ms")
} catch {
    fail("\(error)")
}
