public import SrochnoCore

/// What a route's handler gets: the request, the one "now" of this request, its named path
/// parameters, and the caller once authentication has named it (for the request log).
public final class RequestContext {
    public let request: HTTPRequest
    public let now: Instant
    /// Values of the pattern's `{name}` segments.
    public internal(set) var pathParameters: [String: String] = [:]
    /// The authenticated user's id, once known; only for the request log.
    public internal(set) var userID: Int64?
    /// Set when the answer is the same for every caller and nginx may keep it until the end of
    /// this second (everyone's order lists): a 503 is then marked like a page, so the other
    /// requests for that list in the same second do not each take a worker to learn that the
    /// database is away (`OrderRoutes.publicListHeaders`).
    var keptForEveryone = false

    init(request: HTTPRequest, now: Instant) {
        self.request = request
        self.now = now
    }

    /// The path segment the route's pattern names `{name}` (always present once routed).
    func parameter(_ name: String) -> String { pathParameters[name] ?? "" }
}

typealias RouteHandler = (RequestContext) throws -> HTTPResponse

/// One route of an area's table: method, pattern with `{name}` segments, and the handler of
/// the area instance that serves it.
struct RouteEntry<Area>: Sendable {
    let method: String
    let pattern: String
    let handler: @Sendable (Area) -> RouteHandler

    init(_ method: String, _ pattern: String, _ handler: @escaping @Sendable (Area) -> RouteHandler) {
        self.method = method
        self.pattern = pattern
        self.handler = handler
    }
}

/// An area of the API (orders, users, …): a table of routes and the instance that serves them,
/// holding only what its handlers use.
protocol RouteArea {
    static var routes: [RouteEntry<Self>] { get }
}

extension RouteArea {
    func register(into router: inout Router) {
        for route in Self.routes { router.add(route.method, route.pattern, route.handler(self)) }
    }

    /// (method, pattern) of every route, in table order.
    static var routeList: [(method: String, pattern: String)] { routes.map { ($0.method, $0.pattern) } }
}

/// Method + path-pattern routing. A pattern segment `{name}` matches any one non-empty segment,
/// passed to the handler as the parameter `name`.
struct Router {
    private struct Route {
        let method: String
        let segments: [Substring]
        let handler: RouteHandler
    }

    private var routes: [Route] = []

    mutating func add(_ method: String, _ pattern: String, _ handler: @escaping RouteHandler) {
        routes.append(Route(method: method, segments: pattern.split(separator: "/", omittingEmptySubsequences: false), handler: handler))
    }

    enum Match {
        case found(RouteHandler, parameters: [String: String])
        /// The path exists with other methods: these, for the `Allow` header (HEAD wherever GET).
        case wrongMethod(allowed: [String])
        case notFound
    }

    func match(method: String, path: String) -> Match {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var allowed: [String] = []
        for route in routes where route.segments.count == segments.count {
            var parameters: [String: String] = [:]
            var matches = true
            for (pattern, segment) in zip(route.segments, segments) {
                if pattern.first == "{" && pattern.last == "}" {
                    guard !segment.isEmpty else { matches = false; break }
                    parameters[String(pattern.dropFirst().dropLast())] = String(segment)
                } else if pattern != segment {
                    matches = false
                    break
                }
            }
            guard matches else { continue }
            if route.method == method || (method == "HEAD" && route.method == "GET") {
                return .found(route.handler, parameters: parameters)
            }
            allowed.append(route.method)
            if route.method == "GET" { allowed.append("HEAD") }
        }
        return allowed.isEmpty ? .notFound : .wrongMethod(allowed: allowed)
    }
}
