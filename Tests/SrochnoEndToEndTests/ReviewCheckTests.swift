import SrochnoCore
import Testing

/// `GET /api/reviews/check?order_id=`: whether I already reviewed (as the client) or
/// complained (as an executor) about an order.
@Suite struct ReviewCheckTests {
    let api: ReviewAPI

    init() throws { api = try ReviewAPI() }

    private func expectCheck(_ response: HTTPResult, _ type: String?, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == 200, "body: \(response.text)", sourceLocation: sourceLocation)
        let body = try? response.json()
        #expect(body.map(ReviewJSON.keys) == ["submitted", "type"], "body: \(response.text)", sourceLocation: sourceLocation)
        #expect(body?["submitted"] == .bool(type != nil), "body: \(response.text)", sourceLocation: sourceLocation)
        #expect(body?["type"] == type.map(JSONValue.string) ?? .null, "body: \(response.text)", sourceLocation: sourceLocation)
    }

    @Test func theClientSeesItsReview() throws {
        let client = TestUser(api.stack)
        let first = try api.executor(), second = try api.executor()
        let order = try api.completedOrder(client: client, executors: [first, second])
        expectCheck(try api.check(order, as: client), nil)

        #expect(ReviewAPI.createdID(try api.review(order, executor: second.id, rating: 4, as: client), key: "review_id") != nil)
        expectCheck(try api.check(order, as: client), "review")
        expectCheck(try api.check(order, as: second), nil)
        expectCheck(try api.check(order, as: first), nil)
    }

    @Test func anExecutorSeesItsComplaint() throws {
        let client = TestUser(api.stack)
        let first = try api.executor(), second = try api.executor()
        let order = try api.takenOrder(client: client, executors: [first, second])
        expectCheck(try api.check(order, as: first), nil)

        #expect(ReviewAPI.createdID(try api.complain(order, reason: "Не отвечал", as: first), key: "complaint_id") != nil)
        expectCheck(try api.check(order, as: first), "complaint")
        expectCheck(try api.check(order, as: second), nil)
        expectCheck(try api.check(order, as: client), nil)
    }

    @Test func othersAndUnknownOrdersSeeNothing() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor(), stranger = TestUser(api.stack)
        let order = try api.completedOrder(client: client, executors: [executor])
        #expect(ReviewAPI.createdID(try api.review(order, rating: 5, as: client), key: "review_id") != nil)
        #expect(ReviewAPI.createdID(try api.complain(order, reason: "Другое", as: executor), key: "complaint_id") != nil)

        expectCheck(try api.check(order, as: stranger), nil)
        for unknown in ["AAAAAAAAAAAA", "nope", ""] {
            expectCheck(try api.check(unknown, as: client), nil)
        }
    }

    @Test func orderIDIsRequired() throws {
        let user = TestUser(api.stack)
        for path in ["/api/reviews/check", "/api/reviews/check?orderid=x", "/api/reviews/check?order=x&id=y"] {
            ReviewExpect.validation(try api.http.get(path, as: user), ["query", "order_id"], type: "missing")
        }
    }

    @Test func checkingNeedsAValidTelegramUser() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.completedOrder(client: client, executors: [executor])

        ReviewExpect.notAuthenticated(try api.check(order, as: nil))
        let forged = try api.http.get("/api/reviews/check?order_id=\(order)", headers: [("Authorization", "Bearer hash=00")])
        #expect(forged.status == 401)
        #expect(forged.detail?.hasPrefix("Invalid Telegram initData: ") == true, "body: \(forged.text)")
    }

    @Test func otherMethodsAreNotAllowed() throws {
        let user = TestUser(api.stack)
        for (method, path) in [
            ("POST", "/api/reviews/check?order_id=x"), ("GET", "/api/reviews/client"),
            ("GET", "/api/reviews/executor"), ("DELETE", "/api/reviews"),
        ] {
            let response = try api.http.send(method, path, headers: [user.authorization])
            ReviewExpect.detail(response, 405, "Method Not Allowed")
        }
    }
}
