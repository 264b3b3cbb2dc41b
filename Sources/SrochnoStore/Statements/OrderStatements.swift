public import SrochnoCore
public import SrochnoPostgres

/// The columns every statement that returns orders selects, read back by `OrderRecord`.
enum OrderColumns {
    /// The order with its takes and first review.
    static let all = own + ",\n" + related(of: "o")

    /// The order's own columns (`OrderRecord` columns 0–13) from `o`.
    static let own = """
        o.id, o.client_id, o.category, o.description, o.city, o.contact, o.status,
        epoch_us(o.created_at) AS created_us, o.lifetime_minutes, epoch_us(o.expires_at) AS expires_us,
        epoch_us(o.no_response_at) AS no_response_us, epoch_us(o.customer_responded_at) AS responded_us,
        o.take_count, o.max_executors
        """

    /// Columns 14–16: the takes (`executor:epoch_us` pairs, oldest first) and the first review
    /// of the order `alias` (which has the own columns' names). Takes are looked up only when
    /// `take_count` says there are some, reviews only for orders stored as completed or
    /// expired (the only ones a review can exist for, enforced by a trigger): most rows of a
    /// list need neither lookup.
    static func related(of alias: String) -> String {
        let mayHaveReview = "\(alias).take_count > 0 AND \(alias).status IN ('completed', 'expired')"
        return """
            CASE WHEN \(alias).take_count > 0 THEN
                (SELECT string_agg(t.executor_id || ':' || epoch_us(t.taken_at), ',' ORDER BY t.taken_at, t.id)
                   FROM executor_takes t WHERE t.order_id = \(alias).id) END AS takes,
            CASE WHEN \(mayHaveReview) THEN
                (SELECT r.rating FROM client_reviews r WHERE r.order_id = \(alias).id ORDER BY r.id LIMIT 1) END AS review_rating,
            CASE WHEN \(mayHaveReview) THEN
                (SELECT r.comment FROM client_reviews r WHERE r.order_id = \(alias).id ORDER BY r.id LIMIT 1) END AS review_comment
            """
    }
}

/// An order by id, optionally locked for a write and optionally with the check of a signed-in
/// viewer's users row (`UsersRowCheck`) as a last column: four prepared statements.
struct OrderByID: PostgresStatement {
    static let plain = PreparedStatement("order_by_id", "SELECT \(OrderColumns.all) FROM orders o WHERE o.id = $1")
    static let forViewer = PreparedStatement(
        "order_by_id_for_viewer",
        """
        SELECT \(OrderColumns.all), \(UsersRowCheck.sql(id: 2, fields: 3)) AS viewer_current FROM orders o WHERE o.id = $1
        """)
    /// Everything a write decides on is read under this lock.
    static let locked = PreparedStatement(
        "order_lock_by_id", "SELECT \(OrderColumns.all) FROM orders o WHERE o.id = $1 FOR NO KEY UPDATE OF o")
    static let lockedForViewer = PreparedStatement(
        "order_lock_by_id_for_viewer",
        """
        SELECT \(OrderColumns.all), \(UsersRowCheck.sql(id: 2, fields: 3)) AS viewer_current
          FROM orders o WHERE o.id = $1 FOR NO KEY UPDATE OF o
        """)

    let orderID: String
    var lock = false
    var viewer: TelegramProfile?

    var prepared: PreparedStatement {
        switch (lock, viewer != nil) {
        case (false, false): Self.plain
        case (false, true): Self.forViewer
        case (true, false): Self.locked
        case (true, true): Self.lockedForViewer
        }
    }

    var bindings: [any PostgresParameter] {
        guard let viewer else { return [orderID] }
        return [orderID, viewer.id] + viewer.fieldBindings
    }

    /// The order, and for a viewer whether its users row is current (nil without a viewer).
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> (order: OrderRecord, viewerCurrent: Bool?) {
        (try OrderRecord(row), viewer == nil ? nil : try row.bool(OrderRecord.columnCount))
    }
}

/// How many orders a settlement changed, and how many refunds it paid.
public struct Settlement: Sendable, Equatable {
    public var expired = 0
    public var closed = 0
    public var refunds = 0

    public init(expired: Int = 0, closed: Int = 0, refunds: Int = 0) {
        self.expired = expired
        self.closed = closed
        self.refunds = refunds
    }

    static func decode(_ row: PostgresRow, from column: Int = 0) throws(PostgresDecodingError) -> Settlement {
        Settlement(expired: Int(try row.int(column)), closed: Int(try row.int(column + 1)), refunds: Int(try row.int(column + 2)))
    }
}

