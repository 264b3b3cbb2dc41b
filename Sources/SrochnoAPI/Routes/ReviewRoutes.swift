import SrochnoCore
import SrochnoStore

/// `/api/reviews…` (SPEC §6 Reviews).
struct ReviewRoutes: RouteArea {
    let store: Store
    let auth: Authenticator

    static let routes: [RouteEntry<ReviewRoutes>] = [
        RouteEntry("GET", "/api/reviews/check", { $0.check }),
        RouteEntry("POST", "/api/reviews/client", { $0.reviewExecutor }),
        RouteEntry("POST", "/api/reviews/executor", { $0.complainAboutClient }),
        RouteEntry("GET", "/api/reviews", { $0.list }),
    ]

    func check(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        var query = try QueryParameters(context.request.query)
        let orderID = query.requiredString("order_id")
        try query.finish()
        let submitted = try store.feedbackSubmitted(orderID: orderID ?? "", userID: user.id)
        return .json(200) { json in
            json.beginObject()
            json.key("submitted"); json.value(submitted != nil)
            json.key("type")
            switch submitted {
            case .review?: json.value("review")
            case .complaint?: json.value("complaint")
            case nil: json.null()
            }
            json.endObject()
        }
    }

    /// A client rates one executor of a finished order (effectively completed or expired).
    func reviewExecutor(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        var fields = FieldReader(try parseJSONObjectBody(context.request.body))
        let orderID = fields.string("order_id", required: true)
        let executorID = fields.int("executor_id", range: 1...Int64.max)
        let rating = fields.int("rating", required: true, range: 1...5)
        let comment = fields.string("comment", characters: Bounds.reviewCommentCharacters)
        try fields.finish()
        guard let orderID, let rating else { throw APIError.internalError }
        let id = try store.reviewExecutor(
            orderID: orderID, clientID: user.id, executorID: executorID, rating: rating,
            comment: comment, now: context.now
        ).orThrow()
        return created(key: "review_id", id: id)
    }

    /// An executor complains about the client of an order it took.
    func complainAboutClient(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        var fields = FieldReader(try parseJSONObjectBody(context.request.body))
        let orderID = fields.string("order_id", required: true)
        let reasonText = fields.string("complaint", required: true)
        let comment = fields.string("comment", characters: Bounds.reviewCommentCharacters)
        let reason = reasonText.flatMap(ComplaintReason.init(rawValue:))
        if reasonText != nil, reason == nil {
            let allowed = pydanticAlternatives(ComplaintReason.allCases.map(\.rawValue))
            fields.fail("complaint", "Input should be \(allowed)", type: "literal_error")
        }
        try fields.finish()
        guard let orderID, let reason else { throw APIError.internalError }
        let id = try store.complain(orderID: orderID, executorID: user.id, reason: reason, comment: comment).orThrow()
        return created(key: "complaint_id", id: id)
    }

    func list(_ context: RequestContext) throws -> HTTPResponse {
        var query = try QueryParameters(context.request.query)
        let rating = query.optionalInt("rating", range: 1...5)
        let limit = query.int("limit", default: Bounds.reviewListLimit.defaultValue, range: Bounds.reviewListLimit.range)
        let mine = query.bool("mine")
        let aboutMe = query.bool("about_me")
        try query.finish()

        let scope: ReviewListScope = mine ? .aboutMe : (aboutMe ? .writtenByMe : .everyone)
        let userID = scope == .everyone ? try auth.optionalUser(context)?.id : try auth.requireUser(context).id
        let reviews = try store.reviews(scope: scope, rating: rating, userID: userID, limit: limit)
        return .json(200) { json in
            json.beginArray()
            for review in reviews {
                json.beginObject()
                json.key("id"); json.value(review.id)
                json.key("author_name"); json.value(review.authorName)
                json.key("rating"); json.value(review.rating)
                json.key("comment"); json.value(review.comment)
                json.key("category"); json.value(review.category)
                json.key("created_at"); json.value(review.createdAt.rfc3339)
                json.key("order_id"); json.value(review.orderID)
                json.key("description"); json.value(review.description)
                json.key("city"); json.value(review.city)
                json.key("contact"); json.null()  // never shown in reviews, to anyone
                json.endObject()
            }
            json.endArray()
        }
    }

    private func created(key: String, id: Int64) -> HTTPResponse {
        .json(200) { json in
            json.beginObject()
            json.key("success"); json.value(true)
            json.key(key); json.value(id)
            json.endObject()
        }
    }
}
