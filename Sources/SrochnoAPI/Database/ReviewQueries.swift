import SrochnoPostgres

/// SQL for `client_reviews` and `executor_complaints`.
enum ReviewQueries {
    /// No row returned: this review exists already (a refusal, not a failed statement that
    /// PostgreSQL would log with the row).
    static let insertReview = PreparedStatement("review_insert", """
        INSERT INTO client_reviews (order_id, client_id, executor_id, rating, comment)
        VALUES ($1, $2::bigint, $3::bigint, $4::smallint, $5)
        ON CONFLICT ON CONSTRAINT client_reviews_once DO NOTHING
        RETURNING id
        """)

    /// Whether the executor took the order; the complaint needs a take to refer to.
    static let takeExists = PreparedStatement("review_take_exists", """
        SELECT 1 FROM executor_takes WHERE order_id = $1 AND executor_id = $2::bigint
        """)

    /// No row returned: this complaint exists already.
    static let insertComplaint = PreparedStatement("complaint_insert", """
        INSERT INTO executor_complaints (order_id, executor_id, reason, comment)
        VALUES ($1, $2::bigint, $3, $4)
        ON CONFLICT ON CONSTRAINT executor_complaints_once DO NOTHING
        RETURNING id
        """)

    /// What the user already submitted for an order: a review as its client, or a complaint
    /// as one of its executors.
    static let submitted = PreparedStatement("review_submitted", """
        SELECT EXISTS (SELECT 1 FROM client_reviews WHERE order_id = $1 AND client_id = $2::bigint),
               EXISTS (SELECT 1 FROM executor_complaints WHERE order_id = $1 AND executor_id = $2::bigint)
        """)

    static let all = [insertReview, takeExists, insertComplaint, submitted]
}

/// Whose reviews a `GET /api/reviews` lists.
enum ReviewListScope: String, CaseIterable, Sendable {
    case everyone
    /// Reviews about me as an executor (`mine=true`).
    case aboutMe
    /// Reviews I wrote as a client (`about_me=true`; the names are the Mini App's).
    case writtenByMe
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
        return PreparedStatement(statementName, """
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
