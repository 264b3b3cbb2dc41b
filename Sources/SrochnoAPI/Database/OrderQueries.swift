import SrochnoCore
import SrochnoPostgres

/// SQL for `orders` and `executor_takes`. Every statement that returns orders selects
/// `columns`, read back by `OrderRow`.
enum OrderQueries {
    /// The order with its takes and first review, as `OrderRow` reads them.
    static let columns = ownColumns + ",\n" + relatedColumns(of: "o")

    /// The order's own columns (`OrderRow` columns 0–13) from `o`.
    static let ownColumns = """
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
    static func relatedColumns(of alias: String) -> String {
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

    static let byID = PreparedStatement("order_by_id", "SELECT \(columns) FROM orders o WHERE o.id = $1")

    /// `byID` for a signed-in viewer ($2–$6 as `UserQueries.isCurrent`), with whether the
    /// viewer's users row is current as the last column.
    static let byIDForViewer = PreparedStatement("order_by_id_for_viewer", """
        SELECT \(columns), \(UserQueries.isCurrent(id: 2, fields: 3)) AS viewer_current FROM orders o WHERE o.id = $1
        """)

    /// Locks the order for a write; everything a write decides on is read under this lock.
    static let lockByID = PreparedStatement("order_lock_by_id", "SELECT \(columns) FROM orders o WHERE o.id = $1 FOR NO KEY UPDATE OF o")

    /// `lockByID` for a signed-in caller ($2–$6 as `UserQueries.isCurrent`), with whether the
    /// caller's users row is current as the last column.
    static let lockByIDForViewer = PreparedStatement("order_lock_by_id_for_viewer", """
        SELECT \(columns), \(UserQueries.isCurrent(id: 2, fields: 3)) AS viewer_current
          FROM orders o WHERE o.id = $1 FOR NO KEY UPDATE OF o
        """)

    /// Applies due transitions (with refunds) to the given, already locked orders.
    static let settle = PreparedStatement("order_settle", """
        SELECT expired, closed, refunds FROM apply_due_transitions($1::text[], $2::timestamptz)
        """)

    /// One batch of the closer: due orders that no other transaction holds, oldest due first.
    /// SKIP LOCKED lets several closers (and request handlers) work side by side without
    /// waiting on each other or settling an order twice.
    static let settleDueBatch = PreparedStatement("order_settle_due_batch", """
        SELECT expired, closed, refunds FROM apply_due_transitions(
            ARRAY(SELECT id FROM orders
                   WHERE status = 'active' AND due_at <= $1::timestamptz
                   ORDER BY due_at LIMIT $2::integer FOR NO KEY UPDATE SKIP LOCKED),
            $1::timestamptz)
        """)

    /// The first step of every write that makes a contact active: holds the contact's advisory
    /// lock and, for a new order, the client's users row (so concurrent creates of one client
    /// count each other's orders) until the transaction ends, and settles the active orders
    /// with this contact whose time ran out, so they free it. $1 contact, $2 now, $3 the
    /// client to lock (NULL for none). The following statement, with a snapshot taken after
    /// these locks, then decides without ever failing on the unique index.
    static let claimContact = PreparedStatement("order_claim_contact", """
        SELECT pg_advisory_xact_lock(\(AdvisoryLock.contact.rawValue), hashtext(lower($1::text))) AS contact_locked,
               (SELECT 1 FROM users WHERE id = $3::bigint FOR NO KEY UPDATE) AS client_locked,
               s.expired, s.closed, s.refunds
          FROM apply_due_transitions(
                ARRAY(SELECT id FROM orders
                       WHERE lower(contact) = lower($1::text) AND status = 'active' AND due_at <= $2::timestamptz
                       ORDER BY id FOR NO KEY UPDATE),
                $2::timestamptz) s
        """)

    /// The client's effectively active orders ($1 client, $2 now): why an insert was refused.
    static let activeCountOfClient = PreparedStatement("order_active_count_of_client", """
        SELECT count(*) FROM orders WHERE client_id = $1::bigint AND status = 'active' AND due_at > $2::timestamptz
        """)

    /// $1 id, $2 client, $3 category, $4 description, $5 city, $6 contact, $7 now,
    /// $8 lifetime minutes, $9 no-response minutes, $10 max executors, $11 the most effectively
    /// active orders a client may hold. Returns the new order as `columns`, or no row when the
    /// client is at that limit or the contact has an active order: both are refusals, and
    /// neither makes the statement fail (after `claimContact`, the conflict never happens; DO
    /// NOTHING keeps it a refusal should another writer ever skip that step).
    static let insert = PreparedStatement("order_insert", """
        INSERT INTO orders AS o (id, client_id, category, description, city, contact, created_at, lifetime_minutes,
                                 expires_at, no_response_minutes, max_executors, due_at)
        SELECT $1, $2::bigint, $3, $4, $5, $6, $7::timestamptz, $8::integer,
               $7::timestamptz + make_interval(mins => $8::integer), $9::integer, $10::integer,
               $7::timestamptz + make_interval(mins => $8::integer)
         WHERE (SELECT count(*) FROM orders c
                 WHERE c.client_id = $2::bigint AND c.status = 'active' AND c.due_at > $7::timestamptz) < $11::integer
        ON CONFLICT ((lower(contact))) WHERE status = 'active' DO NOTHING
        RETURNING \(columns)
        """)

    /// Changes only the given fields; NULL keeps the stored value. A new contact ($4) is
    /// written only when no other active order has it (run after `claimContact` for it):
    /// no row returned means it is taken.
    static let update = PreparedStatement("order_update", """
        UPDATE orders
           SET category = COALESCE($2, category), description = COALESCE($3, description),
               contact = COALESCE($4, contact)
         WHERE id = $1
           AND ($4::text IS NULL OR lower($4::text) = lower(contact)
                OR NOT EXISTS (SELECT 1 FROM orders x WHERE lower(x.contact) = lower($4::text) AND x.status = 'active'))
        RETURNING id
        """)

    static let markDeleted = PreparedStatement("order_mark_deleted", """
        UPDATE orders SET status = 'deleted', finished_at = $2::timestamptz WHERE id = $1
        """)

    /// The client answered: the no-response clock stops and only the expiry remains.
    static let markResponded = PreparedStatement("order_mark_responded", """
        UPDATE orders SET customer_responded_at = $2::timestamptz, no_response_at = NULL, due_at = expires_at
         WHERE id = $1
        """)

    /// Client-initiated end: 'closed_no_response' (no refunds) or 'completed'.
    static let finish = PreparedStatement("order_finish", """
        UPDATE orders SET status = $2, finished_at = $3::timestamptz WHERE id = $1
        """)

    /// A take and its charge in one statement: $1 order, $2 executor, $3 amount, $4 moment.
    /// The executor's users row is locked first and the take made only when the balance
    /// covers it, so an overdraft is a refusal (no row returned), not a failed statement that
    /// PostgreSQL would log with the user's row; the ledger's CHECK stays the backstop. The
    /// take trigger checks the order. Returns the executor's new balance.
    static let takeAndCharge = PreparedStatement("order_take_and_charge", """
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

    static let all = [byID, byIDForViewer, lockByID, lockByIDForViewer, settle, claimContact, activeCountOfClient, insert, update, markDeleted, markResponded, finish,
                      takeAndCharge]
}
