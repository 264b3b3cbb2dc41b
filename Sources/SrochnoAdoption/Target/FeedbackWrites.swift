import SrochnoCore
import SrochnoPostgres
import SrochnoStore  // timestamps as statement parameters

/// A batch of reviews; only of a take on an order stored completed or expired, as the table's
/// trigger and foreign key demand, so a row that does not qualify is left out rather than
/// failing the batch. Returns the reviews written.
struct InsertReviews: PostgresStatement {
    static let statement = PreparedStatement(
        "adopt_insert_reviews",
        """
        INSERT INTO client_reviews (order_id, client_id, executor_id, rating, comment, created_at)
        SELECT r.order_id, r.client_id, r.executor_id, r.rating, r.comment, r.created_at
          FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::smallint[], $5::text[], $6::timestamptz[])
               AS r (order_id, client_id, executor_id, rating, comment, created_at)
         WHERE EXISTS (SELECT 1 FROM orders o WHERE o.id = r.order_id AND o.status IN ('completed', 'expired'))
           AND EXISTS (SELECT 1 FROM executor_takes t WHERE t.order_id = r.order_id AND t.executor_id = r.executor_id)
        ON CONFLICT DO NOTHING
        RETURNING order_id, executor_id
        """)
    let reviews: [ReviewImport]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] {
        [
            ArrayParameter(reviews.map(\.orderID)), ArrayParameter(reviews.map(\.clientID)), ArrayParameter(reviews.map(\.executorID)),
            ArrayParameter(reviews.map(\.rating)), ArrayParameter(reviews.map(\.comment)), ArrayParameter(reviews.map(\.createdAt)),
        ]
    }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> (orderID: String, executorID: Int64) {
        (try row.string(0), try row.int(1))
    }
}

/// A batch of complaints, each of a take. Returns the complaints written.
struct InsertComplaints: PostgresStatement {
    static let statement = PreparedStatement(
        "adopt_insert_complaints",
        """
        INSERT INTO executor_complaints (order_id, executor_id, reason, comment, created_at)
        SELECT c.order_id, c.executor_id, c.reason, c.comment, c.created_at
          FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::timestamptz[])
               AS c (order_id, executor_id, reason, comment, created_at)
         WHERE EXISTS (SELECT 1 FROM executor_takes t WHERE t.order_id = c.order_id AND t.executor_id = c.executor_id)
        ON CONFLICT DO NOTHING
        RETURNING order_id, executor_id
        """)
    let complaints: [ComplaintImport]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] {
        [
            ArrayParameter(complaints.map(\.orderID)), ArrayParameter(complaints.map(\.executorID)),
            ArrayParameter(complaints.map(\.reason.rawValue)), ArrayParameter(complaints.map(\.comment)),
            ArrayParameter(complaints.map(\.createdAt)),
        ]
    }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> (orderID: String, executorID: Int64) {
        (try row.string(0), try row.int(1))
    }
}
