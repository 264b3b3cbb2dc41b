public import SrochnoCore
import SrochnoPostgres

/// `client_reviews` and `executor_complaints`.

/// No row returned: this review exists already (a refusal, not a failed statement that
/// PostgreSQL would log with the row).
struct InsertReview: PostgresStatement {
    static let statement = PreparedStatement(
        "review_insert",
        """
        INSERT INTO client_reviews (order_id, client_id, executor_id, rating, comment)
        VALUES ($1, $2::bigint, $3::bigint, $4::smallint, $5)
        ON CONFLICT ON CONSTRAINT client_reviews_once DO NOTHING
        RETURNING id
        """)
    let orderID: String
    let clientID: Int64
    let executorID: Int64
    let rating: Int64
    let comment: String?
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [orderID, clientID, executorID, rating, comment] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Int64 { try row.int(0) }
}

/// Whether the executor took the order; a complaint needs a take to refer to.
struct TakeExists: PostgresStatement {
    static let statement = PreparedStatement(
        "review_take_exists",
        """
        SELECT 1 FROM executor_takes WHERE order_id = $1 AND executor_id = $2::bigint
        """)
    let orderID: String
    let executorID: Int64
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [orderID, executorID] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) {}
}

/// No row returned: this complaint exists already.
struct InsertComplaint: PostgresStatement {
    static let statement = PreparedStatement(
        "complaint_insert",
        """
        INSERT INTO executor_complaints (order_id, executor_id, reason, comment)
        VALUES ($1, $2::bigint, $3, $4)
        ON CONFLICT ON CONSTRAINT executor_complaints_once DO NOTHING
        RETURNING id
        """)
    let orderID: String
    let executorID: Int64
    let reason: String
    let comment: String?
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [orderID, executorID, reason, comment] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Int64 { try row.int(0) }
}

/// What a user already submitted for an order: a review as its client, or a complaint as one
/// of its executors.
public enum SubmittedFeedback: Sendable, Equatable {
    case review, complaint
}

struct FeedbackSubmitted: PostgresStatement {
    static let statement = PreparedStatement(
        "review_submitted",
        """
        SELECT EXISTS (SELECT 1 FROM client_reviews WHERE order_id = $1 AND client_id = $2::bigint),
               EXISTS (SELECT 1 FROM executor_complaints WHERE order_id = $1 AND executor_id = $2::bigint)
        """)
    let orderID: String
    let userID: Int64
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [orderID, userID] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> SubmittedFeedback? {
        try row.bool(0) ? .review : (try row.bool(1) ? .complaint : nil)
    }
}

/// Whose reviews a `GET /api/reviews` lists.
public enum ReviewListScope: String, CaseIterable, Sendable {
    case everyone
    /// Reviews about me as an executor (`mine=true`).
    case aboutMe
    /// Reviews I wrote as a client (`about_me=true`; the names are the Mini App's).
    case writtenByMe
}

/// One review as `GET /api/reviews` shows it (never with the order's contact).
public struct ReviewListItem: Sendable, Equatable {
    public let id: Int64
    public let authorName: String?
    public let rating: Int64
    public let comment: String?
    public let category: String
    public let createdAt: Instant
    public let orderID: String
    public let description: String
    public let city: String
}

/// One shape of the reviews list, prepared as its own statement so each plan can use the
/// matching index; values are always bound parameters.
struct ReviewListShape: Hashable, Sendable {
    var byRating: Bool
    var scope: ReviewListScope

    var statementName: String { "reviews_list_\(byRating ? "r" : "")_\(scope.rawValue)" }

    /// Parameters: limit, then rating and user id when used.
    func statement() -> PreparedStatement {
        var next = 1
        func parameter(_ cast: String) -> String {
            next += 1
            return "$\(next)::\(cast)"
        }
        var conditions = ["true"]
        if byRating { conditions.append("r.rating = \(parameter("smallint"))") }
        switch scope {
        case .everyone: break
        case .aboutMe: conditions.append("r.executor_id = \(parameter("bigint"))")
        case .writtenByMe: conditions.append("r.client_id = \(parameter("bigint"))")
        }
        return PreparedStatement(
            statementName,
            """
            SELECT r.id, u.first_name, r.rating, r.comment, o.category, epoch_us(r.created_at), o.id, o.description, o.city
              FROM client_reviews r
              JOIN orders o ON o.id = r.order_id
              JOIN users u ON u.id = r.client_id
             WHERE \(conditions.joined(separator: " AND "))
             ORDER BY r.created_at DESC, r.id DESC
             LIMIT $1::bigint
            """)
    }
}

/// A page of the reviews list in one shape.
struct ReviewList: PostgresStatement {
    let prepared: PreparedStatement
    let limit: Int64
    let rating: Int64?
    let userID: Int64?
    var bindings: [any PostgresParameter] {
        var values: [any PostgresParameter] = [limit]
        if let rating { values.append(rating) }
        if let userID { values.append(userID) }
        return values
    }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> ReviewListItem {
        ReviewListItem(
            id: try row.int(0), authorName: row.optionalString(1), rating: try row.int(2), comment: row.optionalString(3),
            category: try row.string(4), createdAt: try row.instant(5), orderID: try row.string(6),
            description: try row.string(7), city: try row.string(8))
    }
}
