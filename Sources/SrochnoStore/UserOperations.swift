import SrochnoConfig
public import SrochnoCore
import SrochnoPostgres

extension Store {
    /// Creates the user on first sight, or refreshes the Telegram fields that changed.
    public func syncUser(_ profile: TelegramProfile) throws {
        try database().run(SyncUser(profile: profile))
    }

    /// Makes sure the caller's users row exists and holds its Telegram fields: one primary-key
    /// read, and a write only when the row is missing or stale.
    public func ensureUser(_ profile: TelegramProfile) throws {
        if try database().queryFirst(UserIsCurrent(profile: profile)) != true { try syncUser(profile) }
    }

    /// Stores the caller's users row unless the read that checked it found it current; a read
    /// that found no row (an unknown order) checked nothing. Returns whether it stored.
    @discardableResult
    func syncUser(_ profile: TelegramProfile, unlessCurrent current: Bool?) throws -> Bool {
        if current == true { return false }
        try syncUser(profile)
        return true
    }

    /// The caller's profile at `now`; its users row is checked in the same statement and
    /// stored (then read again) only when missing or stale.
    public func profile(_ caller: TelegramProfile, now: Instant) throws -> Profile? {
        let db = try database()
        let statement = ProfileOfUser(profile: caller, now: now)
        var found = try db.queryFirst(statement)
        if try syncUser(caller, unlessCurrent: found?.isCurrent) {
            found = try db.queryFirst(statement)
        }
        return found?.profile
    }

    /// The preferences of a user whose row exists.
    public func preferences(of userID: Int64) throws -> Preferences {
        try database().queryOne(PreferencesOfUser(userID: userID))
    }

    /// Sets each list that is given; nil keeps the stored one.
    public func setPreferences(of userID: Int64, categories: [String]?, cities: [String]?) throws {
        try database().run(UpdatePreferences(userID: userID, categories: categories, cities: cities))
    }

    /// The notification settings of a user whose row exists.
    public func notificationSettings(of userID: Int64) throws -> NotificationSettings {
        try database().queryOne(NotificationSettingsOfUser(userID: userID))
    }

    /// Sets each setting that is given; nil keeps the stored one.
    public func setNotificationSettings(of userID: Int64, enabled: Bool?, frequencyMinutes: Int64?) throws {
        try database().run(UpdateNotificationSettings(userID: userID, enabled: enabled, frequency: frequencyMinutes))
    }
}
