import CLibPQ
import Glibc

/// One libpq connection that prepares a fixed set of statements on connect and transparently
/// reconnects (and re-prepares) on the next use after the server dropped it.
///
/// Not thread-safe and not `Sendable`: each worker process owns exactly one.
public final class PostgresConnection {
    private let conninfo: String
    private let statements: [PreparedStatement]
    private let sessionSetup: [String]
    private var handle: OpaquePointer?
    /// Names prepared on the current session; statements outside `statements` are prepared
    /// on first use.
    private var prepared: Set<String> = []

    /// Connects, runs `sessionSetup` (e.g. `SET statement_timeout …`) and prepares
    /// `statements`; both are repeated after every reconnect. Throws when the server is
    /// unreachable or a statement does not prepare (e.g. the schema is not migrated).
    public init(conninfo: String, statements: [PreparedStatement] = [], sessionSetup: [String] = []) throws(PostgresError) {
        self.conninfo = conninfo
        self.statements = statements
        self.sessionSetup = sessionSetup
        try connect()
    }

    deinit {
        if let handle { PQfinish(handle) }
    }

    public var isConnected: Bool {
        guard let handle else { return false }
        return PQstatus(handle) == CONNECTION_OK
    }

    /// The caller's deadline for what it sends (a request's, in the API worker): past it no
    /// statement is sent and no transaction commits, and a statement still running when it
    /// passes is cancelled, so work the client was already told failed is rolled back. Nil:
    /// only the session's statement_timeout bounds a statement.
    public var deadline: Deadline?

    /// True while `transaction` runs its body: a connection lost then must fail the
    /// transaction, never be silently replaced by a fresh one in autocommit mode.
    private var inTransaction = false

    /// Opens a connection if there is none or the current one broke. Outside a transaction
    /// it also notices a connection the server closed while it sat idle (a restart sends a
    /// FATAL message and closes the socket), so the next statement goes to a live session
    /// instead of failing.
    public func ensureConnected() throws(PostgresError) {
        if inTransaction {
            guard isConnected else {
                throw PostgresError(kind: .connection, message: "connection lost during a transaction")
            }
            return
        }
        if isConnected, let handle, serverClosedIdleConnection(handle) {
            PQfinish(handle)
            self.handle = nil
        }
        if !isConnected { try connect() }
    }

    /// An idle connection has nothing to read unless the server sent a notice or gave up on
    /// it; reading everything that is there tells which. A server shutting down sends its
    /// FATAL message and then closes, and one read may see only the message, so this reads
    /// until the socket has nothing more.
    private func serverClosedIdleConnection(_ connection: OpaquePointer) -> Bool {
        var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
        while poll(&descriptor, 1, 0) > 0 {
            if PQconsumeInput(connection) == 0 || PQstatus(connection) != CONNECTION_OK { return true }
        }
        return false
    }

