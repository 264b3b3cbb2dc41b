import SrochnoCore

/// An old user as Srochno stores it, with its balance carried over as one opening ledger row.
struct UserImport: Sendable, Equatable {
    let id: Int64
    let username: String?
    let firstName: String
    let lastName: String?
    let languageCode: String?
    let notificationsEnabled: Bool
    let frequencyMinutes: Int64
    let categories: [String]
    let cities: [String]
    let createdAt: Instant
    let updatedAt: Instant
    /// The opening `recharge` row's amount; 0: no row.
    let openingBalance: Int64
    /// Why the stored user differs from the old row (one reason per kind of change).
    let changes: [String]
}

enum UserPlan: Sendable, Equatable {
    case importing(UserImport)
    case refused(String)
}

/// Decides how an old user is stored. The old counters (completed, active, rating) are not
/// read: Srochno derives them from the orders, takes and reviews.
struct UserPlanner: Sendable {
    static let maxCategories = 10
    static let maxCities = 20
    static let frequencyRange: ClosedRange<Int64> = 5...15

    let cities: CityNames

    /// Users the import cannot store at all: Telegram ids are positive, and so is every users
    /// id Srochno keeps. Their orders, takes and money are refused with them.
    static func isRefused(_ userID: Int64) -> Bool { userID <= 0 }

    func plan(_ user: LegacyUser) -> UserPlan {
        guard !Self.isRefused(user.id) else { return .refused("user id is not positive") }
        var changes: [String] = []

        var categories: [String] = []
        for value in user.categories where !categories.contains(value) {
            if OrderCategory(rawValue: value) != nil { categories.append(value) }
        }
        if categories.count != Set(user.categories).count { changes.append("subscribed categories outside today's list dropped") }

        var kept: [String] = []
        var unknown = false
        var respelled = false
        for value in user.cities {
            guard let match = cities.match(value) else {
                unknown = true
                continue
            }
            if !match.exact { respelled = true }
            if !kept.contains(match.name) { kept.append(match.name) }
        }
        if unknown { changes.append("subscribed cities outside today's list dropped") }
        if respelled { changes.append("subscribed cities matched to today's spelling") }
        if kept.count > Self.maxCities {
            kept = Array(kept.prefix(Self.maxCities))
            changes.append("more than \(Self.maxCities) subscribed cities: the first \(Self.maxCities) kept")
        }

        let frequency = min(max(user.frequencyMinutes, Self.frequencyRange.lowerBound), Self.frequencyRange.upperBound)
        if frequency != user.frequencyMinutes { changes.append("notification frequency outside 5-15 minutes moved to the nearest bound") }

        if user.balance < 0 { changes.append("negative balance not carried over") }

        return .importing(
            UserImport(
                id: user.id, username: user.username, firstName: user.firstName, lastName: user.lastName,
                languageCode: user.languageCode, notificationsEnabled: user.notificationsEnabled, frequencyMinutes: frequency,
                categories: Array(categories.prefix(Self.maxCategories)), cities: kept, createdAt: user.createdAt,
                updatedAt: user.updatedAt, openingBalance: max(user.balance, 0), changes: changes))
    }
}
