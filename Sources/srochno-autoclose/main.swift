import Glibc
import SrochnoAPI
import SrochnoPostgres

// srochno-autoclose [--batch N]: one run settles every expired and unanswered order, pays the
// refunds, prints one summary line and exits. Run by systemd/srochno-autoclose.timer.

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

let started = monotonicNanoseconds()
do {
    let connection = try PostgresConnection(
        conninfo: try ConfigLoader.databaseURL(),
        sessionSetup: ["SET lock_timeout = '5s'", "SET statement_timeout = '60s'"]
    )
    let summary = try OrderCloser(batchSize: batchSize).run(connection, now: systemNow())
    let milliseconds = Double(monotonicNanoseconds() - started) / 1_000_000
    print("srochno-autoclose: expired=\(summary.expired) closed=\(summary.closed) refunds=\(summary.refunds) "
        + "batches=\(summary.batches) duration=\(Int(milliseconds.rounded()))ms")
} catch {
    logLine("srochno-autoclose: \(error)")
    exit(1)
}