/// Applies due transitions (with refunds) to the given, already locked orders.
struct SettleOrders: PostgresStatement {
    static let statement = PreparedStatement(
        "order_settle",
        """
        SELECT expired, closed, refunds FROM apply_due_transitions($1::text[], $2::timestamptz)
        """)
    let orderIDs: [String]
    let now: Instant
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [orderIDs, now] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Settlement { try Settlement.decode(row) }
}

/// One batch of the closer: due orders that no other transaction holds, oldest due first.
/// SKIP LOCKED lets several closers (and request handlers) work side by side without
/// waiting on each other or settling an order twice.
public struct SettleDueBatch: PostgresStatement {
    static let statement = PreparedStatement(
        "order_settle_due_batch",
        """
        SELECT expired, closed, refunds FROM apply_due_transitions(
            ARRAY(SELECT id FROM orders
                   WHERE status = 'active' AND due_at <= $1::timestamptz
                   ORDER BY due_at LIMIT $2::integer FOR NO KEY UPDATE SKIP LOCKED),
            $1::timestamptz)
        """)
    let now: Instant
    let batchSize: Int

    public init(now: Instant, batchSize: Int) {
        self.now = now
        self.batchSize = batchSize
    }

    public var prepared: PreparedStatement { Self.statement }
    public var bindings: [any PostgresParameter] { [now, batchSize] }
    public func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Settlement { try Settlement.decode(row) }
}

/// The first step of every write that makes a contact active: holds the contact's advisory
/// lock and, for a new order, the client's users row (so concurrent creates of one client
/// count each other's orders) until the transaction ends, and settles the active orders with
/// this contact whose time ran out, so they free it. The following statement, with a snapshot
/// taken after these locks, then decides without ever failing on the unique index.
struct ClaimContact: PostgresCommand {
    static let statement = PreparedStatement(
        "order_claim_contact",
        """
        SELECT pg_advisory_xact_lock(\(AdvisoryLock.contact.rawValue), hashtext(lower($1::text))) AS contact_locked,
               (SELECT 1 FROM users WHERE id = $3::bigint FOR NO KEY UPDATE) AS client_locked,
               s.expired, s.closed, s.refunds
          FROM apply_due_transitions(
                ARRAY(SELECT id FROM orders
                       WHERE lower(contact) = lower($1::text) AND status = 'active' AND due_at <= $2::timestamptz
                       ORDER BY id FOR NO KEY UPDATE),
                $2::timestamptz) s
        """)
    let contact: String
    let now: Instant
    /// The client whose users row to lock, for a new order.
    let client: Int64?
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [contact, now, client] }
}

/// The client's effectively active orders: why an insert was refused.
struct ActiveOrderCount: PostgresStatement {
    static let statement = PreparedStatement(
        "order_active_count_of_client",
        """
        SELECT count(*) FROM orders WHERE client_id = $1::bigint AND status = 'active' AND due_at > $2::timestamptz
        """)
    let clientID: Int64
    let now: Instant
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [clientID, now] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Int64 { try row.int(0) }
}

/// What a new order is made of; the timers and limits come from the settings.
public struct NewOrder: Sendable {
    public var id: String
    public var clientID: Int64
    public var category: String
    public var description: String
    public var city: String
    /// Normalised (`Contact.normalize`).
    public var contact: String

    public init(id: String, clientID: Int64, category: String, description: String, city: String, contact: String) {
        self.id = id
        self.clientID = clientID
        self.category = category
        self.description = description
        self.city = city
        self.contact = contact
    }
}

/// Inserts an order and returns it, or no row when the client already holds
/// `maxActiveOrders` effectively active orders or the contact has an active order: both are
/// refusals, and neither makes the statement fail (after `ClaimContact`, the conflict never
/// happens; DO NOTHING keeps it a refusal should another writer ever skip that step).
struct InsertOrder: PostgresStatement {
    static let statement = PreparedStatement(
        "order_insert",
        """
        INSERT INTO orders AS o (id, client_id, category, description, city, contact, created_at, lifetime_minutes,
                                 expires_at, no_response_minutes, max_executors, due_at)
        SELECT $1, $2::bigint, $3, $4, $5, $6, $7::timestamptz, $8::integer,
               $7::timestamptz + make_interval(mins => $8::integer), $9::integer, $10::integer,
               $7::timestamptz + make_interval(mins => $8::integer)
         WHERE (SELECT count(*) FROM orders c
                 WHERE c.client_id = $2::bigint AND c.status = 'active' AND c.due_at > $7::timestamptz) < $11::integer
        ON CONFLICT ((lower(contact))) WHERE status = 'active' DO NOTHING
        RETURNING \(OrderColumns.all)
        """)
    let order: NewOrder
    let now: Instant
    let lifetimeMinutes: Int
    let noResponseMinutes: Int
    let maxExecutors: Int
    let maxActiveOrders: Int
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] {
        [
            order.id, order.clientID, order.category, order.description, order.city, order.contact, now,
            lifetimeMinutes, noResponseMinutes, maxExecutors, maxActiveOrders,
        ]
    }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> OrderRecord { try OrderRecord(row) }
}

