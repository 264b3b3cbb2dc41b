import SrochnoCore
import SrochnoPostgres

/// One fan-out batch (step 1 of a sender): claims up to `batchSize` outbox rows no other sender
/// holds, queues each order that is still effectively active for every subscriber of its
/// category and city but its client, marks those executors pending and deletes the claimed rows,
/// all in one statement and so in one transaction. State rows are upserted in user id order, so
/// two senders fanning out at once take them in the same order and cannot deadlock; a row that
/// is already pending is not written again.
struct FanOutBatch: PostgresStatement {
    static let statement = PreparedStatement(
        "notification_fan_out",
        """
        WITH claimed AS (
            DELETE FROM notification_outbox b
             WHERE b.order_id IN (SELECT order_id FROM notification_outbox ORDER BY created_at
                                   LIMIT $2::integer FOR UPDATE SKIP LOCKED)
            RETURNING b.order_id
        ), announced AS (
            SELECT o.id, o.client_id, o.category, o.city FROM orders o JOIN claimed c ON c.order_id = o.id
             WHERE order_effective_status(o.status, o.due_at, o.no_response_at, o.expires_at, $1::timestamptz) = 'active'
        ), queued AS (
            INSERT INTO notification_queue (user_id, order_id, queued_at)
            SELECT s.user_id, a.id, $1::timestamptz FROM announced a
              JOIN notification_subscriptions s ON s.category = a.category AND s.city = a.city AND s.user_id <> a.client_id
            ON CONFLICT DO NOTHING
            RETURNING user_id
        ), marked AS (
            INSERT INTO notification_state AS n (user_id, pending, next_at)
            SELECT DISTINCT user_id, true, $1::timestamptz FROM queued ORDER BY user_id
            ON CONFLICT (user_id) DO UPDATE SET pending = true WHERE NOT n.pending
            RETURNING 1
        )
        SELECT (SELECT count(*) FROM claimed), (SELECT count(*) FROM queued), (SELECT count(*) FROM marked)
        """)
    let now: Instant
    let batchSize: Int
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [now, batchSize] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> (orders: Int, queued: Int) {
        (Int(try row.int(0)), Int(try row.int(1)))
    }
}

/// Step 2: leases up to `limit` due executors (orders queued, their wait over, no live lease)
/// to `owner` until `leaseUntil`. SKIP LOCKED passes over executors another sender is leasing
/// at this moment, and a row another sender leased since this statement's snapshot is rechecked
/// against its new lease, so no executor is leased twice.
struct LeaseDueExecutors: PostgresStatement {
    static let statement = PreparedStatement(
        "notification_lease_due",
        """
        UPDATE notification_state s SET lease_until = $2::timestamptz, lease_owner = $3
         WHERE s.user_id IN (SELECT user_id FROM notification_state
                              WHERE pending AND next_at <= $1::timestamptz
                                AND (lease_until IS NULL OR lease_until <= $1::timestamptz)
                              ORDER BY next_at LIMIT $4::integer FOR UPDATE SKIP LOCKED)
        RETURNING s.user_id, s.attempts, epoch_us(s.failing_since)
        """)
    let now: Instant
    let leaseUntil: Instant
    let owner: String
    let limit: Int
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [now, leaseUntil, owner, limit] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> LeasedExecutor {
        LeasedExecutor(userID: try row.int(0), failures: Int(try row.int(1)), failingSince: try row.optionalInstant(2))
    }
}

/// Step 3's read: every order queued for `userID`, oldest first, with whether it may still be
/// announced: effectively active at `now` (the store's one definition), the executor's
/// notifications still on and the order still in their categories and cities, not their own
/// order, and not one they took meanwhile (they have seen it). The executor's frequency comes
/// along on every row.
struct QueuedOrdersOfExecutor: PostgresStatement {
    static let statement = PreparedStatement(
        "notification_queued_orders",
        """
        SELECT q.order_id, o.category, o.city, o.description, u.notification_frequency,
               order_effective_status(o.status, o.due_at, o.no_response_at, o.expires_at, $2::timestamptz) = 'active'
                 AND u.notifications_enabled AND o.client_id <> u.id
                 AND o.category = ANY (u.preferred_categories) AND o.city = ANY (u.preferred_cities)
                 AND NOT EXISTS (SELECT 1 FROM executor_takes t WHERE t.order_id = o.id AND t.executor_id = u.id)
                 AS deliverable
          FROM notification_queue q
          JOIN orders o ON o.id = q.order_id
          JOIN users u ON u.id = q.user_id
         WHERE q.user_id = $1::bigint
         ORDER BY o.created_at, o.id
        """)
    let userID: Int64
    let now: Instant
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [userID, now] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> QueuedOrder {
        QueuedOrder(
            order: AnnouncedOrder(
                id: try row.string(0), category: try row.string(1), city: try row.string(2), description: try row.string(3)),
            frequencyMinutes: Int(try row.int(4)), deliverable: try row.bool(5))
    }
}

/// The first statement of every step-3 transaction: waits for a fan-out that is marking the
/// executor pending right now, so the statements after it see that fan-out's queued orders, and
/// tells whether `owner` still holds the lease (another sender took the executor over after it
/// expired: then the state is left to that sender).
struct LockExecutorState: PostgresStatement {
    static let statement = PreparedStatement(
        "notification_lock_state",
        """
        SELECT lease_owner IS NOT DISTINCT FROM $2 FROM notification_state WHERE user_id = $1::bigint FOR UPDATE
        """)
    let userID: Int64
    let owner: String
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [userID, owner] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Bool { try row.bool(0) }
}

