public import SrochnoConfig
import SrochnoCore
public import SrochnoPostgres
import SrochnoSystem

/// Everything the API reads and writes, over one lazily (re)connected PostgreSQL connection:
/// typed statements, their transactions, the users-row sync and the settlement of due
/// transitions. No HTTP here: operations return values, and expected refusals as
/// `OrderRefusal` or `ReviewRefusal`, which the API maps to status codes.
///
/// One per worker process, like its connection; nothing survives between requests but the
/// settings, the connection and data that never changes at run time (the city list).
public final class Store {
    let settings: Settings
    private var connection: PostgresConnection?
    private var cachedCities: CityCatalog?
    /// Statements whose SQL is assembled per query shape (lists), by statement name.
    private var shapedStatements: [String: PreparedStatement] = [:]

    /// The deadline of the request being served; every statement honours it (see
    /// `PostgresConnection.deadline`). Nil between requests.
    public var deadline: Deadline? {
        didSet { connection?.deadline = deadline }
    }

    public init(settings: Settings) {
        self.settings = settings
    }

    /// The connection, opened on first use; each statement reconnects it after the server
    /// dropped it.
    func database() throws -> PostgresConnection {
        if let connection { return connection }
        let opened = try PostgresConnection(
            conninfo: withConnectionOptions(
                settings.databaseURL, connectTimeout: settings.connectTimeoutSeconds,
                applicationName: "srochno-fcgi"),
            statements: Self.statements,
            sessionSetup: [
                "SET statement_timeout = \(settings.statementTimeoutMilliseconds)",
                "SET lock_timeout = \(settings.statementTimeoutMilliseconds)",
                "SET TIME ZONE 'UTC'",
                // Statements are planned once per session: with custom plans PostgreSQL planned
                // the order list anew on every execution (30 % of all CPU in a profile), as
                // its estimate for an unknown LIMIT never lets the generic plan win.
                // `withCustomPlans` lifts this for the few statements that need their values.
                "SET plan_cache_mode = \(Self.sessionPlanCacheMode)",
                "SET jit = off",  // short OLTP statements: compiling them costs more than it saves
            ]
        )
        opened.deadline = deadline
        connection = opened
        return opened
    }

    static let sessionPlanCacheMode = "force_generic_plan"

    /// Runs `body` with plans made for its parameter values, as PostgreSQL's default does.
    func withCustomPlans<T>(_ db: PostgresConnection, _ body: () throws -> T) throws -> T {
        try db.execute(sql: "SET plan_cache_mode = auto")
        defer { _ = try? db.restoreSetting(sql: "SET plan_cache_mode = \(Self.sessionPlanCacheMode)") }
        return try body()
    }

    /// The statement for one list shape, assembled once per worker and prepared on first use.
    func shapedStatement(named name: String, _ assemble: () -> PreparedStatement) -> PreparedStatement {
        if let statement = shapedStatements[name] { return statement }
        let statement = assemble()
        shapedStatements[name] = statement
        return statement
    }

    /// Prepared on connect: every fixed statement of the request path.
    static let statements: [PreparedStatement] = [
        UserIsCurrent.statement, SyncUser.statement, ProfileOfUser.statement, PreferencesOfUser.statement,
        UpdatePreferences.statement, NotificationSettingsOfUser.statement, UpdateNotificationSettings.statement,
        AllCities.statement,
        BalanceOfUser.statement, Recharge.statement, LedgerPage.statement,
        OrderByID.plain, OrderByID.forViewer, OrderByID.locked, OrderByID.lockedForViewer, SettleOrders.statement,
        ClaimContact.statement, ActiveOrderCount.statement, InsertOrder.statement, UpdateOrder.statement,
        MarkDeleted.statement, MarkResponded.statement, FinishOrder.statement, TakeAndCharge.statement,
        InsertReview.statement, TakeExists.statement, InsertComplaint.statement, FeedbackSubmitted.statement,
        MetricsFigures.statement,
    ]

    /// Whether the database answers a trivial query now.
    public func isReachable() -> Bool {
        (try? database().execute(sql: "SELECT 1")) != nil
    }

    /// The city list, read once: it changes only with a migration, which restarts workers.
    public func cities() throws -> CityCatalog {
        if let cachedCities { return cachedCities }
        let catalog = CityCatalog(names: try database().query(AllCities()))
        cachedCities = catalog
        return catalog
    }
}

/// The cities, in list order, with lower-cased names for case-insensitive search.
public struct CityCatalog: Sendable {
    public let names: [String]
    private let lowercased: [String]
    private let known: Set<String>

    init(names: [String]) {
        self.names = names
        lowercased = names.map { $0.lowercased() }
        known = Set(names)
    }

    public func contains(_ name: String) -> Bool { known.contains(name) }

    public func search(_ text: String) -> [String] {
        let needle = text.lowercased()
        return zip(names, lowercased).filter { $0.1.contains(needle) }.map(\.0)
    }
}
