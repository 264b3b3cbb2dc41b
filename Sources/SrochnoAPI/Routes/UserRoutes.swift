import SrochnoCore
import SrochnoStore

/// `/api/users/me…` (SPEC §6 Users).
struct UserRoutes: RouteArea {
    let store: Store
    let auth: Authenticator

    static let routes: [RouteEntry<UserRoutes>] = [
        RouteEntry("GET", "/api/users/me", { $0.profile }),
        RouteEntry("GET", "/api/users/me/preferences", { $0.preferences }),
        RouteEntry("PUT", "/api/users/me/preferences", { $0.updatePreferences }),
        RouteEntry("GET", "/api/users/me/notification-settings", { $0.notificationSettings }),
        RouteEntry("PUT", "/api/users/me/notification-settings", { $0.updateNotificationSettings }),
    ]

    func profile(_ context: RequestContext) throws -> HTTPResponse {
        let caller = try auth.verifiedCaller(context)
        guard let profile = try store.profile(caller, now: context.now) else { throw APIError(404, "User not found") }
        return .json(200) { json in
            json.beginObject()
            json.key("id"); json.value(profile.id)
            json.key("first_name"); json.value(profile.firstName)
            json.key("last_name"); json.value(profile.lastName)
            json.key("username"); json.value(profile.username)
            json.key("completed_orders"); json.value(profile.completedOrders)
            json.key("active_orders"); json.value(profile.activeOrders)
            json.key("rating"); json.value(profile.rating)
            json.key("balance"); json.value(profile.balance)
            json.endObject()
        }
    }

    func preferences(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        let preferences = try store.preferences(of: user.id)
        return .json(200) { json in
            json.beginObject()
            json.key("categories"); writeStrings(preferences.categories, to: &json)
            json.key("cities"); writeStrings(preferences.cities, to: &json)
            json.endObject()
        }
    }

    func updatePreferences(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        var fields = FieldReader(try parseJSONObjectBody(context.request.body))
        let categories = fields.stringList("categories", maxItems: Bounds.maximumPreferredCategories)
        let cityNames = fields.stringList("cities", maxItems: Bounds.maximumPreferredCities)
        if let categories, let unknown = categories.first(where: { OrderCategory(rawValue: $0) == nil }) {
            fields.fail("categories", "Value error, Invalid category: \(unknown)", type: "value_error")
        }
        if let cityNames {
            let catalog = try store.cities()
            if let unknown = cityNames.first(where: { !catalog.contains($0) }) {
                fields.fail("cities", "Value error, Unknown city: \(unknown)", type: "value_error")
            }
        }
        try fields.finish()
        try store.setPreferences(of: user.id, categories: categories.map(uniqued), cities: cityNames.map(uniqued))
        return successResponse()
    }

    func notificationSettings(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        let settings = try store.notificationSettings(of: user.id)
        return .json(200) { json in
            json.beginObject()
            json.key("enabled"); json.value(settings.enabled)
            json.key("frequency"); json.value(settings.frequencyMinutes)
            json.endObject()
        }
    }

    func updateNotificationSettings(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        var fields = FieldReader(try parseJSONObjectBody(context.request.body))
        let enabled = fields.bool("enabled")
        let frequency = fields.int("frequency", range: Bounds.notificationFrequencyMinutes)
        try fields.finish()
        try store.setNotificationSettings(of: user.id, enabled: enabled, frequencyMinutes: frequency)
        return successResponse()
    }
}

/// Keeps the first occurrence of each element, in order.
func uniqued(_ values: [String]) -> [String] {
    var seen = Set<String>()
    return values.filter { seen.insert($0).inserted }
}