/// Changes only the given fields (nil keeps the stored value). A new contact is written only
/// when no other active order has it (run after `ClaimContact` for it): no row returned means
/// it is taken.
struct UpdateOrder: PostgresCommand {
    static let statement = PreparedStatement(
        "order_update",
        """
        UPDATE orders
           SET category = COALESCE($2, category), description = COALESCE($3, description),
               contact = COALESCE($4, contact)
         WHERE id = $1
           AND ($4::text IS NULL OR lower($4::text) = lower(contact)
                OR NOT EXISTS (SELECT 1 FROM orders x WHERE lower(x.contact) = lower($4::text) AND x.status = 'active'))
        RETURNING id
        """)
    let orderID: String
    let category: String?
    let description: String?
    let contact: String?
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [orderID, category, description, contact] }
}

struct MarkDeleted: PostgresCommand {
    static let statement = PreparedStatement(
        "order_mark_deleted",
        """
        UPDATE orders SET status = 'deleted', finished_at = $2::timestamptz WHERE id = $1
        """)
    let orderID: String
    let now: Instant
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [orderID, now] }
}

/// The client answered: the no-response clock stops and only the expiry remains.
struct MarkResponded: PostgresCommand {
    static let statement = PreparedStatement(
        "order_mark_responded",
        """
        UPDATE orders SET customer_responded_at = $2::timestamptz, no_response_at = NULL, due_at = expires_at
         WHERE id = $1
        """)
    let orderID: String
    let now: Instant
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [orderID, now] }
}

/// Client-initiated end: 'closed_no_response' (no refunds) or 'completed'.
struct FinishOrder: PostgresCommand {
    static let statement = PreparedStatement(
        "order_finish",
        """
        UPDATE orders SET status = $2, finished_at = $3::timestamptz WHERE id = $1
        """)
    let orderID: String
    let status: OrderStatus
    let now: Instant
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [orderID, status.rawValue, now] }
}

/// A take and its charge in one statement. The executor's users row is locked first and the
/// take made only when the balance covers it, so an overdraft is a refusal (no row returned),
/// not a failed statement that PostgreSQL would log with the user's row; the ledger's CHECK
/// stays the backstop. The take trigger checks the order. Returns the new balance and the take.
struct TakeAndCharge: PostgresStatement {
    static let statement = PreparedStatement(
        "order_take_and_charge",
        """
        WITH payer AS (
            SELECT id FROM users WHERE id = $2::bigint AND balance >= $3::bigint FOR NO KEY UPDATE
        ), take AS (
            INSERT INTO executor_takes (order_id, executor_id, amount_paid, taken_at)
            SELECT $1, payer.id, $3::bigint, $4::timestamptz FROM payer
            RETURNING id, order_id, executor_id, amount_paid
        )
        INSERT INTO balance_transactions (user_id, type, amount, order_id, take_id, description)
        SELECT executor_id, 'order_take', -amount_paid, order_id, id, 'Order take' FROM take
        RETURNING balance_after, take_id
        """)
    let orderID: String
    let executorID: Int64
    let amount: Int64
    let now: Instant
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [orderID, executorID, amount, now] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> (balance: Int64, takeID: Int64) {
        (try row.int(0), try row.int(1))
    }
}

/// Drops counters that reached zero (an order moved away from that status, category or city),
/// so sums read only the keys in use. Run by the closer after its batches.
public struct PruneOrderCounts: PostgresCommand {
    static let statement = PreparedStatement(
        "order_counts_prune",
        """
        DELETE FROM order_counts WHERE orders = 0
        """)
    public init() {}
    public var prepared: PreparedStatement { Self.statement }
    public var bindings: [any PostgresParameter] { [] }
}
