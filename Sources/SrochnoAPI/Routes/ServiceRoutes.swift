import SrochnoCore
import SrochnoStore

/// `/health`, `/api/cities` and the published contract (SPEC §6 Service).
struct ServiceRoutes: RouteArea {
    let store: Store

    static let routes: [RouteEntry<ServiceRoutes>] = [
        RouteEntry("GET", "/health", { $0.health }),
        RouteEntry("GET", "/api/openapi.json", { $0.openAPIDocument }),
        RouteEntry("GET", "/api/cities", { $0.cities }),
    ]

    /// 200 when the database answers a query, 503 otherwise.
    func health(_ context: RequestContext) -> HTTPResponse {
        let healthy = store.isReachable()
        return .json(healthy ? 200 : 503) { json in
            json.beginObject()
            json.key("status")
            json.value(healthy ? "healthy" : "unhealthy")
            json.endObject()
        }
    }

    func cities(_ context: RequestContext) throws -> HTTPResponse {
        var query = try QueryParameters(context.request.query)
        let search = query.string("search", characters: Bounds.citySearchCharacters)
        try query.finish()
        let catalog = try store.cities()
        let names = search.map(catalog.search) ?? catalog.names
        return .json(200) { json in
            json.beginArray()
            for name in names { json.value(name) }
            json.endArray()
        }
    }
}
