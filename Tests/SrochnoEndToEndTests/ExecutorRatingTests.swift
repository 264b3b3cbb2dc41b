import SrochnoCore
import SrochnoPostgres
import SrochnoTestSupport
import Testing

/// The `rating` of `GET /api/users/me`: the mean of the client reviews about the user as an
/// executor, rounded to 2 decimals, 0 when none; always what the reviews table says.
@Suite struct ExecutorRatingTests {
    let api: ReviewAPI

    init() throws { api = try ReviewAPI() }

    /// Reviews `executor` once per rating, each on its own order of its own client.
    private func review(_ executor: TestUser, with ratings: [Int64]) throws {
        for rating in ratings {
            let client = TestUser(api.stack)
            let order = try api.completedOrder(client: client, executors: [executor])
            #expect(ReviewAPI.createdID(try api.review(order, rating: rating, as: client), key: "review_id") != nil)
        }
    }

    /// The rating the database itself computes from the reviews table.
    private func storedMean(of user: TestUser) throws -> Double? {
        let result = try api.stack.database().execute(
            sql: "SELECT round(avg(rating), 2)::text FROM client_reviews WHERE executor_id = $1::bigint", [user.id])
        return result.string(0, 0).flatMap(Double.init)
    }

    @Test func aNewUserHasRatingZero() throws {
        let user = TestUser(api.stack)
        let response = try api.http.get("/api/users/me", as: user)
        #expect(response.status == 200, "body: \(response.text)")
        #expect(ReviewJSON.number(try response.json()["rating"]) == 0)
    }

    @Test func theRatingIsTheMeanRoundedToTwoDecimals() throws {
        let executor = try api.executor(takes: 3)
        try review(executor, with: [5])
        #expect(try api.profileRating(of: executor) == 5)
        try review(executor, with: [4])
        #expect(try api.profileRating(of: executor) == 4.5)
        try review(executor, with: [4])
        #expect(try api.profileRating(of: executor) == 4.33)
        #expect(try storedMean(of: executor) == 4.33)
    }

    @Test func halvesRoundUp() throws {
        let executor = try api.executor(takes: 3)
        try review(executor, with: [1, 2, 2])
        #expect(try api.profileRating(of: executor) == 1.67)
    }

    @Test func reviewsOfTheSameOrderByOneClientAllCount() throws {
        // Each executor of one order is rated separately; only its own review counts for it.
        let client = TestUser(api.stack)
        let good = try api.executor(), poor = try api.executor()
        let order = try api.completedOrder(client: client, executors: [good, poor])
        #expect(ReviewAPI.createdID(try api.review(order, executor: good.id, rating: 5, as: client), key: "review_id") != nil)
        #expect(ReviewAPI.createdID(try api.review(order, executor: poor.id, rating: 1, as: client), key: "review_id") != nil)
        try review(poor, with: [2])

        #expect(try api.profileRating(of: good) == 5)
        #expect(try api.profileRating(of: poor) == 1.5)
        #expect(try api.profileRating(of: client) == 0, "writing reviews does not rate the client")
    }

    @Test func rejectedReviewsLeaveTheRatingAlone() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor(takes: 2)
        let order = try api.completedOrder(client: client, executors: [executor])
        #expect(ReviewAPI.createdID(try api.review(order, rating: 2, as: client), key: "review_id") != nil)
        ReviewExpect.detail(try api.review(order, rating: 5, as: client), 409, "Review already submitted")
        ReviewExpect.validation(try api.review(order, rating: 6, as: client), ["body", "rating"], type: "less_than_equal")
        let active = try api.takenOrder(client: client, executors: [executor])
        ReviewExpect.detail(try api.review(active, rating: 5, as: client), 400, "Only completed or expired orders can be reviewed")
        // A complaint is about the client, not a rating of anyone.
        #expect(ReviewAPI.createdID(try api.complain(active, reason: "Другое", as: executor), key: "complaint_id") != nil)

        #expect(try api.profileRating(of: executor) == 2)
        #expect(try api.profileRating(of: client) == 0)
    }

    @Test func parallelReviewsOfOneExecutorAllCount() throws {
        let ratings: [Int64] = [5, 4, 3, 5, 1, 2]
        let executor = try api.executor(takes: ratings.count)
        let clients = ratings.map { _ in TestUser(api.stack) }
        let orders = try clients.map { try api.completedOrder(client: $0, executors: [executor]) }

        let results = inParallel(ratings.count) { index in try api.review(orders[index], rating: ratings[index], as: clients[index]) }
        #expect(try results.map { try $0.get().status } == Array(repeating: 200, count: ratings.count))
        #expect(try api.profileRating(of: executor) == 3.33)
        #expect(try storedMean(of: executor) == 3.33)
        let listed = try api.items("mine=true", as: executor).compactMap { $0["rating"]?.intValue }
        #expect(listed.sorted() == ratings.sorted())
    }
}
