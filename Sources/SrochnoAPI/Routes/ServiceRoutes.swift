import SrochnoCore
import SrochnoPostgres

extension API {
    /// 200 when the database answers a query, 503 otherwise.
    func health(_ context: RequestContext) -> HTTPResponse {
        let healthy = (try? database().execute(sql: "SELECT 1")) != nil
        return .json(healthy ? 200 : 503) { json in
            json.beginObject()
            json.key("status")
            json.value(healthy ? "healthy" : "unhealthy")
            json.endObject()
        }
    }

    func listCities(_ context: RequestContext) throws -> HTTPResponse {
        var query = try QueryParameters(context.request.query)
        let search = query.string("search", characters: 1...100)
        try query.finish()
        let catalog = try cities()
        let names = search.map(catalog.search) ?? catalog.names
        return .json(200) { json in
            json.beginArray()
            for name in names { json.value(name) }
            json.endArray()
        }
    }
}
