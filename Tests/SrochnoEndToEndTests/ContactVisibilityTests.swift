import SrochnoCore
import Testing

/// SPEC §5: an order's contact is for its client and the executors who paid, in the single
/// order view only — never in a list, never in reviews, never to anyone else.
@Suite struct ContactVisibilityTests {
    let stack: TestStack
    let api: OrderAPI

    init() throws {
        stack = try TestStack()
        api = OrderAPI(stack)
    }

    /// An order in a quiet city with a phone contact, taken by one executor.
    private func takenOrder() throws -> (id: String, city: String, phone: PhoneNumber, client: TestUser, executor: TestUser) {
        let city = try api.quietCity()
        let phone = PhoneNumber()
        let client = TestUser(stack)
        let id = try api.createID(OrderDraft(city: city, contact: phone.spaced), as: client)
        let executor = try api.fundedUser(2)
        let take = try api.take(id, as: executor)
        guard take.status == 200 else { throw HTTPClientError(description: "take failed: \(take.status) \(take.text)") }
        return (id, city, phone, client, executor)
    }

    /// The contact's digits in any spelling would betray it; the normalised form is what the
    /// API stores and writes.
    private func expectNoContact(in response: HTTPResult, _ phone: PhoneNumber, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == 200, "\(response.text)", sourceLocation: sourceLocation)
        #expect(!response.text.contains(phone.digits), "contact leaked: \(response.text)", sourceLocation: sourceLocation)
    }

    @Test func singleOrderShowsTheContactToTheClientAndPayingExecutorsOnly() throws {
        let order = try takenOrder()
        for viewer in [order.client, order.executor] {
            #expect(try api.get(order.id, as: viewer).json()["contact"] == .string(order.phone.normalized))
        }
        let stranger = try api.fundedUser(2)
        for viewer in [nil, stranger] as [TestUser?] {
            let response = try api.get(order.id, as: viewer)
            #expect(try response.json()["contact"] == .null)
            expectNoContact(in: response, order.phone)
        }
        let forged = try api.http.get(
            "/api/orders/\(order.id)",
            headers: [("Authorization", "Bearer query_id=1&user=%7B%22id%22%3A\(order.client.id)%7D&auth_date=1&hash=00")])
        #expect(try forged.json()["contact"] == .null, "an invalid initData is anonymous")
        expectNoContact(in: forged, order.phone)
    }

    @Test func listsNeverShowTheContactEvenToTheClient() throws {
        let order = try takenOrder()
        let city = "city=\(OrderAPI.encoded(order.city))"
        let lists: [(String, TestUser?)] = [
            (city, nil), (city, order.client), (city, order.executor),
            ("mine=true", order.client), ("taken_by_me=true", order.executor),
        ]
        for (query, viewer) in lists {
            let response = try api.list(query, as: viewer)
            let orders = try response.json()["orders"]?.orderItems ?? []
            #expect(orders.contains { $0["id"] == .string(order.id) }, "\(query) should list the order")
            #expect(orders.allSatisfy { $0["contact"] == .null }, "\(query): \(response.text)")
            expectNoContact(in: response, order.phone)
        }
    }

    @Test func executorsBeyondTheOnesWhoPaidNeverSeeIt() throws {
        let order = try takenOrder()
        let refused = try api.fundedUser(1)
        expectOrderError(try api.take(order.id, as: refused), 402, "Insufficient balance. Need 2₽")
        let response = try api.get(order.id, as: refused)
        #expect(try response.json()["contact"] == .null)
        expectNoContact(in: response, order.phone)
    }

    @Test func anUpdatedContactIsShownOnlyWhereTheOldOneWas() throws {
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        let phone = PhoneNumber()
        let updated = try api.update(id, .changes(contact: phone.trunkPrefixed), as: client)
        #expect(try updated.json()["contact"] == .string(phone.normalized))
        expectNoContact(in: try api.get(id, as: TestUser(stack)), phone)
        expectNoContact(in: try api.list("mine=true", as: client), phone)
    }

    /// Reviews are a separate issue; until `GET /api/reviews` is routed this is skipped.
    @Test(.enabled(if: ReviewsProbe.routed(), "GET /api/reviews is not routed yet"))
    func reviewsNeverShowTheContact() throws {
        let order = try takenOrder()
        #expect(try api.clientAction("complete", order.id, as: order.client).status == 200)
        let review = try api.http.post(
            "/api/reviews/client", json: #"{"order_id": "\#(order.id)", "rating": 5, "comment": "Быстро и аккуратно"}"#,
            as: order.client)
        #expect(review.status == 200, "\(review.text)")

        let lists: [(String, TestUser?)] = [
            ("", nil), ("", order.executor), ("?rating=5", nil), ("?mine=true", order.executor), ("?about_me=true", order.client),
        ]
        for (query, viewer) in lists {
            let response = try api.http.get("/api/reviews\(query)", as: viewer)
            let items = try response.json().orderItems
            #expect(items.allSatisfy { $0["contact"] == .null }, "\(query): \(response.text)")
            expectNoContact(in: response, order.phone)
        }
        let mine = try api.http.get("/api/reviews?mine=true", as: order.executor).json().orderItems
        #expect(mine.contains { $0["order_id"] == .string(order.id) })
        let shown = try api.get(order.id).json()
        #expect(shown["rating"] == .int(5))
        #expect(shown["contact"] == .null)
    }
}

/// Whether the reviews endpoints exist on the running stack yet.
enum ReviewsProbe {
    static func routed() -> Bool {
        guard let stack = try? TestStack(), let response = try? stack.client.get("/api/reviews") else { return true }
        return response.status != 404
    }
}
