import SrochnoCore
import SrochnoTestSupport
import Testing

/// `POST /api/reviews/client`: a client rates each executor of a finished order once.
@Suite struct ReviewSubmitTests {
    let api: ReviewAPI

    init() throws { api = try ReviewAPI() }

    @Test func omittedExecutorMeansTheFirstTakerAndEachExecutorIsReviewedOnce() throws {
        let client = TestUser(api.stack, firstName: "Клиент")
        let first = try api.executor(), second = try api.executor()
        let order = try api.completedOrder(client: client, executors: [first, second])

        let byDefault = try api.review(order, rating: 5, comment: "Отлично", as: client)
        #expect(byDefault.status == 200, "body: \(byDefault.text)")
        #expect(ReviewJSON.keys(try byDefault.json()) == ["success", "review_id"])
        let firstID = try #require(ReviewAPI.createdID(byDefault, key: "review_id"))
        #expect(firstID > 0)
        #expect(try api.items("mine=true", as: first).map { $0["id"] } == [.int(firstID)])
        #expect(try api.items("mine=true", as: second).isEmpty)

        let explicit = try api.review(order, executor: second.id, rating: 4, as: client)
        let secondID = try #require(ReviewAPI.createdID(explicit, key: "review_id"), "body: \(explicit.text)")
        #expect(secondID != firstID)
        #expect(try api.items("mine=true", as: second).map { $0["id"] } == [.int(secondID)])

        ReviewExpect.detail(try api.review(order, rating: 3, as: client), 409, "Review already submitted")
        ReviewExpect.detail(try api.review(order, executor: first.id, rating: 1, as: client), 409, "Review already submitted")
        ReviewExpect.detail(
            try api.review(order, executor: second.id, rating: 2, comment: "иначе", as: client), 409, "Review already submitted")
        #expect(try api.items("about_me=true", as: client).compactMap { $0["rating"]?.intValue } == [4, 5])
    }

    @Test func anExpiredOrderThatWasTakenCanBeReviewed() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.expiredOrder(client: client, executors: [executor])
        #expect(try api.order(order, as: client)["status"]?.stringValue == "expired")

