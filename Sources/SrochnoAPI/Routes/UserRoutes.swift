import SrochnoCore
import SrochnoPostgres

extension API {
    func profile(_ context: RequestContext) throws -> HTTPResponse {
        let caller = try verifiedCaller(context)
        let db = try database()
        let parameters: [any PostgresParameter] = [caller.id, context.now] + caller.userParameters.dropFirst()
        var row = try db.execute(UserQueries.profile, parameters)
        if try storeUser(caller, unlessCurrentIn: row, column: UserQueries.profileIsCurrentColumn) {
            row = try db.execute(UserQueries.profile, parameters)
        }
        guard row.rowCount == 1 else { throw APIError(404, "User not found") }
        let user = AuthenticatedUser(id: caller.id)
        return .json(200) { json in
            json.beginObject()
            json.key("id"); json.value(row.int(0, 0) ?? user.id)
            json.key("first_name"); json.value(row.string(0, 1))
            json.key("last_name"); json.value(row.string(0, 2))
            json.key("username"); json.value(row.string(0, 3))
            json.key("completed_orders"); json.value(row.int(0, 5) ?? 0)
            json.key("active_orders"); json.value(row.int(0, 6) ?? 0)
            json.key("rating"); json.value(Double(row.string(0, 7) ?? "0") ?? 0)
            json.key("balance"); json.value(row.int(0, 4) ?? 0)
            json.endObject()
        }
    }

    func preferences(_ context: RequestContext) throws -> HTTPResponse {
        let user = try requireUser(context)
        let row = try database().execute(UserQueries.preferences, [user.id])
        return .json(200) { json in
            json.beginObject()
            json.key("categories"); writeStrings(row.stringArray(0, 0) ?? [], to: &json)
            json.key("cities"); writeStrings(row.stringArray(0, 1) ?? [], to: &json)
            json.endObject()
        }
    }

    func updatePreferences(_ context: RequestContext) throws -> HTTPResponse {
        let user = try requireUser(context)
        var fields = FieldReader(try parseJSONObjectBody(context.request.body))
        let categories = fields.stringList("categories", maxItems: 10)
        let cityNames = fields.stringList("cities", maxItems: 20)
        if let categories, let unknown = categories.first(where: { OrderCategory(rawValue: $0) == nil }) {
            fields.fail("categories", "Value error, Invalid category: \(unknown)", type: "value_error")
        }
        if let cityNames {
            let catalog = try cities()
            if let unknown = cityNames.first(where: { !catalog.contains($0) }) {
                fields.fail("cities", "Value error, Unknown city: \(unknown)", type: "value_error")
            }
        }
        try fields.finish()
        try database().execute(UserQueries.updatePreferences, [user.id, categories.map(uniqued), cityNames.map(uniqued)])
        return successResponse()
    }

    func notificationSettings(_ context: RequestContext) throws -> HTTPResponse {
        let user = try requireUser(context)
        let row = try database().execute(UserQueries.notificationSettings, [user.id])
        return .json(200) { json in
            json.beginObject()
            json.key("enabled"); json.value(row.bool(0, 0) ?? false)
            json.key("frequency"); json.value(row.int(0, 1) ?? 10)
            json.endObject()
        }
    }

    func updateNotificationSettings(_ context: RequestContext) throws -> HTTPResponse {
        let user = try requireUser(context)
        var fields = FieldReader(try parseJSONObjectBody(context.request.body))
        let enabled = fields.bool("enabled")
        let frequency = fields.int("frequency", range: 5...15)
        try fields.finish()
        try database().execute(UserQueries.updateNotificationSettings, [user.id, enabled, frequency])
        return successResponse()
    }
}

/// Keeps the first occurrence of each element, in order.
func uniqued(_ values: [String]) -> [String] {
    var seen = Set<String>()
    return values.filter { seen.insert($0).inserted }
}

func writeStrings(_ values: [String], to json: inout JSONWriter) {
    json.beginArray()
    for value in values { json.value(value) }
    json.endArray()
}

func successResponse(status: Int = 200) -> HTTPResponse {
    .json(status) { json in
        json.beginObject()
        json.key("success"); json.value(true)
        json.endObject()
    }
}
