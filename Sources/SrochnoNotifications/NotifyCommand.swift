import Glibc
import SrochnoConfig
import SrochnoCore
import SrochnoPostgres
import SrochnoStore
import SrochnoSystem

/// The `main` of srochno-notify:
///
///     srochno-notify            the service: LISTEN srochno_notify, a pass on every NOTIFY, when
///                               an executor's wait ends and every SROCHNO_NOTIFY_SWEEP_SECONDS;
///                               SIGTERM or SIGINT ends it after the executor in hand (exit 0)
///     srochno-notify --once     one pass over everything due now, one summary line (a timer, by hand)
///     srochno-notify --status   the backlog in one line, nothing sent
///
/// Exit 0 when done, 1 on a failure (configuration, database unreachable or not migrated in
/// --once and --status, a Bot API that refuses the bot), 2 on a bad command line. The service
/// rides out a database outage (it reconnects, backing off up to 30 s) and ends on a refused bot
/// token, for systemd to start again (Restart=always) without dropping anyone's orders.
public enum NotifyCommand {
    public static let name = "srochno-notify"
    /// The channel the orders trigger notifies at commit.
    static let channel = "srochno_notify"

    enum Mode: Equatable {
        case service, once, status, version
    }

    static let usage = """
        usage: srochno-notify [--once | --status | --version]   (settings from SROCHNO_CONFIG and SROCHNO_* variables)
          (none)    run as a service: wake on each new order (LISTEN srochno_notify), when a wait ends, and
                    every SROCHNO_NOTIFY_SWEEP_SECONDS; stop on SIGTERM after the message in hand
          --once    send everything due now, print one summary line and exit
          --status  print the backlog (outbox, queued orders, their oldest ages) and exit
          --version print the release (VERSION) and exit
        """

    static func parse(_ arguments: [String]) -> Result<Mode, Usage> {
        switch arguments {
        case []: .success(.service)
        case ["--once"]: .success(.once)
        case ["--status"]: .success(.status)
        case ["--version"]: .success(.version)
        case ["-h"], ["--help"]: .failure(Usage(message: usage, isHelp: true))
        default: .failure(Usage(message: "unknown arguments \(arguments.joined(separator: " ")) (see --help)"))
        }
    }

    struct Usage: Error {
        let message: String
        var isHelp = false
    }

    public static func main(arguments: [String] = Array(CommandLine.arguments.dropFirst())) -> Never {
        let mode: Mode
        switch parse(arguments) {
        case .success(let parsed): mode = parsed
        case .failure(let usage):
            if usage.isHelp {
                print(usage.message)
                exit(0)
            }
            StandardError.write(line: "\(name): \(usage.message)")
            exit(2)
        }
        if mode == .version {
            print(BuildVersion.line(program: name))
            exit(0)
        }
        let settings: Settings
        let configuration: SenderConfiguration?
        do {
            settings = try ConfigLoader.load()
            configuration = SenderConfiguration(settings: settings)
        } catch {
            fail("configuration: \(error)")
        }
        let stop = mode == .service ? StopSignals() : nil
        let connection: PostgresConnection
        do {
            connection = try connect(settings, listen: mode == .service, stop: stop)
        } catch {
            fail("cannot connect to the database: \(error)")
        }
        if mode == .status { status(connection) }
        guard let configuration else { fail("configuration: the sender needs the bot token (SROCHNO_BOT_TOKEN or a bot-token credential)") }
        let sender: NotificationSender
        do {
            sender = try NotificationSender(
                connection: connection, configuration: configuration, clock: SystemSenderClock(), owner: leaseOwner(),
                log: { StandardError.write(line: "\(name): \($0)") })
        } catch {
            fail("\(error)")
        }
        if let stop {
            sender.shouldStop = stop.received
            SenderService(sender: sender, stop: stop).run()
        }
        let started = MonotonicClock.nanoseconds()
        do {
            let summary = try sender.runOnce()
            print(summaryLine(summary.fields, since: started))
            exit(0)
        } catch {
            fail("\(error)")
        }
    }

    /// The service waits for a database that is not up yet (systemd may start it first) until a
    /// stop signal; the one-shot modes fail at once.
    static func connect(_ settings: Settings, listen: Bool, stop: StopSignals?) throws -> PostgresConnection {
        let conninfo = withConnectionOptions(settings.databaseURL, connectTimeout: settings.connectTimeoutSeconds, applicationName: name)
        var setup = ["SET lock_timeout = '5s'", "SET statement_timeout = '60s'", "SET TIME ZONE 'UTC'"]
        if listen { setup.append("LISTEN \(channel)") }
        var attempt = 0
        while true {
            do {
                let connection = try PostgresConnection(conninfo: conninfo, statements: [], sessionSetup: setup)
                try verifySchema(connection)
                return connection
            } catch {
                guard let stop, !(error is SchemaNotMigrated) else { throw error }
                attempt += 1
                StandardError.write(line: "\(name): cannot connect to the database (\(error)), retrying")
                if !SenderService.pause(seconds: min(1 << min(attempt, 5), 30), stop: stop) { exit(0) }
            }
        }
    }

    /// The database lacks the notification tables: srochno-migrate has not run.
    struct SchemaNotMigrated: Error, CustomStringConvertible {
        var description: String { "the database schema is not migrated (no notification_outbox table): run srochno-migrate first" }
    }

    static func verifySchema(_ connection: PostgresConnection) throws {
        let found = try connection.execute(sql: "SELECT to_regclass('notification_outbox') IS NOT NULL")
        guard found.bool(0, 0) == true else { throw SchemaNotMigrated() }
    }

    /// `--status`: one line of figures, ages in whole seconds.
    static func status(_ connection: PostgresConnection) -> Never {
        do {
            let now = systemNow()
            let backlog = try NotificationBook.backlog(connection, now: now)
            func age(_ moment: Instant?) -> String { "\(moment.map { max(0, now.seconds - $0.seconds) } ?? 0)s" }
            let fields = [
                ("outbox", "\(backlog.outbox)"), ("outbox_oldest_age", age(backlog.oldestOutbox)), ("queued", "\(backlog.queued)"),
                ("queued_oldest_age", age(backlog.oldestQueued)), ("executors_due", "\(backlog.executorsDue)"),
                ("executors_leased", "\(backlog.executorsLeased)"), ("dropped_24h", "\(backlog.droppedLastDay)"),
            ]
            print("\(name): " + fields.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
            exit(0)
        } catch {
            fail("\(error)")
        }
    }

    static func summaryLine(_ fields: [(String, String)], since started: Int64) -> String {
        let milliseconds = Int((Double(MonotonicClock.nanoseconds() - started) / 1_000_000).rounded())
        return "\(name): " + (fields + [("duration", "\(milliseconds)ms")]).map { "\($0.0)=\($0.1)" }.joined(separator: " ")
    }

    /// Unique among senders on all hosts: the host name, the process id and 32 random bits.
    static func leaseOwner() -> String {
        var host = [CChar](repeating: 0, count: 256)
        gethostname(&host, host.count - 1)
        let random = secureRandomBytes(4).map { String($0, radix: 16) }.joined()
        let hostName = String(decoding: host.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "\(hostName)/\(getpid())/\(random)"
    }

    static func fail(_ message: String) -> Never {
        StandardError.write(line: "\(name): \(message)")
        exit(1)
    }
}
