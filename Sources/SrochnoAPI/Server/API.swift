public import SrochnoConfig
public import SrochnoCore
import SrochnoPostgres
import SrochnoStore
import SrochnoSystem
import SrochnoTelegramAuth

/// The whole HTTP API of one worker: the areas' routes over one store, with CORS,
/// authentication, the request deadline and error mapping around them.
public final class API {
    let settings: Settings
    let clock: () -> Instant
    private let store: Store
    private let cors: CORSPolicy
    private let router: Router

    /// `clock` is the wall clock unless a test injects another.
    public init(settings: Settings, clock: (() -> Instant)? = nil) throws(ConfigurationError) {
        self.settings = settings
        self.clock = clock ?? systemNow
        let verifier: InitDataVerifier
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
        store = Store(settings: settings)
        cors = CORSPolicy(origins: settings.corsOrigins)
        let auth = Authenticator(verifier: verifier, store: store)
        var router = Router()
        ServiceRoutes(store: store).register(into: &router)
        MetricsRoutes(store: store).register(into: &router)
        UserRoutes(store: store, auth: auth).register(into: &router)
        BalanceRoutes(store: store, auth: auth, devRecharge: settings.devRecharge).register(into: &router)
        PaymentRoutes(store: store, auth: auth, providers: PaymentProviders(settings: settings), cryptoPayToken: settings.cryptoPayToken)
            .register(into: &router)
        TelegramRoutes(store: store, webhookSecret: settings.telegramWebhookSecret).register(into: &router)
        OrderRoutes(store: store, auth: auth).register(into: &router)
        ReviewRoutes(store: store, auth: auth).register(into: &router)
        self.router = router
    }

    /// Every route the API serves, as (method, pattern) with `{}` for a path parameter (HEAD
    /// is served wherever GET is). The OpenAPI document must describe exactly these.
    public static var routeList: [(method: String, pattern: String)] {
        (ServiceRoutes.routeList + MetricsRoutes.routeList + UserRoutes.routeList + BalanceRoutes.routeList + PaymentRoutes.routeList
            + TelegramRoutes.routeList
            + OrderRoutes.routeList + ReviewRoutes.routeList)
            .map { ($0.method, anonymousParameters($0.pattern)) }
    }

    private static func anonymousParameters(_ pattern: String) -> String {
        pattern.split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.first == "{" && $0.last == "}" ? "{}" : String($0) }
            .joined(separator: "/")
    }

    public func handle(_ request: HTTPRequest) -> HTTPResponse {
        if cors.isPreflight(request) { return cors.preflightResponse(request) }
        store.deadline = .after(milliseconds: settings.requestTimeoutMilliseconds)
        defer { store.deadline = nil }
        let context = RequestContext(request: request, now: clock())
        var response = route(context)
        cors.apply(to: &response, for: request)
        // What answers a signed request (contacts, balances, the caller's own lists) must not
        // be kept by any cache on the way, shared or private.
        // (Everyone's lists send it themselves, signed or not: see `OrderRoutes.publicListHeaders`.)
        if request.header("authorization") != nil && !response.headers.contains(where: { $0.name == "Cache-Control" }) {
            response.headers.append(("Cache-Control", "no-store"))
        }
        response.userID = context.userID
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
                return try handler(context)
            } catch let error as APIError {
                return error.response
            } catch let error as PostgresError where error.isUnavailable {
                StandardError.write(line: "srochno: database unavailable: \(error)")
                var response = APIError.unavailable.response
                if context.keptForEveryone { response.headers += OrderRoutes.publicListHeaders(now: context.now) }
                return response
            } catch {
                StandardError.write(line: "srochno: internal error on \(context.request.method) \(context.request.path): \(error)")
                return APIError.internalError.response
            }
        }
    }

    /// Opens the connection and loads the city list before the first request arrives, so
    /// that request does not pay for it. A database that is down now is not fatal: requests
    /// answer 503 and retry the connection until it is back.
    public func warmUp() {
        do {
            _ = try store.cities()
        } catch {
            StandardError.write(line: "srochno-fcgi: database not ready at start-up (will retry per request): \(error)")
        }
    }
}
