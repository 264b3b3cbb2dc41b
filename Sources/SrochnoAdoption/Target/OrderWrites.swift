import SrochnoCore
import SrochnoPostgres
import SrochnoStore  // timestamps as statement parameters

/// A batch of orders in the shape they are first written: final for an order without takes,
/// the placeholder state (see `OrderImport.placeholderContact`) for one with takes. Expiry
/// and due moment come from the columns exactly as the table's CHECKs define them. Rows whose
/// id (or active contact) the table already holds are not written; the ids written are
/// returned.
struct InsertOrders: PostgresStatement {
    struct Entry {
        let order: OrderImport
        let placeholder: Bool
    }

    static let statement = PreparedStatement(
        "adopt_insert_orders",
        """
        INSERT INTO orders (id, client_id, category, description, city, contact, status, created_at, lifetime_minutes,
                            expires_at, no_response_minutes, max_executors, customer_responded_at, due_at, finished_at)
        SELECT o.id, o.client_id, o.category, o.description, o.city, o.contact, o.status, o.created_at, o.lifetime,
               o.created_at + make_interval(mins => o.lifetime), $13::integer, o.max_executors, o.responded,
               o.created_at + make_interval(mins => o.lifetime), o.finished
          FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                      $8::timestamptz[], $9::integer[], $10::integer[], $11::timestamptz[], $12::timestamptz[])
               AS o (id, client_id, category, description, city, contact, status, created_at, lifetime, max_executors,
                     responded, finished)
          ORDER BY o.id
        ON CONFLICT DO NOTHING
        RETURNING id
        """)
    let rows: [Entry]
    let noResponseMinutes: Int
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] {
        let orders = rows.map(\.order)
        return [
            ArrayParameter(orders.map(\.id)), ArrayParameter(orders.map(\.clientID)), ArrayParameter(orders.map(\.category)),
            ArrayParameter(orders.map(\.description)), ArrayParameter(orders.map(\.city)),
            ArrayParameter(rows.map { $0.placeholder ? $0.order.placeholderContact : $0.order.contact }),
            ArrayParameter(rows.map { $0.placeholder ? OrderStatus.active.rawValue : $0.order.storedStatus.rawValue }),
            ArrayParameter(orders.map(\.createdAt)),
            ArrayParameter(rows.map { $0.placeholder ? $0.order.placeholderLifetimeMinutes : $0.order.lifetimeMinutes }),
            ArrayParameter(orders.map(\.maxExecutors)),
            // The placeholder state is answered from the start, so no take starts a no-response clock.
            ArrayParameter(rows.map { $0.placeholder ? $0.order.createdAt : $0.order.respondedAt }),
            ArrayParameter(rows.map { $0.placeholder ? nil : $0.order.finishedAt }),
            noResponseMinutes,
        ]
    }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> String { try row.string(0) }
}

/// The takes of orders in their placeholder state, oldest first per order, as the take
/// trigger counts them and starts the order's clock. Returns the takes written.
struct InsertTakes: PostgresStatement {
    static let statement = PreparedStatement(
        "adopt_insert_takes",
        """
        INSERT INTO executor_takes (order_id, executor_id, amount_paid, taken_at)
        SELECT t.order_id, t.executor_id, $4::bigint, t.taken_at
          FROM unnest($1::text[], $2::bigint[], $3::timestamptz[]) WITH ORDINALITY AS t (order_id, executor_id, taken_at, n)
         ORDER BY t.n
        ON CONFLICT (order_id, executor_id) DO NOTHING
        RETURNING order_id, executor_id
        """)
    let takes: [(orderID: String, take: TakeImport)]
    let amountPaid: Int64
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] {
        [
            ArrayParameter(takes.map(\.orderID)), ArrayParameter(takes.map(\.take.executorID)),
            ArrayParameter(takes.map(\.take.takenAt)), amountPaid,
        ]
    }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> (orderID: String, executorID: Int64) {
        (try row.string(0), try row.int(1))
    }
}

