import SrochnoPostgres

/// SQL for the `users` table: first-sight creation, profile, preferences, notification settings.
enum UserQueries {
    /// Whether the users row `$id` holds exactly the Telegram fields `$fields…$fields+3`
    /// (username, first name, last name, language): the common case on every authenticated
    /// request, answered by a primary-key lookup. As a column of a read it saves a round trip.
    static func isCurrent(id: Int, fields: Int) -> String {
        """
        EXISTS (SELECT 1 FROM users cu
                 WHERE cu.id = $\(id)::bigint
                   AND cu.username IS NOT DISTINCT FROM $\(fields)::text
                   AND cu.first_name IS NOT DISTINCT FROM $\(fields + 1)::text
                   AND cu.last_name IS NOT DISTINCT FROM $\(fields + 2)::text
                   AND cu.language_code IS NOT DISTINCT FROM $\(fields + 3)::text)
        """
    }

    /// Parameters of `isCurrent` and `sync`: id, username, first name, last name, language.
    static let isCurrent = PreparedStatement("user_is_current", "SELECT \(isCurrent(id: 1, fields: 2))")

    /// Creates the user on first sight and refreshes the Telegram fields when they changed.
    /// When nothing changed the INSERT selects no row, so nothing is written or locked.
    static let sync = PreparedStatement("user_sync", """
        INSERT INTO users (id, username, first_name, last_name, language_code)
        SELECT $1::bigint, $2::text, $3::text, $4::text, $5::text
         WHERE NOT \(isCurrent(id: 1, fields: 2))
        ON CONFLICT (id) DO UPDATE
           SET username = EXCLUDED.username, first_name = EXCLUDED.first_name,
               last_name = EXCLUDED.last_name, language_code = EXCLUDED.language_code, updated_at = now()
        """)

    /// The profile with its counters derived from the orders themselves ($2 = now), and
    /// whether the row holds the caller's Telegram fields ($3–$6, see `isCurrent`). The
    /// user's own orders are counted in one pass; of the orders they took, the completed ones
    /// from the takes alone and the active ones among the takes since the oldest active order
    /// was created (sql/0007_profile_counts.sql), so neither count grows with the history.
    /// Each count starts from the user's own orders or takes, and the time test only filters
    /// them, so no plan can walk every active order by `due_at` instead.
    static let profile = PreparedStatement("user_profile", """
        SELECT u.id, u.first_name, u.last_name, u.username, u.balance,
               mine.completed + taken.completed AS completed_orders,
               mine.active + taken.active AS active_orders,
               COALESCE((SELECT round(avg(r.rating), 2) FROM client_reviews r WHERE r.executor_id = u.id), 0)::text AS rating,
               \(isCurrent(id: 1, fields: 3)) AS is_current
          FROM users u
         CROSS JOIN LATERAL (
               SELECT count(*) FILTER (WHERE o.status = 'completed') AS completed,
                      count(*) FILTER (WHERE o.status = 'active' AND o.due_at > $2::timestamptz) AS active
                 FROM orders o WHERE o.client_id = u.id AND o.status IN ('completed', 'active')) mine
         CROSS JOIN LATERAL (
               SELECT (SELECT count(*) FROM executor_takes t WHERE t.executor_id = u.id AND t.order_completed) AS completed,
                      (SELECT count(*) FROM orders o
                        WHERE o.id = ANY (ARRAY(
                                  SELECT t.order_id FROM executor_takes t
                                   WHERE t.executor_id = u.id
                                     AND t.taken_at >= (SELECT min(a.created_at) FROM orders a WHERE a.status = 'active')))
                          AND o.status = 'active' AND o.due_at > $2::timestamptz) AS active) taken
         WHERE u.id = $1::bigint
        """)

    /// The column of `profile` that holds `is_current`.
    static let profileIsCurrentColumn = 8

    static let preferences = PreparedStatement("user_preferences", """
        SELECT preferred_categories, preferred_cities FROM users WHERE id = $1::bigint
        """)

    /// Sets each list only when given ($2/$3 NULL keeps the stored one).
    static let updatePreferences = PreparedStatement("user_update_preferences", """
        UPDATE users
           SET preferred_categories = COALESCE($2::text[], preferred_categories),
               preferred_cities = COALESCE($3::text[], preferred_cities),
               updated_at = now()
         WHERE id = $1::bigint
        """)

    static let notificationSettings = PreparedStatement("user_notification_settings", """
        SELECT notifications_enabled, notification_frequency FROM users WHERE id = $1::bigint
        """)

    static let updateNotificationSettings = PreparedStatement("user_update_notification_settings", """
        UPDATE users
           SET notifications_enabled = COALESCE($2::boolean, notifications_enabled),
               notification_frequency = COALESCE($3::integer, notification_frequency),
               updated_at = now()
         WHERE id = $1::bigint
        """)

    static let all = [isCurrent, sync, profile, preferences, updatePreferences, notificationSettings, updateNotificationSettings]
}