    /// Waits up to `timeoutMilliseconds` for a `NOTIFY` on a channel this session listens to and
    /// returns what arrived, oldest first; empty when the time passed first. Put `LISTEN` in
    /// `sessionSetup`, so that a reconnect listens again; a notification sent while the session
    /// was gone is lost, so a caller that must not miss work also looks for it on its own from
    /// time to time. Notifications that arrived while statements ran are returned at once.
    /// Not inside a transaction. A connection that breaks while waiting throws `.connection`,
    /// and the next call reconnects.
    public func waitForNotifications(timeoutMilliseconds: Int) throws(PostgresError) -> [PostgresNotification] {
        precondition(!inTransaction, "waiting for notifications inside a transaction")
        try ensureConnected()
        guard let handle else { throw PostgresError(kind: .connection, message: "listen: no connection") }
        let received = PostgresNotification.drain(handle)
        if !received.isEmpty || timeoutMilliseconds <= 0 { return received }
        let deadline = Deadline.after(milliseconds: timeoutMilliseconds)
        while true {
            let remaining = deadline.remainingMilliseconds
            if remaining == 0 { return [] }
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining, Int(Int32.max))))
            if ready < 0 {
                if errno == EINTR { continue }
                throw PostgresError(kind: .connection, message: "listen: poll failed: \(errno)")
            }
            if ready == 0 { continue }
            guard PQconsumeInput(handle) == 1, PQstatus(handle) == CONNECTION_OK else {
                throw PostgresError(kind: .connection, message: "listen: \(Self.errorMessage(handle))")
            }
            let arrived = PostgresNotification.drain(handle)
            if !arrived.isEmpty { return arrived }
        }
    }

    private func connect() throws(PostgresError) {
        if let old = handle {
            PQfinish(old)
            handle = nil
        }
        guard let connection = PQconnectdb(conninfo) else {
            throw PostgresError(kind: .connection, message: "out of memory creating a connection")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = Self.errorMessage(connection)
            PQfinish(connection)
            throw PostgresError(kind: .connection, message: message)
        }
        handle = connection
        prepared = []
        for sql in sessionSetup {
            try check(PQexec(connection, sql), context: "session setup")
        }
        for statement in statements {
            try prepare(statement)
        }
    }

    /// Executes a prepared statement. A broken connection is reconnected once before the
    /// statement is sent; a failure while sending it is reported, never silently retried,
    /// because the server might have applied it.
    @discardableResult
    public func execute(_ statement: PreparedStatement, _ parameters: [any PostgresParameter] = []) throws(PostgresError) -> PostgresResult
    {
        try ensureConnected()
        if !prepared.contains(statement.name) { try prepare(statement) }
        let texts = parameters.map { $0.postgresText }
        return try run(statement.name) { handle in
            withCStrings(texts) { pointers in
                PQsendQueryPrepared(handle, statement.name, Int32(pointers.count), pointers, nil, nil, 0)
            }
        }
    }

    private func prepare(_ statement: PreparedStatement) throws(PostgresError) {
        _ = try run("prepare \(statement.name)") { handle in PQsendPrepare(handle, statement.name, statement.sql, 0, nil) }
        prepared.insert(statement.name)
    }

    /// Runs SQL that is not prepared: transaction control, migrations, maintenance, tests.
    /// Without parameters the text may hold several statements; with them, exactly one.
    @discardableResult
    public func execute(sql: String, _ parameters: [any PostgresParameter] = []) throws(PostgresError) -> PostgresResult {
        try execute(sql: sql, parameters, deadline: .cancelAtDeadline)
    }

    /// How a statement treats `deadline`.
    enum DeadlineUse {
        /// Not sent once it passed; cancelled if still running when it passes.
        case cancelAtDeadline
        /// Not sent once it passed, but never cancelled: COMMIT, whose outcome must be known.
        case sendBeforeDeadline
        /// Always sent and awaited: ROLLBACK and restoring session settings.
        case ignore
    }

    @discardableResult
    private func execute(sql: String, _ parameters: [any PostgresParameter], deadline use: DeadlineUse) throws(PostgresError)
        -> PostgresResult
    {
        try ensureConnected()
        if parameters.isEmpty {
            return try run("query", use) { handle in PQsendQuery(handle, sql) }
        }
        let texts = parameters.map { $0.postgresText }
        return try run("query", use) { handle in
            withCStrings(texts) { pointers in
                PQsendQueryParams(handle, sql, Int32(pointers.count), nil, pointers, nil, nil, 0)
            }
        }
    }

    /// Restores a session setting whatever the deadline says (see `DeadlineUse.ignore`).
    public func restoreSetting(sql: String) throws(PostgresError) {
        try execute(sql: sql, [], deadline: .ignore)
    }

    /// Sends with `send` and waits for every result, keeping the first error or else the last
    /// result, as `PQexec` does, but within `deadline`.
    private func run(_ context: String, _ use: DeadlineUse = .cancelAtDeadline, send: (OpaquePointer) -> Int32) throws(PostgresError)
        -> PostgresResult
    {
        guard let handle else { throw PostgresError(kind: .connection, message: "\(context): no connection") }
        if use != .ignore, let deadline, deadline.hasPassed {
            throw PostgresError(
                kind: .server, sqlState: PostgresError.queryCanceled,
                message: "\(context): not sent, the deadline had passed")
        }
        guard send(handle) == 1 else { return try check(nil, context: context) }
        if use == .cancelAtDeadline, let deadline, !waitForResult(handle, until: deadline) {
            cancelRunningStatement(handle)
        }
        var outcome: Result<PostgresResult, PostgresError>?
        while let raw = PQgetResult(handle) {
            let current = Result { () throws(PostgresError) in try check(raw, context: context) }
            if case .failure? = outcome { continue }
            outcome = current
        }
        guard let outcome else { return try check(nil, context: context) }
        return try outcome.get()
    }

    /// Waits until a whole result can be read without blocking; false when `deadline` passed
    /// first. A broken connection counts as ready: reading the result reports it.
    private func waitForResult(_ handle: OpaquePointer, until deadline: Deadline) -> Bool {
        while PQisBusy(handle) != 0 {
            let remaining = deadline.remainingMilliseconds
            if remaining == 0 { return false }
            var descriptor = pollfd(fd: PQsocket(handle), events: Int16(POLLIN), revents: 0)
            let ready = poll(&descriptor, 1, Int32(min(remaining, Int(Int32.max))))
            if ready < 0 && errno != EINTR { return true }
            if ready > 0 && PQconsumeInput(handle) == 0 { return true }
        }
        return true
    }

    /// Asks the server to cancel the statement in flight; its result is then an error
    /// (SQLSTATE 57014) or, had it just finished, its ordinary result.
    private func cancelRunningStatement(_ handle: OpaquePointer) {
        guard let cancel = PQgetCancel(handle) else { return }
        defer { PQfreeCancel(cancel) }
        var message = [CChar](repeating: 0, count: 256)
        _ = PQcancel(cancel, &message, Int32(message.count))
    }

    /// Runs `body` in a transaction; commits when it returns, rolls back when it throws.
    /// A serialization failure or deadlock is retried a few times with the whole body.
    public func transaction<T>(isolation: String = "READ COMMITTED", _ body: () throws -> T) throws -> T {
        var attempt = 0
        while true {
            attempt += 1
            try execute(sql: "BEGIN ISOLATION LEVEL \(isolation)")
            inTransaction = true
            defer { inTransaction = false }
            do {
                let value = try body()
                try execute(sql: "COMMIT", [], deadline: .sendBeforeDeadline)
                return value
            } catch let error as PostgresError where error.isRetryable && attempt < 5 {
                rollbackQuietly()
            } catch {
                rollbackQuietly()
                throw error
            }
        }
    }

    private func rollbackQuietly() {
        guard isConnected else { return }
        _ = try? execute(sql: "ROLLBACK", [], deadline: .ignore)
    }

    @discardableResult
    private func check(_ result: OpaquePointer?, context: String) throws(PostgresError) -> PostgresResult {
        guard let result else {
            let message = handle.map(Self.errorMessage) ?? "no connection"
            throw PostgresError(kind: .connection, message: "\(context): \(message)")
        }
        let owned = PostgresResult(handle: result)
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return owned
        default:
            let sqlState = field(result, DiagnosticField.sqlState)
            let broken = handle.map { PQstatus($0) != CONNECTION_OK } ?? true
            throw PostgresError(
                kind: broken ? .connection : .server,
                sqlState: sqlState,
                message: field(result, DiagnosticField.primaryMessage) ?? String(cString: PQresultErrorMessage(result)),
                constraint: field(result, DiagnosticField.constraintName)
            )
        }
    }

    private func field(_ result: OpaquePointer, _ code: Int32) -> String? {
        PQresultErrorField(result, code).map { String(cString: $0) }
    }

    private static func errorMessage(_ connection: OpaquePointer) -> String {
        String(cString: PQerrorMessage(connection)).split(separator: "\n").joined(separator: " ")
    }
}

/// Hands libpq an array of C strings (NULL for SQL NULL) that lives for the duration of `body`.
private func withCStrings<R>(_ texts: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    let storage: [UnsafeMutablePointer<CChar>?] = texts.map { $0.map { strdup($0) } ?? nil }
    defer { storage.forEach { free($0) } }
    return body(storage.map { $0.map { UnsafePointer($0) } })
}

/// libpq's `PG_DIAG_*` codes are character macros that Swift does not import.
private enum DiagnosticField {
    static let sqlState = Int32(UInt8(ascii: "C"))
    static let primaryMessage = Int32(UInt8(ascii: "M"))
    static let constraintName = Int32(UInt8(ascii: "n"))
}
