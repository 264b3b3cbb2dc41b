@testable import SrochnoAPI
import SrochnoCore
import Testing

/// Method and path matching with named parameters, 404 against 405 with `Allow`, HEAD on GET
/// routes, and the route tables of every area.
@Suite struct RouterTests {
    /// A router over fixed patterns whose handlers answer with their own name.
    private func router(_ routes: [(String, String)]) -> Router {
        var router = Router()
        for (method, pattern) in routes {
            router.add(method, pattern) { _ in HTTPResponse(status: 200, body: Array("\(method) \(pattern)".utf8)) }
        }
        return router
    }

    private func answer(_ match: Router.Match) throws -> String {
        guard case .found(let handler, _) = match else { return "no handler" }
        let context = RequestContext(request: HTTPRequest(method: "GET", path: "/"), now: Instant(microseconds: 0))
        return String(decoding: try handler(context).body, as: UTF8.self)
    }

    let routes = [
        ("GET", "/api/orders"), ("POST", "/api/orders"), ("GET", "/api/orders/{id}"), ("PUT", "/api/orders/{id}"),
        ("POST", "/api/orders/{id}/take"), ("GET", "/api/reviews/{order}/of/{executor}"),
    ]

    @Test func matchesLiteralPathsAndMethods() throws {
        let router = router(routes)
        #expect(try answer(router.match(method: "GET", path: "/api/orders")) == "GET /api/orders")
        #expect(try answer(router.match(method: "POST", path: "/api/orders")) == "POST /api/orders")
        #expect(try answer(router.match(method: "POST", path: "/api/orders/abc/take")) == "POST /api/orders/{id}/take")
    }

    @Test func namesEachParameter() throws {
        let router = router(routes)
        guard case .found(_, let parameters) = router.match(method: "GET", path: "/api/reviews/A1/of/42") else {
            Issue.record("no match")
            return
        }
        #expect(parameters == ["order": "A1", "executor": "42"])
        guard case .found(_, let single) = router.match(method: "PUT", path: "/api/orders/x_y-Z") else {
            Issue.record("no match")
            return
        }
        #expect(single == ["id": "x_y-Z"])
    }

    @Test func anEmptySegmentIsNoParameter() {
        guard case .notFound = router(routes).match(method: "GET", path: "/api/orders//take") else {
            Issue.record("an empty id matched")
            return
        }
    }

    @Test func unknownPathsAreNotFound() {
        let router = router(routes)
        for path in ["/", "/api", "/api/orders/", "/api/orders/a/b/c/d", "/api/Orders", "/health"] {
            guard case .notFound = router.match(method: "GET", path: path) else {
                Issue.record("\(path) matched")
                continue
            }
        }
    }

    @Test func aKnownPathWithAnotherMethodListsTheAllowedOnes() {
        let router = router(routes)
        guard case .wrongMethod(let allowed) = router.match(method: "DELETE", path: "/api/orders/abc") else {
            Issue.record("not a 405")
            return
        }
        #expect(allowed == ["GET", "HEAD", "PUT"])
        guard case .wrongMethod(let take) = router.match(method: "GET", path: "/api/orders/abc/take") else {
            Issue.record("not a 405")
            return
        }
        #expect(take == ["POST"])
    }

    @Test func headIsServedWhereverGetIs() throws {
        let router = router(routes)
        #expect(try answer(router.match(method: "HEAD", path: "/api/orders/abc")) == "GET /api/orders/{id}")
        guard case .wrongMethod = router.match(method: "HEAD", path: "/api/orders/abc/take") else {
            Issue.record("HEAD served a POST-only route")
            return
        }
    }

    /// The areas' tables are what the API serves: no pattern twice for one method, every
    /// parameter named, and the list the OpenAPI document is checked against.
    @Test func everyAreaRouteIsUniqueAndNamed() {
        let list = API.routeList
        #expect(list.count == 29)
        let keys = list.map { "\($0.method) \($0.pattern)" }
        #expect(Set(keys).count == keys.count, "a route is registered twice")
        let named =
            ServiceRoutes.routeList + MetricsRoutes.routeList + UserRoutes.routeList + BalanceRoutes.routeList + PaymentRoutes.routeList
            + TelegramRoutes.routeList + OrderRoutes.routeList + ReviewRoutes.routeList
        for route in named {
            for segment in route.pattern.split(separator: "/") where segment.hasPrefix("{") {
                #expect(segment.count > 2 && segment.hasSuffix("}"), "\(route.pattern): a parameter without a name")
            }
        }
    }
}
