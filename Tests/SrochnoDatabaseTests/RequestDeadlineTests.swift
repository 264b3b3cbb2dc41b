import Glibc
import SrochnoAPI
import SrochnoConfig
import SrochnoCore
import SrochnoPostgres
import SrochnoTelegramAuth
import SrochnoTestSupport
import Testing

/// A request's deadline (SROCHNO_REQUEST_TIMEOUT_MS) in the worker, below nginx's
/// fastcgi_read_timeout: a statement still running when it passes is cancelled and nothing
/// commits after it, so a 503 always means nothing was written.
@Suite struct RequestDeadlineTests {
    private func connection() throws -> PostgresConnection {
        try PostgresConnection(conninfo: try TestEnvironment.required("SROCHNO_TEST_DATABASE_URL"))
    }

    private func ledger(of userID: Int64) throws -> (balance: Int64?, entries: Int64?) {
        let result = try connection().execute(
            sql: """
                SELECT (SELECT balance FROM users WHERE id = $1::bigint),
                       (SELECT count(*) FROM balance_transactions WHERE user_id = $1::bigint)
                """, [userID])
        return (result.int(0, 0), result.int(0, 1))
    }

    /// The recharge is one autocommit statement: it must be cancelled, not left to commit
    /// once the lock it waits for is released.
    @Test func aStatementStillWaitingAtTheDeadlineIsCancelledAndNothingCommits() throws {
        let api = try InProcess.hmacAPI(["SROCHNO_DEV_RECHARGE": "on", "SROCHNO_REQUEST_TIMEOUT_MS": "300"])
        let userID = InProcess.uniqueUserID()
        let initData = InitDataSigner.hmac(
            botToken: try TestEnvironment.required("SROCHNO_TEST_BOT_TOKEN"), fields: InProcess.fields(userID: userID))
        #expect(api.handle(InProcess.request("GET", "/api/balance", initData: initData)).status == 200)

        let holder = try connection()
        try holder.execute(sql: "BEGIN")
        try holder.execute(sql: "SELECT 1 FROM users WHERE id = $1::bigint FOR UPDATE", [userID])
        let response = api.handle(InProcess.request("POST", "/api/balance/recharge", initData: initData, body: #"{"amount": 500}"#))
        try holder.execute(sql: "ROLLBACK")

        #expect(response.status == 503, "\(String(decoding: response.body, as: UTF8.self))")
        #expect(InProcess.detail(response) == "Service temporarily unavailable")
        usleep(200_000)  // had the statement not been cancelled, it would commit now
        let state = try ledger(of: userID)
        #expect(state.balance == 0)
        #expect(state.entries == 0)
        // The worker's connection is usable for the next request.
        let next = api.handle(InProcess.request("POST", "/api/balance/recharge", initData: initData, body: #"{"amount": 7}"#))
        #expect(next.status == 200)
        #expect(try ledger(of: userID).balance == 7)
    }

    /// A take waits for the order's lock inside its transaction; past the deadline the
    /// transaction is rolled back: no take, no charge.
    @Test func aTransactionPastTheDeadlineIsRolledBack() throws {
        let botToken = try TestEnvironment.required("SROCHNO_TEST_BOT_TOKEN")
        let api = try InProcess.hmacAPI(["SROCHNO_DEV_RECHARGE": "on", "SROCHNO_REQUEST_TIMEOUT_MS": "300"])
        let client = InProcess.uniqueUserID()
        let executor = InProcess.uniqueUserID()
        let clientData = InitDataSigner.hmac(botToken: botToken, fields: InProcess.fields(userID: client))
        let executorData = InitDataSigner.hmac(botToken: botToken, fields: InProcess.fields(userID: executor))
        let created = api.handle(
            InProcess.request(
                "POST", "/api/orders", initData: clientData,
                body: """
                    {"category": "Сантехника", "description": "Срочно нужен мастер, течёт труба под раковиной", "city": "Москва",
                     "contact": "+7 9\(Int.random(in: 100_000_000...999_999_999))"}
                    """))
        #expect(created.status == 201)
        let orderID = try #require(try InProcess.json(created)["id"]?.stringValue)
        #expect(
            api.handle(InProcess.request("POST", "/api/balance/recharge", initData: executorData, body: #"{"amount": 10}"#)).status == 200)

        let holder = try connection()
        try holder.execute(sql: "BEGIN")
        try holder.execute(sql: "SELECT 1 FROM orders WHERE id = $1 FOR UPDATE", [orderID])
        let take = api.handle(InProcess.request("POST", "/api/orders/\(orderID)/take", initData: executorData))
        try holder.execute(sql: "ROLLBACK")

        #expect(take.status == 503)
        usleep(200_000)
        let takes = try connection().execute(sql: "SELECT count(*) FROM executor_takes WHERE order_id = $1", [orderID])
        #expect(takes.int(0, 0) == 0)
        #expect(try ledger(of: executor).balance == 10)
        #expect(api.handle(InProcess.request("POST", "/api/orders/\(orderID)/take", initData: executorData)).status == 200)
    }

    /// nginx gives up after fastcgi_read_timeout; the worker's deadline must come first, with
    /// room for a COMMIT, in every nginx file that passes requests to the pool.
    @Test(arguments: ["nginx/srochno.conf", "nginx/dev.conf.template"])
    func nginxWaitsLongerThanTheWorkersDeadline(_ file: String) throws {
        let sqlDirectory = try TestEnvironment.required("SROCHNO_TEST_SQL_DIR")
        let repository = String(sqlDirectory.dropLast("/sql".count))
        let text = String(decoding: try #require(readWholeFile(repository + "/" + file), "cannot read \(file)"), as: UTF8.self)
        let timeouts = text.split(separator: "\n").compactMap { line -> Int? in
            let words = line.split(whereSeparator: { $0 == " " || $0 == ";" })
            guard words.count >= 2, words[0] == "fastcgi_read_timeout", words[1].hasSuffix("s") else { return nil }
            return Int(words[1].dropLast())
        }
        #expect(!timeouts.isEmpty, "\(file) sets no fastcgi_read_timeout")
        for seconds in timeouts {
            #expect(
                seconds * 1000 >= Settings.defaultRequestTimeoutMilliseconds + 2000,
                "\(file): fastcgi_read_timeout \(seconds)s leaves no room after the worker's \(Settings.defaultRequestTimeoutMilliseconds) ms deadline"
            )
        }
    }
}