/// Orders written in their placeholder state become what they are: contact, status, lifetime,
/// the client's answer and the finish, with the first take, the no-response moment and the due
/// moment derived from the takes just written, as the table's CHECKs define them. An order
/// settled at adoption keeps its placeholder contact until it is no longer active.
struct FinishTakenOrders: PostgresCommand {
    static let statement = PreparedStatement(
        "adopt_finish_taken_orders",
        """
        UPDATE orders o
           SET contact = f.contact, status = f.status, lifetime_minutes = f.lifetime,
               expires_at = o.created_at + make_interval(mins => f.lifetime),
               customer_responded_at = f.responded,
               first_taken_at = t.first_taken,
               no_response_at = CASE WHEN f.responded IS NULL THEN t.first_taken + make_interval(mins => o.no_response_minutes) END,
               due_at = LEAST(o.created_at + make_interval(mins => f.lifetime),
                              CASE WHEN f.responded IS NULL THEN t.first_taken + make_interval(mins => o.no_response_minutes) END),
               finished_at = f.finished
          FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::timestamptz[], $6::timestamptz[])
                 AS f (id, contact, status, lifetime, responded, finished)
         CROSS JOIN LATERAL (SELECT min(taken_at) AS first_taken FROM executor_takes WHERE order_id = f.id) t
         WHERE o.id = f.id
        """)
    let orders: [OrderImport]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] {
        [
            ArrayParameter(orders.map(\.id)),
            ArrayParameter(orders.map { $0.settledStatus == nil ? $0.contact : $0.placeholderContact }),
            ArrayParameter(orders.map(\.storedStatus.rawValue)), ArrayParameter(orders.map(\.lifetimeMinutes)),
            ArrayParameter(orders.map(\.respondedAt)), ArrayParameter(orders.map(\.finishedAt)),
        ]
    }
}

/// Old active orders that had to give up their contact and were due by the adoption moment:
/// the one implementation of the timed transitions settles them as of that moment, refunds
/// included (these orders were written in this transaction, so it holds their row locks).
struct SettleAdoptedOrders: PostgresStatement {
    static let statement = PreparedStatement(
        "adopt_settle_orders",
        """
        SELECT expired, closed, refunds FROM apply_due_transitions($1::text[], $2::timestamptz)
        """)
    let orderIDs: [String]
    let moment: Instant
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [orderIDs, moment] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> (expired: Int64, closed: Int64, refunds: Int64) {
        (try row.int(0), try row.int(1), try row.int(2))
    }
}

/// The real contacts of orders settled at adoption, now that they are no longer active.
struct SetContacts: PostgresCommand {
    static let statement = PreparedStatement(
        "adopt_set_contacts",
        """
        UPDATE orders o SET contact = f.contact
          FROM unnest($1::text[], $2::text[]) AS f (id, contact)
         WHERE o.id = f.id AND o.status <> 'active'
        """)
    let orders: [OrderImport]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [ArrayParameter(orders.map(\.id)), ArrayParameter(orders.map(\.contact))] }
}

/// Takes the advisory lock of each contact that is to stay active, as every API write that
/// makes a contact active does first (`ClaimContact`); `keys` sorted, so two batches cannot
/// deadlock. The statement after it then sees every competing writer.
struct LockContacts: PostgresCommand {
    static let statement = PreparedStatement(
        "adopt_lock_contacts",
        """
        SELECT pg_advisory_xact_lock(\(AdvisoryLock.contact.rawValue), hashtext(k)) FROM unnest($1::text[]) AS k
        """)
    let keys: [String]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [keys] }
}

/// Which of `keys` an order stored active in Srochno holds already.
struct ActiveContactsHeld: PostgresStatement {
    static let statement = PreparedStatement(
        "adopt_active_contacts_held",
        """
        SELECT DISTINCT lower(contact) FROM orders WHERE lower(contact) = ANY ($1::text[]) AND status = 'active'
        """)
    let keys: [String]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [keys] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> String { try row.string(0) }
}
