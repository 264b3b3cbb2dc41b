import Glibc
import SrochnoCore
import SrochnoPostgres
import SrochnoTelegramAuth

/// The running stack that scripts/test started: nginx in front of the worker pool, and the
/// database behind it. Missing settings fail the test; nothing here ever skips.
struct TestStack: Sendable {
    struct NotConfigured: Error, CustomStringConvertible {
        let name: String
        var description: String { "\(name) is not set: run the tests through scripts/test, which starts the stack" }
    }

    let host: String
    let port: UInt16
    let databaseURL: String
    let adminDatabaseURL: String
    let templateDatabase: String
    let botToken: String
    let workersPID: Int32

    /// The value scripts/test gave the environment variable `name`; throws when it is missing
    /// or empty, so a test run outside scripts/test fails instead of skipping.
    static func required(_ name: String) throws -> String {
        guard let value = getenv(name).map({ String(cString: $0) }), !value.isEmpty else { throw NotConfigured(name: name) }
        return value
    }

    init() throws {
        let required = Self.required
        let base = try required("SROCHNO_TEST_BASE_URL")  // http://127.0.0.1:18080
        let hostPort = base.split(separator: "/").last.map(String.init) ?? ""
        let parts = hostPort.split(separator: ":")
        guard parts.count == 2, let port = UInt16(parts[1]) else { throw NotConfigured(name: "SROCHNO_TEST_BASE_URL (http://HOST:PORT)") }
        host = String(parts[0])
        self.port = port
        databaseURL = try required("SROCHNO_TEST_DATABASE_URL")
        adminDatabaseURL = try required("SROCHNO_TEST_ADMIN_DATABASE_URL")
        templateDatabase = try required("SROCHNO_TEST_TEMPLATE_DATABASE")
        botToken = try required("SROCHNO_TEST_BOT_TOKEN")
        guard let pid = Int32(try required("SROCHNO_TEST_WORKERS_PID")) else { throw NotConfigured(name: "SROCHNO_TEST_WORKERS_PID") }
        workersPID = pid
    }

    var client: HTTPClient { HTTPClient(host: host, port: port) }

    /// A new connection to the stack's database, for arranging and checking state.
    func database() throws -> PostgresConnection {
        try PostgresConnection(conninfo: databaseURL)
    }
}

/// A Telegram user with a unique id for this test run, and a fresh signed initData.
struct TestUser: Sendable {
    let id: Int64
    let firstName: String
    let botToken: String

    init(_ stack: TestStack, firstName: String = "Тест") {
        id = Int64.random(in: 1_000_000_000...8_000_000_000)
        self.firstName = firstName
        botToken = stack.botToken
    }

    func initData(authDate: Int64 = Int64(time(nil)), firstName: String? = nil) -> String {
        InitDataSigner.hmac(
            botToken: botToken,
            fields: [
                ("query_id", "AAH\(id)"),
                ("user", InitDataSigner.userJSON(id: id, firstName: firstName ?? self.firstName, username: "u\(id)", languageCode: "ru")),
                ("auth_date", String(authDate)),
            ])
    }

    var authorization: (String, String) { ("Authorization", "Bearer " + initData()) }
}