        let response = try api.review(order, rating: 2, comment: "Не пришёл вовремя", as: client)
        #expect(ReviewAPI.createdID(response, key: "review_id") != nil, "body: \(response.text)")
    }

    @Test func aLateUnansweredTakeStillLetsTheOrderExpire() throws {
        // Taken 55 minutes in and never answered: the lifetime ends (minute 60) before the
        // no-response window does (minute 70), so the order is expired, not closed.
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.createOrder(by: client)
        try api.stack.age(order: order, byMinutes: 55)
        _ = try api.takenOrder(existing: order, executors: [executor])
        try api.stack.age(order: order, byMinutes: 10)
        #expect(try api.order(order, as: client)["status"]?.stringValue == "expired")

        let response = try api.review(order, rating: 3, as: client)
        #expect(ReviewAPI.createdID(response, key: "review_id") != nil, "body: \(response.text)")
    }

    @Test(arguments: UnreviewableOrder.allCases)
    func onlyCompletedOrExpiredOrdersCanBeReviewed(_ state: UnreviewableOrder) throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try state.arrange(api, client: client, executor: executor)
        #expect(try api.order(order, as: client)["status"]?.stringValue == state.status)

        let message = "Only completed or expired orders can be reviewed"
        ReviewExpect.detail(try api.review(order, rating: 5, as: client), 400, message)
        ReviewExpect.detail(try api.review(order, executor: executor.id, rating: 5, as: client), 400, message)
        #expect(try api.items("about_me=true", as: client).isEmpty)
    }

    @Test func anExpiredOrderNobodyTookHasNobodyToReview() throws {
        let client = TestUser(api.stack)
        let stranger = try api.executor()
        let order = try api.createOrder(by: client)
        try api.stack.age(order: order, byMinutes: 61)
        #expect(try api.order(order, as: client)["status"]?.stringValue == "expired")

        ReviewExpect.detail(try api.review(order, rating: 4, as: client), 400, "No executor has taken this order")
        ReviewExpect.detail(
            try api.review(order, executor: stranger.id, rating: 4, as: client), 400, "This executor did not take this order")
    }

    @Test func onlyAnExecutorWhoTookTheOrderCanBeReviewed() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor(), stranger = try api.executor()
        let order = try api.completedOrder(client: client, executors: [executor])

        for someone in [stranger.id, client.id, 1, Int64.max] {
            ReviewExpect.detail(
                try api.review(order, executor: someone, rating: 5, as: client), 400, "This executor did not take this order")
        }
        #expect(ReviewAPI.createdID(try api.review(order, executor: executor.id, rating: 5, as: client), key: "review_id") != nil)
    }

    @Test func onlyTheOrdersClientCanReview() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor(), stranger = TestUser(api.stack)
        let order = try api.completedOrder(client: client, executors: [executor])

        let message = "Order not found or you are not the client"
        ReviewExpect.detail(try api.review(order, rating: 1, as: executor), 404, message)
        ReviewExpect.detail(try api.review(order, executor: executor.id, rating: 1, as: stranger), 404, message)
        for unknown in ["AAAAAAAAAAAA", "short", "not a real id!", String(repeating: "x", count: 300), ""] {
            ReviewExpect.detail(try api.review(unknown, rating: 1, as: client), 404, message)
        }
        #expect(try api.items("mine=true", as: executor).isEmpty)
    }

    @Test func reviewingNeedsAValidTelegramUser() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.completedOrder(client: client, executors: [executor])

        ReviewExpect.notAuthenticated(try api.review(order, rating: 5, as: nil))
        let forged = try api.http.post(
            "/api/reviews/client", json: #"{"order_id": "\#(order)", "rating": 5}"#,
            headers: [("Authorization", "Bearer query_id=1&user=%7B%22id%22%3A1%7D&auth_date=1&hash=00")])
        #expect(forged.status == 401)
        #expect(forged.detail?.hasPrefix("Invalid Telegram initData: ") == true, "body: \(forged.text)")
        #expect(try api.items("mine=true", as: executor).isEmpty)
    }

    @Test func ratingsOutsideOneToFiveAreRejected() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor(takes: 6)
        let order = try api.completedOrder(client: client, executors: [executor])

        for (rating, type) in [(0, "greater_than_equal"), (-1, "greater_than_equal"), (6, "less_than_equal"), (100, "less_than_equal")] {
            ReviewExpect.validation(try api.review(order, rating: Int64(rating), as: client), ["body", "rating"], type: type)
        }
        for rating in Int64(1)...5 {
            let other = try api.completedOrder(client: client, executors: [executor])
            #expect(ReviewAPI.createdID(try api.review(other, rating: rating, as: client), key: "review_id") != nil, "rating \(rating)")
        }
        #expect(ReviewAPI.createdID(try api.review(order, rating: 3, as: client), key: "review_id") != nil, "the rejections wrote nothing")
    }

    @Test func malformedBodiesAreValidationErrors() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.completedOrder(client: client, executors: [executor])
        func post(_ body: String) throws -> HTTPResult { try api.http.post("/api/reviews/client", json: body, as: client) }

        ReviewExpect.validation(try post(#"{"order_id": "\#(order)"}"#), ["body", "rating"], type: "missing")
        ReviewExpect.validation(try post(#"{"rating": 5}"#), ["body", "order_id"], type: "missing")
        ReviewExpect.validation(try post(#"{"order_id": "\#(order)", "rating": "5"}"#), ["body", "rating"], type: "int_type")
        ReviewExpect.validation(try post(#"{"order_id": "\#(order)", "rating": 4.5}"#), ["body", "rating"], type: "int_type")
        ReviewExpect.validation(
            try post(#"{"order_id": "\#(order)", "rating": 5, "executor_id": 0}"#), ["body", "executor_id"], type: "greater_than_equal")
        ReviewExpect.validation(
            try post(#"{"order_id": "\#(order)", "rating": 5, "executor_id": "\#(executor.id)"}"#), ["body", "executor_id"],
            type: "int_type")
        ReviewExpect.validation(
            try post(#"{"order_id": "\#(order)", "rating": 5, "comment": 42}"#), ["body", "comment"], type: "string_type")
        ReviewExpect.validation(try post(#"{"order_id": 7, "rating": 5}"#), ["body", "order_id"], type: "string_type")
        for broken in [#"{"order_id": "\#(order)", "rating": 5"#, "[]", "", "null"] {
            let response = try post(broken)
            #expect(response.status == 422, "\(broken): \(response.text)")
            #expect(try response.json().isArrayDetail, "\(broken): \(response.text)")
        }
        let review = try post(#"{"order_id": "\#(order)", "rating": 5, "comment": null, "unknown": [1, 2]}"#)
        #expect(ReviewAPI.createdID(review, key: "review_id") != nil, "null comment and unknown fields are fine: \(review.text)")
    }

    @Test func parallelIdenticalReviewsGiveExactlyOneSuccess() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.completedOrder(client: client, executors: [executor])

        // Half name the first taker, half leave it implied: the same review either way.
        let results = inParallel(6) { index in
            try api.review(order, executor: index.isMultiple(of: 2) ? nil : executor.id, rating: 5, comment: "гонка", as: client)
        }
        let responses = try results.map { try $0.get() }
        #expect(responses.filter { $0.status == 200 }.count == 1, "\(responses.map(\.status))")
        let conflicts = responses.filter { $0.status == 409 }
        #expect(conflicts.count == 5, "\(responses.map(\.status))")
        #expect(conflicts.allSatisfy { $0.detail == "Review already submitted" })
        #expect(try api.items("mine=true", as: executor).count == 1)
    }

    @Test func parallelReviewsOfDifferentExecutorsAllSucceed() throws {
        let client = TestUser(api.stack)
        let executors = try (0..<3).map { _ in try api.executor() }
        let order = try api.completedOrder(client: client, executors: executors)

        let results = inParallel(3) { index in try api.review(order, executor: executors[index].id, rating: Int64(index + 3), as: client) }
        let ids = try results.map { try ReviewAPI.createdID($0.get(), key: "review_id") }
        #expect(Set(ids.compactMap { $0 }).count == 3, "\(ids)")
        #expect(try api.items("about_me=true", as: client).count == 3)
    }
}

/// Order states a review is refused for, each with how to reach it.
enum UnreviewableOrder: String, CaseIterable, Sendable, CustomStringConvertible {
    case active
    case closedByClient
    case closedNoResponse
    case deleted

    var description: String { rawValue }

    /// The effective status the order then shows.
    var status: String {
        switch self {
        case .active: return "active"
        case .closedByClient, .closedNoResponse: return "closed_no_response"
        case .deleted: return "deleted"
        }
    }

    func arrange(_ api: ReviewAPI, client: TestUser, executor: TestUser) throws -> String {
        switch self {
        case .active:
            return try api.takenOrder(client: client, executors: [executor])
        case .closedByClient:
            let order = try api.takenOrder(client: client, executors: [executor])
            try Self.expect(api.http.post("/api/orders/\(order)/close", as: client), 204, "close")
            return order
        case .closedNoResponse:
            // Unanswered for 16 minutes after the take: closed, not expired.
            let order = try api.takenOrder(client: client, executors: [executor])
            try api.stack.age(order: order, byMinutes: 16)
            return order
        case .deleted:
            let order = try api.createOrder(by: client)
            try Self.expect(api.http.delete("/api/orders/\(order)", as: client), 204, "delete")
            return order
        }
    }

    private static func expect(_ response: HTTPResult, _ status: Int, _ step: String) throws {
        guard response.status == status else { throw HTTPClientError(description: "\(step) failed: \(response.status) \(response.text)") }
    }
}

extension JSONValue {
    /// A validation error body: `detail` is a list.
    fileprivate var isArrayDetail: Bool {
        if case .array? = self["detail"] { return true }
        return false
    }
}
