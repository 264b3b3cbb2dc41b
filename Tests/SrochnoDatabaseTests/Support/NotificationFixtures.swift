import Glibc
@testable import SrochnoStore
import SrochnoBotAPI
import SrochnoCore
import SrochnoNotifications
import SrochnoPostgres
import SrochnoSystem
import SrochnoTestSupport

/// The wall clock a test moves by hand (an executor's wait of minutes passes in no time);
/// pacing (the send rate, retry_after) runs on the real monotonic clock.
final class TestSenderClock: SenderClock, @unchecked Sendable {
    private let lock = Lock()
    private var wall: Instant

    init(_ start: Instant) { wall = start }

    func now() -> Instant { lock.locked { wall } }
    func set(_ moment: Instant) { lock.locked { wall = moment } }
    func monotonicNanoseconds() -> Int64 { MonotonicClock.nanoseconds() }
    func sleep(nanoseconds: Int64) { SystemSenderClock().sleep(nanoseconds: nanoseconds) }
}

/// Executors, orders and in-process senders for the notification tests, on a scratch database.
enum NotificationFixtures {
    static let botToken = "4242:notify-test_token"
    static let botUsername = "SrochnoTestBot"

    /// Turns `user`'s notifications on or off with these preferences, as the settings routes do.
    static func subscribe(
        _ db: PostgresConnection, _ user: Int64, categories: [String] = ["Сантехника"], cities: [String] = ["Москва"],
        frequency: Int = 5, enabled: Bool = true
    ) throws {
        try db.run(UpdatePreferences(userID: user, categories: categories, cities: cities))
        try db.run(UpdateNotificationSettings(userID: user, enabled: enabled, frequency: Int64(frequency)))
    }

    /// A sender in this process, on its own connection, sending to `botAPI` at `rate`.
    static func sender(
        _ scratch: ScratchDatabase, botAPI: String, clock: TestSenderClock, owner: String = "test-sender", rate: Int = 1000,
        leaseSeconds: Int = 60, giveUpMinutes: Int = 60, username: String? = botUsername, log: LogLines = LogLines()
    ) throws -> NotificationSender {
        let configuration = SenderConfiguration(
            botAPI: BotAPIConfiguration(token: botToken, baseURL: botAPI, connectTimeoutMilliseconds: 1000, totalTimeoutMilliseconds: 2000),
            botUsername: username, rate: rate, sweepSeconds: 1, leaseSeconds: leaseSeconds, giveUpMinutes: giveUpMinutes)
        let connection = try PostgresConnection(
            conninfo: scratch.conninfo, statements: NotificationBook.statements, sessionSetup: ["SET TIME ZONE 'UTC'"])
        return try NotificationSender(connection: connection, configuration: configuration, clock: clock, owner: owner, log: log.append)
    }

    static func queued(_ db: PostgresConnection, _ user: Int64) throws -> Int64 {
        try db.integer("SELECT count(*) FROM notification_queue WHERE user_id = $1::bigint", [user])
    }

    static func drops(_ db: PostgresConnection, _ user: Int64, reason: String) throws -> Int64 {
        try db.integer(
            "SELECT COALESCE(sum(orders), 0) FROM notification_drops WHERE user_id = $1::bigint AND reason = $2", [user, reason])
    }

    /// The executor's delivery state: consecutive failures and the next moment (epoch µs).
    static func state(_ db: PostgresConnection, _ user: Int64) throws -> (attempts: Int64, nextAt: Int64, pending: Bool)? {
        let result = try db.execute(
            sql: "SELECT attempts, epoch_us(next_at), pending FROM notification_state WHERE user_id = $1::bigint", [user])
        guard result.rowCount == 1 else { return nil }
        return (result.int(0, 0) ?? -1, result.int(0, 1) ?? -1, result.bool(0, 2) ?? false)
    }

    static func notificationsEnabled(_ db: PostgresConnection, _ user: Int64) throws -> Bool {
        try db.execute(sql: "SELECT notifications_enabled FROM users WHERE id = $1::bigint", [user]).bool(0, 0) ?? false
    }
}
