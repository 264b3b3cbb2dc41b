import Glibc
import SrochnoConfig
import SrochnoCore
import SrochnoPostgres
import SrochnoSystem

/// The `main` of every oneshot executable: parses the job's options, reads the database URL
/// from the configuration, builds the job (which may read more of it), connects, checks the
/// schema, runs the job and prints one summary line with its duration. Exit status 0 on
/// success, 1 on any failure (configuration, unreachable database, unmigrated schema, SQL
/// error, a job's own failure; work committed before it stays), 2 on a bad command line.
/// `--help` and `--version` print on standard output and exit 0 without reading any setting.
public enum JobRunner {
    /// Session settings of job connections: bounded waits for row locks and statements.
    public static let sessionSetup = ["SET lock_timeout = '5s'", "SET statement_timeout = '60s'"]

    public static func main<J: Job>(_ job: J.Type, arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        let options: [String: Int]
        switch parse(J.self, arguments) {
        case .success(let parsed): options = parsed
        case .failure(let usage):
            if usage.isAnswer {
                print(usage.message)
                exit(0)
            }
            StandardError.write(line: "\(J.name): \(usage.message)")
            exit(2)
        }
        let started = MonotonicClock.nanoseconds()
        func fail(_ message: String) -> Never {
            StandardError.write(line: "\(J.name): \(message)")
            exit(1)
        }
        let databaseURL: String
        let job: J
        do {
            databaseURL = try ConfigLoader.databaseURL()
            job = try J(options: options)
        } catch {
            fail("configuration: \(error)")
        }
        let connection: PostgresConnection
        do {
            connection = try PostgresConnection(
                conninfo: withConnectionOptions(databaseURL, connectTimeout: 10, applicationName: J.name),
                sessionSetup: sessionSetup)
        } catch {
            fail("cannot connect to the database: \(error)")
        }
        do {
            try job.verifySchema(connection)
            let fields = try job.perform(connection, now: systemNow())
            let milliseconds = Int((Double(MonotonicClock.nanoseconds() - started) / 1_000_000).rounded())
            let summary = (fields + [("duration", "\(milliseconds)ms")]).map { "\($0.0)=\($0.1)" }.joined(separator: " ")
            print("\(J.name): \(summary)")
            exit(0)
        } catch {
            fail("\(error)")
        }
    }

    struct Usage: Error {
        let message: String
        /// `--help` or `--version`: the message goes to standard output, exit status 0.
        var isAnswer = false
    }

    /// `--name N` pairs for the job's options, each in its range; unknown words are errors.
    static func parse<J: Job>(_ job: J.Type, _ arguments: [String]) -> Result<[String: Int], Usage> {
        var values = Dictionary(uniqueKeysWithValues: J.options.map { ($0.name, $0.defaultValue) })
        var remaining = arguments[...]
        while let argument = remaining.popFirst() {
            if argument == "--version" {
                return .failure(Usage(message: BuildVersion.line(program: J.name), isAnswer: true))
            }
            if argument == "-h" || argument == "--help" {
                let options = J.options.map { "[--\($0.name) N]" }.joined(separator: " ")
                let details = J.options.map {
                    "  --\($0.name) N  \($0.help) (\($0.range.lowerBound)-\($0.range.upperBound), default \($0.defaultValue))"
                }
                return .failure(
                    Usage(
                        message: (["usage: \(J.name) \(options) | --version   (settings from SROCHNO_CONFIG and SROCHNO_* variables)"]
                            + details).joined(separator: "\n"), isAnswer: true))
            }
            guard argument.hasPrefix("--"), let option = J.options.first(where: { $0.name == argument.dropFirst(2) }) else {
                return .failure(Usage(message: "unknown argument \(argument)"))
            }
            guard let value = remaining.popFirst().flatMap({ Int($0) }), option.range.contains(value) else {
                return .failure(
                    Usage(message: "--\(option.name) needs a number from \(option.range.lowerBound) to \(option.range.upperBound)"))
            }
            values[option.name] = value
        }
        return .success(values)
    }
}
