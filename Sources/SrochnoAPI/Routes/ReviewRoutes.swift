import SrochnoCore
import SrochnoPostgres

extension API {
    func reviewCheck(_ context: RequestContext) throws -> HTTPResponse {
        let user = try requireUser(context)
        var query = try QueryParameters(context.request.query)
        let orderID = query.requiredString("order_id")
        try query.finish()
        let row = try database().execute(ReviewQueries.submitted, [orderID ?? "", user.id])
        let type: String? = row.bool(0, 0) == true ? "review" : (row.bool(0, 1) == true ? "complaint" : nil)
        return .json(200) { json in
            json.beginObject()
            json.key("submitted"); json.value(type != nil)
            json.key("type"); json.value(type)
            json.endObject()
        }
    }

    /// A client rates one executor of a finished order (effectively completed or expired).
    func reviewExecutor(_ context: RequestContext) throws -> HTTPResponse {
        let user = try requireUser(context)
        var fields = FieldReader(try parseJSONObjectBody(context.request.body))
        let orderID = fields.string("order_id", required: true)
        let executorID = fields.int("executor_id", range: 1...Int64.max)
        let rating = fields.int("rating", required: true, range: 1...5)
        let comment = fields.string("comment", characters: 0...500)
        try fields.finish()
        guard let orderID, let rating else { throw APIError.internalError }

        let db = try database()
        let outcome: Result<Int64, APIError> = try db.transaction {
            guard let order = try lockAndSettle(db, orderID: orderID, now: context.now), order.clientID == user.id
            else { return .failure(APIError(404, "Order not found or you are not the client")) }
            let status = order.timeline.effectiveStatus(at: context.now)
            guard status == .completed || status == .expired else {
                return .failure(APIError(400, "Only completed or expired orders can be reviewed"))
            }
            guard let executor = executorID ?? order.takes.first?.executorID else {
                return .failure(APIError(400, "No executor has taken this order"))
            }
            guard order.wasTaken(by: executor) else {
                return .failure(APIError(400, "This executor did not take this order"))
            }
            let review = try db.execute(ReviewQueries.insertReview, [order.id, user.id, executor, rating, comment])
            guard review.rowCount == 1 else { return .failure(APIError(409, "Review already submitted")) }
            return .success(review.int(0, 0) ?? 0)
        }
        return created(key: "review_id", id: try outcome.get())
    }

    /// An executor complains about the client of an order it took.
    func complainAboutClient(_ context: RequestContext) throws -> HTTPResponse {
        let user = try requireUser(context)
        var fields = FieldReader(try parseJSONObjectBody(context.request.body))
        let orderID = fields.string("order_id", required: true)
        let reasonText = fields.string("complaint", required: true)
        let comment = fields.string("comment", characters: 0...500)
        if let reasonText, ComplaintReason(rawValue: reasonText) == nil {
            let allowed = pydanticAlternatives(ComplaintReason.allCases.map(\.rawValue))
            fields.fail("complaint", "Input should be \(allowed)", type: "literal_error")
        }
        try fields.finish()
        guard let orderID, let reasonText else { throw APIError.internalError }

        let db = try database()
        guard OrderID.isWellFormed(orderID), try db.execute(ReviewQueries.takeExists, [orderID, user.id]).rowCount == 1 else {
            throw APIError(404, "You did not take this order")
        }
        let complaint = try db.execute(ReviewQueries.insertComplaint, [orderID, user.id, reasonText, comment])
        guard complaint.rowCount == 1 else { throw APIError(409, "Complaint already submitted") }
        return created(key: "complaint_id", id: complaint.int(0, 0) ?? 0)
    }

    func listReviews(_ context: RequestContext) throws -> HTTPResponse {
        var query = try QueryParameters(context.request.query)
        let rating = query.optionalInt("rating", range: 1...5)
        let limit = query.int("limit", default: 50, range: 1...100)
        let mine = query.bool("mine")
        let aboutMe = query.bool("about_me")
        try query.finish()

        let scope: ReviewListScope = mine ? .aboutMe : (aboutMe ? .writtenByMe : .everyone)
        var parameters: [any PostgresParameter] = [limit]
        if let rating { parameters.append(rating) }
        if scope != .everyone { parameters.append(try requireUser(context).id) } else { _ = try optionalUser(context) }
        let shape = ReviewListShape(byRating: rating != nil, scope: scope)
        let rows = try database().execute(shapedStatement(named: shape.statementName, shape.statement), parameters)
        return .json(200) { json in
            json.beginArray()
            for row in 0..<rows.rowCount {
                json.beginObject()
                json.key("id"); json.value(rows.int(row, 0) ?? 0)
                json.key("author_name"); json.value(rows.string(row, 1))
                json.key("rating"); json.value(rows.int(row, 2) ?? 0)
                json.key("comment"); json.value(rows.string(row, 3))
                json.key("category"); json.value(rows.string(row, 4))
                json.key("created_at"); json.value(Instant(microseconds: rows.int(row, 5) ?? 0).rfc3339)
                json.key("order_id"); json.value(rows.string(row, 6))
                json.key("description"); json.value(rows.string(row, 7))
                json.key("city"); json.value(rows.string(row, 8))
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
