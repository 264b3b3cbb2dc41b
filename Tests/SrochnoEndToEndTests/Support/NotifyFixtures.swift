import Glibc
import SrochnoCore
import SrochnoTestSupport
import Testing

/// The notification sender as the end-to-end tests run it: the release `srochno-notify` started
/// as a subprocess with the stack's own config (SROCHNO_CONFIG=$SROCHNO_TEST_CONFIG) and, on top,
/// SROCHNO_BOT_API_URL pointing at the test's own `FakeBotAPI` on a free loopback port, so it
/// never competes with the payment tests for the fixed fake port. Senders drain the one shared
/// outbox, so only `NotificationDeliveryTests` (one serialized suite) starts them; each test
/// looks only at messages to its own users.
struct NotifyStack {
    static let botUsername = "SrochnoTestBot"

    let stack: TestStack
    let configPath: String
    let binary: String

    init() throws {
        stack = try TestStack()
        configPath = try TestStack.required("SROCHNO_TEST_CONFIG")
        binary = try TestStack.required("SROCHNO_TEST_NOTIFY_BIN")
    }

    /// A fake Bot API that knows the stack's bot token, on any free port.
    func fakeBotAPI() throws -> FakeBotAPI {
        try FakeBotAPI(token: stack.botToken, lifetimeMilliseconds: 300_000)
    }

    private func environment(_ botAPI: FakeBotAPI, _ settings: [String: String]) -> [String] {
        let base = [
            "SROCHNO_CONFIG": configPath, "SROCHNO_BOT_API_URL": botAPI.baseURL, "SROCHNO_BOT_USERNAME": Self.botUsername,
            "SROCHNO_NOTIFY_SWEEP_SECONDS": "1",
        ]
        return ["PATH=/usr/bin:/bin"]
            + base.merging(settings) { _, given in given }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    /// Starts the service; it runs until the test signals it or the value goes away.
    func startSender(_ botAPI: FakeBotAPI, settings: [String: String] = [:]) throws -> BackgroundProcess {
        let process = try BackgroundProcess(binary, environment: environment(botAPI, settings))
        // Listening before the test posts anything: the first line says so.
        try pollUntil(seconds: 10, "srochno-notify to start listening: \(process.standardError)") {
            process.standardError.contains("listening on srochno_notify")
        }
        return process
    }

    /// Runs `srochno-notify ARGUMENTS` to its end.
    func run(_ arguments: [String], _ botAPI: FakeBotAPI) throws -> ProcessOutcome {
        try runProcess(binary, arguments, environment: environment(botAPI, [:]), timeoutSeconds: 60)
    }

    /// A user with notifications on, every `frequency` minutes, for `category` in `city`.
    func subscribe(_ user: TestUser, category: String, city: String, frequency: Int = 5, enabled: Bool = true) throws {
        let preferences = try stack.client.put(
            "/api/users/me/preferences", json: #"{"categories": ["\#(category)"], "cities": ["\#(city)"]}"#, as: user)
        let settings = try stack.client.put(
            "/api/users/me/notification-settings", json: #"{"enabled": \#(enabled), "frequency": \#(frequency)}"#, as: user)
        guard preferences.status == 200, settings.status == 200 else {
            throw HTTPClientError(description: "subscribing failed: \(preferences.status) \(settings.status)")
        }
    }

    /// A small city of its own for each test, so executors left subscribed by an earlier test
    /// are rarely in it (assertions look only at the test's own chats anyway).
    static func quietCity() -> String {
        ["Абдулино", "Агидель", "Агрыз", "Адыгейск", "Азнакаево", "Ак-Довурак", "Алагир", "Алапаевск", "Алатырь", "Абинск"]
            .randomElement()!
    }
}

/// Polls `condition` every 50 ms until it holds; throws after `seconds`.
func pollUntil(seconds: Double, _ what: @autoclosure () -> String, _ condition: () throws -> Bool) throws {
    let deadline = time(nil) + Int(seconds.rounded(.up))
    while time(nil) <= deadline {
        if try condition() { return }
        usleep(50_000)
    }
    throw HTTPClientError(description: "timed out waiting for \(what())")
}

/// CLOCK_MONOTONIC in nanoseconds, the clock `FakeBotAPI` stamps calls with.
func monotonicNanoseconds() -> Int64 {
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
}
