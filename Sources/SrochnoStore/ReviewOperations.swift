public import SrochnoCore
import SrochnoPostgres

extension Store {
    public func feedbackSubmitted(orderID: String, userID: Int64) throws -> SubmittedFeedback? {
        try database().queryOne(FeedbackSubmitted(orderID: orderID, userID: userID))
    }

    /// A client rates one executor (the first taker when none is named) of its order that is
    /// effectively completed or expired. Returns the review's id.
    public func reviewExecutor(
        orderID: String, clientID: Int64, executorID: Int64?, rating: Int64, comment: String?,
        now: Instant
    ) throws -> Result<Int64, ReviewRefusal> {
        let db = try database()
        return try db.transaction {
            guard let order = try lockAndSettle(db, orderID: orderID, now: now), order.clientID == clientID
            else { return .failure(.orderNotFoundOrNotClient) }
            let status = order.timeline.effectiveStatus(at: now)
            guard status == .completed || status == .expired else { return .failure(.notFinished) }
            guard let executor = executorID ?? order.takes.first?.executorID else { return .failure(.noExecutor) }
            guard order.wasTaken(by: executor) else { return .failure(.executorDidNotTake) }
            let review = InsertReview(orderID: order.id, clientID: clientID, executorID: executor, rating: rating, comment: comment)
            guard let id = try db.queryFirst(review) else { return .failure(.alreadyReviewed) }
            return .success(id)
        }
    }

    /// An executor complains about the client of an order it took. Returns the complaint's id.
    public func complain(orderID: String, executorID: Int64, reason: ComplaintReason, comment: String?) throws -> Result<
        Int64, ReviewRefusal
    > {
        let db = try database()
        guard OrderID.isWellFormed(orderID), try db.queryFirst(TakeExists(orderID: orderID, executorID: executorID)) != nil else {
            return .failure(.didNotTake)
        }
        let complaint = InsertComplaint(orderID: orderID, executorID: executorID, reason: reason.rawValue, comment: comment)
        guard let id = try db.queryFirst(complaint) else { return .failure(.alreadyComplained) }
        return .success(id)
    }

    /// The newest reviews, optionally of one rating, about or by one user.
    public func reviews(scope: ReviewListScope, rating: Int64?, userID: Int64?, limit: Int64) throws -> [ReviewListItem] {
        let shape = ReviewListShape(byRating: rating != nil, scope: scope)
        let statement = ReviewList(
            prepared: shapedStatement(named: shape.statementName, shape.statement), limit: limit,
            rating: rating, userID: scope == .everyone ? nil : userID)
        return try database().query(statement)
    }
}
