public import SrochnoCore

/// What a route's handler gets: the request, the one "now" of this request, the path
/// parameters, and a slot the authentication step fills for the request log.
public final class RequestContext {
    public let request: HTTPRequest
    public let now: Instant
    public internal(set) var pathParameters: [String] = []
    /// The authenticated user's id, once known; only for the request log.
    public internal(set) var userID: Int64?

    init(request: HTTPRequest, now: Instant) {
        self.request = request
        self.now = now
    }

    func parameter(_ index: Int) -> String { pathParameters[index] }
}

typealias RouteHandler = (API, RequestContext) throws -> HTTPResponse

/// Method + path-pattern routing. A pattern segment `{}` matches any one non-empty segment.
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

    /// Every (method, pattern) pair, in the order added; patterns keep `{}` for a parameter.
    var routeList: [(method: String, pattern: String)] {
        routes.map { ($0.method, $0.segments.joined(separator: "/")) }
    }

    enum Match {
        case found(RouteHandler, parameters: [String])
        /// The path exists with other methods: these, for the `Allow` header (HEAD wherever GET).
        case wrongMethod(allowed: [String])
        case notFound
    }

    func match(method: String, path: String) -> Match {
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        var allowed: [String] = []
        for route in routes where route.segments.count == segments.count {
            var parameters: [String] = []
            var matches = true
            for (pattern, segment) in zip(route.segments, segments) {
                if pattern == "{}" {
                    guard !segment.isEmpty else { matches = false; break }
                    parameters.append(String(segment))
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
