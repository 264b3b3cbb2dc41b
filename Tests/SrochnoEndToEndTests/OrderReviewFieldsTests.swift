import SrochnoCore
import Testing

/// `rating` and `review_comment` of an order response: the order's first review (lowest id),
/// null until there is one.
@Suite struct OrderReviewFieldsTests {
    let api: ReviewAPI

    init() throws { api = try ReviewAPI() }

    @Test func anOrderShowsItsFirstReview() throws {
        let client = TestUser(api.stack)
        let first = try api.executor(), second = try api.executor()
        let order = try api.completedOrder(client: client, executors: [first, second])
        let before = try api.order(order, as: client)
        #expect(before["rating"] == .null)
        #expect(before["review_comment"] == .null)

        // The second taker is reviewed first: "first review" is by time, not by taker.
        let comment = "Быстро и аккуратно 👌\n\"Рекомендую\""
        #expect(
            ReviewAPI.createdID(try api.review(order, executor: second.id, rating: 4, comment: comment, as: client), key: "review_id")
                != nil)
        #expect(
            ReviewAPI.createdID(try api.review(order, executor: first.id, rating: 1, comment: "Опоздал", as: client), key: "review_id")
                != nil)

        for viewer in [client, first, second, TestUser(api.stack)] {
            let shown = try api.order(order, as: viewer)
            #expect(shown["rating"] == .int(4))
            #expect(ReviewJSON.sameScalars(shown["review_comment"], comment))
        }
        let anonymous = try api.http.get("/api/orders/\(order)")
        #expect(try anonymous.json()["rating"] == .int(4))
    }

    @Test func listsAndClientActionsShowTheReviewToo() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.completedOrder(client: client, executors: [executor])
        #expect(ReviewAPI.createdID(try api.review(order, rating: 5, comment: "Супер", as: client), key: "review_id") != nil)

        for (path, viewer) in [
            ("/api/orders?mine=true&status=completed&limit=100", client),
            ("/api/orders?taken_by_me=true&status=completed&limit=100", executor),
        ] {
            let response = try api.http.get(path, as: viewer)
            #expect(response.status == 200, "\(path): \(response.text)")
            guard case .array(let orders)? = try response.json()["orders"] else {
                Issue.record("\(path): no orders in \(response.text)")
                continue
            }
            let listed = orders.first { $0["id"]?.stringValue == order }
            #expect(listed?["rating"] == .int(5), "\(path)")
            #expect(listed?["review_comment"]?.stringValue == "Супер", "\(path)")
        }
    }
}
