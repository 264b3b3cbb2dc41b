public import SrochnoCore
import SrochnoPostgres
import SrochnoTelegramAuth

/// The whole HTTP API of one worker: routing, CORS, authentication and error mapping over one
/// lazily (re)connected PostgreSQL connection. Nothing survives between requests except the
/// settings, the connection and data that never changes at run time (the city list).
public final class API {
    let settings: Settings
    let verifier: InitDataVerifier
    let clock: () -> Instant
    private let cors: CORSPolicy
    private let router: Router
    private var connection: PostgresConnection?
    /// The deadline of the request being handled, given to the connection with every use.
    private var requestDeadline: Deadline?
    private var cachedCities: CityCatalog?
    /// Statements whose SQL is assembled per query shape (lists), by statement name.
    private var shapedStatements: [String: PreparedStatement] = [:]

    public init(settings: Settings, clock: @escaping () -> Instant = systemNow) throws(ConfigurationError) {
        self.settings = settings
        self.clock = clock
        do {
            verifier = try InitDataVerifier(
                mode: settings.authMode,
                botToken: settings.botToken,
                botID: settings.botID,
                publicKeyHex: settings.telegramPublicKey,
                maxAgeSeconds: settings.authMaxAgeSeconds
            )
        } catch {
            throw ConfigurationError(error.message)
        }
        cors = CORSPolicy(origins: settings.corsOrigins)
        router = Self.makeRouter()
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        if cors.isPreflight(request) { return cors.preflightResponse(request) }
        requestDeadline = .after(milliseconds: settings.requestTimeoutMilliseconds)
        defer {
            requestDeadline = nil
            connection?.deadline = nil
        }
        let context = RequestContext(request: request, now: clock())
        var response = route(context)
        cors.apply(to: &response, for: request)
        // What answers a signed request (contacts, balances, the caller's own lists) must not
        // be kept by any cache on the way, shared or private.
        if request.header("authorization") != nil { response.headers.append(("Cache-Control", "no-store")) }
        if let userID = context.userID { response.headers.append(("X-Srochno-User", String(userID))) }
        if request.method == "HEAD" { response.omitsBody = true }
        return response
    }

    private func route(_ context: RequestContext) -> HTTPResponse {
        switch router.match(method: context.request.method, path: context.request.path) {
        case .notFound:
            return APIError.notFound.response
        case .wrongMethod(let allowed):
            var response = APIError.methodNotAllowed.response
            response.headers.append(("Allow", allowed.joined(separator: ", ")))
            return response
        case .found(let handler, let parameters):
            context.pathParameters = parameters
            do {
                return try handler(self, context)
            } catch let error as APIError {
                return error.response
            } catch let error as PostgresError where error.isUnavailable {
                logLine("srochno: database unavailable: \(error)")
                return APIError.unavailable.response
            } catch {
                logLine("srochno: internal error on \(context.request.method) \(context.request.path): \(error)")
                return APIError.internalError.response
            }
        }
    }

