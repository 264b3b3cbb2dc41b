import SrochnoCore
import SrochnoPostgres

/// The Telegram fields a users row keeps, as the caller's verified initData gives them.
public struct TelegramProfile: Sendable, Equatable {
    public var id: Int64
    public var username: String?
    public var firstName: String?
    public var lastName: String?
    public var languageCode: String?

    public init(id: Int64, username: String?, firstName: String?, lastName: String?, languageCode: String?) {
        self.id = id
        self.username = username
        self.firstName = firstName
        self.lastName = lastName
        self.languageCode = languageCode
    }

    /// The four Telegram fields, bound after the id (see `UsersRowCheck`).
    var fieldBindings: [any PostgresParameter] { [username, firstName, lastName, languageCode] }
}

/// Whether the users row of a caller holds exactly its Telegram fields: the common case on every
/// authenticated request, answered by a primary-key lookup. As a column of a read it saves a
/// round trip; the row is written only when this says it is missing or stale.
enum UsersRowCheck {
    /// The check as an SQL expression, with the id at `$id` and the four fields from `$fields`.
    static func sql(id: Int, fields: Int) -> String {
        """
        EXISTS (SELECT 1 FROM users cu
                 WHERE cu.id = $\(id)::bigint
                   AND cu.username IS NOT DISTINCT FROM $\(fields)::text
                   AND cu.first_name IS NOT DISTINCT FROM $\(fields + 1)::text
                   AND cu.last_name IS NOT DISTINCT FROM $\(fields + 2)::text
                   AND cu.language_code IS NOT DISTINCT FROM $\(fields + 3)::text)
        """
    }
}

/// Whether the caller's users row is current (`UsersRowCheck` on its own).
struct UserIsCurrent: PostgresStatement {
    static let statement = PreparedStatement("user_is_current", "SELECT \(UsersRowCheck.sql(id: 1, fields: 2))")
    let profile: TelegramProfile
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [profile.id] + profile.fieldBindings }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Bool { try row.bool(0) }
}

/// Creates the user on first sight and refreshes the Telegram fields when they changed. When
/// nothing changed the INSERT selects no row, so nothing is written or locked.
struct SyncUser: PostgresCommand {
    static let statement = PreparedStatement(
        "user_sync",
        """
        INSERT INTO users (id, username, first_name, last_name, language_code)
        SELECT $1::bigint, $2::text, $3::text, $4::text, $5::text
         WHERE NOT \(UsersRowCheck.sql(id: 1, fields: 2))
        ON CONFLICT (id) DO UPDATE
           SET username = EXCLUDED.username, first_name = EXCLUDED.first_name,
               last_name = EXCLUDED.last_name, language_code = EXCLUDED.language_code, updated_at = now()
        """)
    let profile: TelegramProfile
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [profile.id] + profile.fieldBindings }
}

/// A user's profile with counters derived from the orders themselves.
public struct Profile: Sendable, Equatable {
    public let id: Int64
    public let firstName: String?
    public let lastName: String?
    public let username: String?
    public let balance: Int64
    public let completedOrders: Int64
    public let activeOrders: Int64
    /// The mean rating of the client reviews about the user as executor, two decimals; 0 without.
    public let rating: Double
}

/// The profile at `now`, and whether the row holds the caller's Telegram fields: one row of
/// `users` and one of `user_order_counts`, the counters triggers keep in the transaction of
/// every change (sql/0013_user_order_counts.sql). Completed is a final status, so its count is
/// exact; of the stored-active orders the ones already due are subtracted (the closer settles
/// them every minute, so the range of due orders read for that is short), and only for a user
/// who has any.
struct ProfileOfUser: PostgresStatement {
    static let statement = PreparedStatement(
        "user_profile",
        """
        SELECT u.id, u.first_name, u.last_name, u.username, u.balance,
               COALESCE(c.completed, 0) AS completed_orders,
               CASE WHEN c.active > 0 THEN
                   c.active - (SELECT count(*) FROM orders o
                                WHERE o.status = 'active' AND o.due_at <= $2::timestamptz
                                  AND (o.client_id = u.id
                                       OR EXISTS (SELECT 1 FROM executor_takes t WHERE t.order_id = o.id AND t.executor_id = u.id)))
               ELSE 0 END AS active_orders,
               CASE WHEN c.rating_count > 0 THEN round(c.rating_sum::numeric / c.rating_count, 2) ELSE 0 END::text AS rating,
               (u.username IS NOT DISTINCT FROM $3::text AND u.first_name IS NOT DISTINCT FROM $4::text
                AND u.last_name IS NOT DISTINCT FROM $5::text AND u.language_code IS NOT DISTINCT FROM $6::text) AS is_current
          FROM users u
          LEFT JOIN user_order_counts c ON c.user_id = u.id
         WHERE u.id = $1::bigint
        """)
    let profile: TelegramProfile
    let now: Instant
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [profile.id, now] + profile.fieldBindings }

    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> (profile: Profile, isCurrent: Bool) {
        let ratingText = try row.string(7)
        guard let rating = Double(ratingText) else {
            throw PostgresDecodingError(statement: prepared.name, column: 7, expected: "a decimal rating, got \(ratingText)")
        }
        let profile = Profile(
            id: try row.int(0), firstName: row.optionalString(1), lastName: row.optionalString(2), username: row.optionalString(3),
            balance: try row.int(4), completedOrders: try row.int(5), activeOrders: try row.int(6), rating: rating)
        return (profile, try row.bool(8))
    }
}

/// The categories and cities a user follows.
public struct Preferences: Sendable, Equatable {
    public let categories: [String]
    public let cities: [String]
}

struct PreferencesOfUser: PostgresStatement {
    static let statement = PreparedStatement(
        "user_preferences",
        """
        SELECT preferred_categories, preferred_cities FROM users WHERE id = $1::bigint
        """)
    let userID: Int64
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [userID] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Preferences {
        Preferences(categories: try row.stringArray(0), cities: try row.stringArray(1))
    }
}

/// Sets each list only when given (nil keeps the stored one).
struct UpdatePreferences: PostgresCommand {
    static let statement = PreparedStatement(
        "user_update_preferences",
        """
        UPDATE users
           SET preferred_categories = COALESCE($2::text[], preferred_categories),
               preferred_cities = COALESCE($3::text[], preferred_cities),
               updated_at = now()
         WHERE id = $1::bigint
        """)
    let userID: Int64
    let categories: [String]?
    let cities: [String]?
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [userID, categories, cities] }
}

/// Whether a user wants notifications of new orders, and at most how often (minutes).
public struct NotificationSettings: Sendable, Equatable {
    public let enabled: Bool
    public let frequencyMinutes: Int64
}

struct NotificationSettingsOfUser: PostgresStatement {
    static let statement = PreparedStatement(
        "user_notification_settings",
        """
        SELECT notifications_enabled, notification_frequency FROM users WHERE id = $1::bigint
        """)
    let userID: Int64
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [userID] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> NotificationSettings {
        NotificationSettings(enabled: try row.bool(0), frequencyMinutes: try row.int(1))
    }
}

/// Sets each setting only when given (nil keeps the stored one).
struct UpdateNotificationSettings: PostgresCommand {
    static let statement = PreparedStatement(
        "user_update_notification_settings",
        """
        UPDATE users
           SET notifications_enabled = COALESCE($2::boolean, notifications_enabled),
               notification_frequency = COALESCE($3::integer, notification_frequency),
               updated_at = now()
         WHERE id = $1::bigint
        """)
    let userID: Int64
    let enabled: Bool?
    let frequency: Int64?
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [userID, enabled, frequency] }
}