/// Removes the given queued orders of one executor (those just sent, or left out), or all of
/// them with nil; returns how many.
struct RemoveQueued: PostgresCommand {
    static let statement = PreparedStatement(
        "notification_remove_queued",
        """
        DELETE FROM notification_queue WHERE user_id = $1::bigint AND ($2::text[] IS NULL OR order_id = ANY ($2::text[]))
        """)
    let userID: Int64
    let orderIDs: [String]?
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [userID, orderIDs] }
}

/// Ends `owner`'s lease after a send (or nothing to send): the next message not before
/// `nextAt`, failures forgotten or counted (`failed`: one more since `now`), and pending again
/// only if orders are still queued — read after `LockExecutorState`, so a concurrent fan-out
/// either is seen here or sets pending itself once this commits.
struct ReleaseExecutor: PostgresCommand {
    static let statement = PreparedStatement(
        "notification_release",
        """
        UPDATE notification_state
           SET next_at = $3::timestamptz, lease_until = NULL, lease_owner = NULL,
               attempts = CASE WHEN $4::boolean THEN attempts + 1 ELSE 0 END,
               failing_since = CASE WHEN $4::boolean THEN COALESCE(failing_since, $5::timestamptz) END,
               pending = EXISTS (SELECT 1 FROM notification_queue q WHERE q.user_id = $1::bigint)
         WHERE user_id = $1::bigint AND lease_owner = $2
        """)
    let userID: Int64
    let owner: String
    let nextAt: Instant
    let failed: Bool
    let now: Instant
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [userID, owner, nextAt, failed, now] }
}

/// Records queued orders that will never be sent, and why (see `notification_drops`).
struct RecordDrop: PostgresCommand {
    static let statement = PreparedStatement(
        "notification_record_drop",
        """
        INSERT INTO notification_drops (user_id, orders, reason, dropped_at) VALUES ($1::bigint, $2::integer, $3, $4::timestamptz)
        """)
    let userID: Int64
    let orders: Int
    let reason: NotificationDropReason
    let now: Instant
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [userID, orders, reason.rawValue, now] }
}

/// Telegram answered 403 for this executor (they blocked the bot, or their account is gone):
/// their notifications turn off, as if they had switched them off themselves (the
/// subscriptions trigger follows).
struct DisableNotifications: PostgresCommand {
    static let statement = PreparedStatement(
        "notification_disable",
        """
        UPDATE users SET notifications_enabled = false, updated_at = $2::timestamptz WHERE id = $1::bigint AND notifications_enabled
        """)
    let userID: Int64
    let now: Instant
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [userID, now] }
}

/// The earliest moment after `now` at which an executor's wait ends, if any: how long a sender
/// may sleep when nothing else wakes it.
struct NextWaitEnd: PostgresStatement {
    static let statement = PreparedStatement(
        "notification_next_wait_end",
        """
        SELECT epoch_us(min(next_at)) FROM notification_state WHERE pending AND next_at > $1::timestamptz
        """)
    let now: Instant
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [now] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Instant? { try row.optionalInstant(0) }
}

/// The figures of `srochno-notify --status`.
struct NotificationBacklogFigures: PostgresStatement {
    /// The seven figures as one select list, `$1` the moment they are taken at: outbox orders
    /// and the oldest one's creation, queued pairs and the oldest queueing, executors due and
    /// leased, orders dropped in the last 24 hours. `GET /metrics` reads the same list inside
    /// its own statement (`MetricsFigures`).
    static let figures = """
        (SELECT count(*) FROM notification_outbox),
        (SELECT epoch_us(min(created_at)) FROM notification_outbox),
        (SELECT count(*) FROM notification_queue),
        (SELECT epoch_us(min(queued_at)) FROM notification_queue),
        (SELECT count(*) FROM notification_state WHERE pending AND next_at <= $1::timestamptz),
        (SELECT count(*) FROM notification_state WHERE pending AND lease_until > $1::timestamptz),
        (SELECT COALESCE(sum(orders), 0) FROM notification_drops WHERE dropped_at > $1::timestamptz - interval '24 hours')
        """
    static let statement = PreparedStatement("notification_backlog", "SELECT " + figures)
    let now: Instant
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [now] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> NotificationBacklog {
        NotificationBacklog(
            outbox: Int(try row.int(0)), oldestOutbox: try row.optionalInstant(1), queued: Int(try row.int(2)),
            oldestQueued: try row.optionalInstant(3), executorsDue: Int(try row.int(4)), executorsLeased: Int(try row.int(5)),
            droppedLastDay: Int(try row.int(6)))
    }
}

/// Hands leased executors back untouched (a sender stopping, or one whose lease is running out
/// before it got to them), so another sender takes them at once instead of after the lease.
struct ReturnLeases: PostgresCommand {
    static let statement = PreparedStatement(
        "notification_return_leases",
        """
        UPDATE notification_state SET lease_until = NULL, lease_owner = NULL
         WHERE user_id = ANY ($2::bigint[]) AND lease_owner = $1
        """)
    let owner: String
    let userIDs: [Int64]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [owner, "{" + userIDs.map(String.init).joined(separator: ",") + "}"] }
}