    /// The worker's connection, opened on first use; each statement reconnects it after the
    /// server dropped it.
    func database() throws -> PostgresConnection {
        if let connection {
            connection.deadline = requestDeadline
            return connection
        }
        let opened = try PostgresConnection(
            conninfo: withConnectionOptions(settings.databaseURL, connectTimeout: settings.connectTimeoutSeconds),
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
        opened.deadline = requestDeadline
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

    /// The city list, read once: it changes only with a migration, which restarts workers.
    func cities() throws -> CityCatalog {
        if let cachedCities { return cachedCities }
        let result = try database().execute(CityQueries.all)
        let catalog = CityCatalog(names: (0..<result.rowCount).compactMap { result.string($0, 0) })
        cachedCities = catalog
        return catalog
    }

    /// The statement for one list shape, assembled once per worker and prepared on first use.
    func shapedStatement(named name: String, _ assemble: () -> PreparedStatement) -> PreparedStatement {
        if let statement = shapedStatements[name] { return statement }
        let statement = assemble()
        shapedStatements[name] = statement
        return statement
    }

    static let statements: [PreparedStatement] =
        UserQueries.all + CityQueries.statements + BalanceQueries.all + OrderQueries.all + ReviewQueries.all

    /// Every route the API serves, as (method, pattern) with `{}` for a path parameter (HEAD
    /// is served wherever GET is). The OpenAPI document must describe exactly these.
    public static var routeList: [(method: String, pattern: String)] { makeRouter().routeList }

    private static func makeRouter() -> Router {
        var router = Router()
        router.add("GET", "/health", { api, context in api.health(context) })
        router.add("GET", "/api/openapi.json", { api, context in api.openAPIDocument(context) })
        router.add("GET", "/api/cities", { api, context in try api.listCities(context) })
        router.add("GET", "/api/users/me", { api, context in try api.profile(context) })
        router.add("GET", "/api/users/me/preferences", { api, context in try api.preferences(context) })
        router.add("PUT", "/api/users/me/preferences", { api, context in try api.updatePreferences(context) })
        router.add("GET", "/api/users/me/notification-settings", { api, context in try api.notificationSettings(context) })
        router.add("PUT", "/api/users/me/notification-settings", { api, context in try api.updateNotificationSettings(context) })
        router.add("GET", "/api/balance", { api, context in try api.balance(context) })
        router.add("POST", "/api/balance/recharge", { api, context in try api.recharge(context) })
        router.add("GET", "/api/balance/transactions", { api, context in try api.transactions(context) })
        router.add("POST", "/api/orders", { api, context in try api.createOrder(context) })
        router.add("GET", "/api/orders", { api, context in try api.listOrders(context) })
        router.add("GET", "/api/orders/{}", { api, context in try api.getOrder(context) })
        router.add("PUT", "/api/orders/{}", { api, context in try api.updateOrder(context) })
        router.add("DELETE", "/api/orders/{}", { api, context in try api.deleteOrder(context) })
        router.add("POST", "/api/orders/{}/take", { api, context in try api.takeOrder(context) })
        router.add("POST", "/api/orders/{}/respond", { api, context in try api.respondToOrder(context) })
        router.add("POST", "/api/orders/{}/close", { api, context in try api.closeOrder(context) })
        router.add("POST", "/api/orders/{}/complete", { api, context in try api.completeOrder(context) })
        router.add("GET", "/api/reviews/check", { api, context in try api.reviewCheck(context) })
        router.add("POST", "/api/reviews/client", { api, context in try api.reviewExecutor(context) })
        router.add("POST", "/api/reviews/executor", { api, context in try api.complainAboutClient(context) })
        router.add("GET", "/api/reviews", { api, context in try api.listReviews(context) })
        return router
    }
}

/// Adds a connect timeout (so a dead host cannot hang a worker) and an application name to
/// either form of libpq connection string.
func withConnectionOptions(_ conninfo: String, connectTimeout: Int) -> String {
    let options = [("connect_timeout", String(connectTimeout)), ("application_name", "srochno-fcgi")]
    if conninfo.hasPrefix("postgres://") || conninfo.hasPrefix("postgresql://") {
        let query = options.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
        return conninfo + (conninfo.contains("?") ? "&" : "?") + query
    }
    return conninfo + options.map { " \($0.0)=\($0.1)" }.joined()
}

/// The cities, in list order, with lower-cased names for case-insensitive search.
struct CityCatalog {
    let names: [String]
    private let lowercased: [String]
    private let known: Set<String>

    init(names: [String]) {
        self.names = names
        lowercased = names.map { $0.lowercased() }
        known = Set(names)
    }

    func contains(_ name: String) -> Bool { known.contains(name) }

    func search(_ text: String) -> [String] {
        let needle = text.lowercased()
        return zip(names, lowercased).filter { $0.1.contains(needle) }.map(\.0)
    }
}
