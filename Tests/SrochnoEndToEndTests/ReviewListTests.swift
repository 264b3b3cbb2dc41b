import SrochnoCore
import Testing

/// `GET /api/reviews`: newest first, filtered by rating, limit, `mine` (about me as executor)
/// and `about_me` (written by me); never a contact.
@Suite struct ReviewListTests {
    let api: ReviewAPI

    init() throws { api = try ReviewAPI() }

    static let itemKeys = [
        "id", "author_name", "rating", "comment", "category", "created_at", "order_id", "description", "city", "contact",
    ]

    /// One executor reviewed by two clients on three orders, in this order: 5, 3, 5.
    private struct Reviewed {
        let executor: TestUser
        let anna: TestUser
        let boris: TestUser
        /// (order, review id, author), oldest first.
        let reviews: [(order: String, id: Int64, author: TestUser)]
    }

    private func arrange() throws -> Reviewed {
        let executor = try api.executor(firstName: "Мастер")
        let anna = TestUser(api.stack, firstName: "Анна"), boris = TestUser(api.stack, firstName: "Борис")
        var reviews: [(order: String, id: Int64, author: TestUser)] = []
        for (author, rating, city) in [(anna, Int64(5), "Москва"), (boris, 3, "Казань"), (anna, 5, "Тверь")] {
            let order = try api.createOrder(
                by: author, category: "Электрика", city: city,
                description: "Заменить розетку на кухне, \(city)")
            try api.http.post("/api/orders/\(order)/take", as: executor).expectStatus(200)
            try api.http.post("/api/orders/\(order)/complete", as: author).expectStatus(200)
            let id = try #require(
                ReviewAPI.createdID(try api.review(order, rating: rating, comment: "Отзыв \(city)", as: author), key: "review_id"))
            reviews.append((order, id, author))
        }
        return Reviewed(executor: executor, anna: anna, boris: boris, reviews: reviews)
    }

    @Test func mineListsReviewsAboutMeAsExecutorNewestFirst() throws {
        let given = try arrange()
        let items = try api.items("mine=true", as: given.executor)

        #expect(items.compactMap { $0["id"]?.intValue } == given.reviews.reversed().map(\.id))
        #expect(items.compactMap { $0["author_name"]?.stringValue } == ["Анна", "Борис", "Анна"])
        #expect(items.compactMap { $0["rating"]?.intValue } == [5, 3, 5])
        #expect(items.compactMap { $0["order_id"]?.stringValue } == given.reviews.reversed().map(\.order))
        #expect(items.compactMap { $0["city"]?.stringValue } == ["Тверь", "Казань", "Москва"])
        #expect(items.compactMap { $0["comment"]?.stringValue } == ["Отзыв Тверь", "Отзыв Казань", "Отзыв Москва"])
        #expect(
            items.compactMap { $0["description"]?.stringValue } == ["Тверь", "Казань", "Москва"].map { "Заменить розетку на кухне, \($0)" })
        for item in items {
            #expect(ReviewJSON.keys(item) == Self.itemKeys)
            #expect(item["category"]?.stringValue == "Электрика")
            #expect(item["contact"] == .null)
        }
        let times = items.compactMap { $0["created_at"]?.stringValue }
        #expect(times.count == 3 && times == times.sorted(by: >), "\(times)")
        #expect(times.allSatisfy { $0.hasSuffix("Z") && $0.count == "2026-11-27T14:03:05.123Z".count }, "\(times)")
        // The clients were not reviewed as executors.
        #expect(try api.items("mine=true", as: given.anna).isEmpty)
    }

    @Test func aboutMeListsReviewsIWroteNewestFirst() throws {
        let given = try arrange()
        let byAnna = try api.items("about_me=true", as: given.anna)
        #expect(byAnna.compactMap { $0["id"]?.intValue } == [given.reviews[2].id, given.reviews[0].id])
        #expect(byAnna.allSatisfy { $0["author_name"]?.stringValue == "Анна" })

        let byBoris = try api.items("about_me=true", as: given.boris)
        #expect(byBoris.compactMap { $0["id"]?.intValue } == [given.reviews[1].id])
        #expect(byBoris.first?["author_name"]?.stringValue == "Борис")
        // The executor wrote none.
        #expect(try api.items("about_me=true", as: given.executor).isEmpty)
    }

    @Test func ratingAndLimitNarrowTheList() throws {
        let given = try arrange()
        let executor = given.executor
        let ids = given.reviews.map(\.id)

        #expect(try api.items("mine=true&rating=5", as: executor).compactMap { $0["id"]?.intValue } == [ids[2], ids[0]])
        #expect(try api.items("mine=true&rating=3", as: executor).compactMap { $0["id"]?.intValue } == [ids[1]])
        #expect(try api.items("mine=true&rating=4", as: executor).isEmpty)
        #expect(try api.items("mine=true&limit=2", as: executor).compactMap { $0["id"]?.intValue } == [ids[2], ids[1]])
        #expect(try api.items("mine=true&limit=1&rating=5", as: executor).compactMap { $0["id"]?.intValue } == [ids[2]])
        #expect(try api.items("about_me=true&rating=5&limit=100", as: given.anna).compactMap { $0["id"]?.intValue } == [ids[2], ids[0]])
        #expect(try api.items("about_me=true&rating=3", as: given.anna).isEmpty)

        // Everyone's reviews with a rating filter hold only that rating.
        let fives = try api.items("rating=5&limit=100", as: nil)
        #expect(!fives.isEmpty && fives.allSatisfy { $0["rating"] == .int(5) })
        #expect(try api.items("limit=1", as: nil).count == 1)
    }

    @Test func everyonesListIsNewestFirstAndAnonymousIsWelcome() throws {
        let given = try arrange()
        let ids = given.reviews.map(\.id)
        for viewer in [nil, given.anna] {
            let items = try api.items("limit=100", as: viewer)
            #expect(items.count <= 100)
            // Newest first by created_at (the review's transaction time, whose microseconds the
            // response does not show, so ties within a millisecond may go either way by id).
            let times = items.map { $0["created_at"]?.stringValue ?? "" }
            #expect(!times.contains("") && times == times.sorted(by: >), "newest first: \(times)")
            let mine = items.compactMap { $0["id"]?.intValue }.filter(ids.contains)
            #expect(mine == ids.reversed(), "my three reviews, newest first, among everyone's")
            #expect(items.allSatisfy { ReviewJSON.keys($0) == Self.itemKeys && $0["contact"] == .null })
        }
        // An invalid initData on the public list reads as anonymous.
        let forged = try api.list("limit=1", as: nil, headers: [("Authorization", "Bearer hash=00")])
        #expect(forged.status == 200, "body: \(forged.text)")
    }

    @Test func defaultLimitIs50() throws {
        // Reviews are never deleted, so the default page holds at least as many as there were
        // just before, up to 50, whatever else the shared database holds.
        let before = try api.items("limit=100", as: nil).count
        let items = try api.items(as: nil)
        #expect(items.count <= 50)
        #expect(items.count >= min(before, 50))
    }

    @Test func personalScopesNeedAValidTelegramUser() throws {
        for query in ["mine=true", "about_me=true", "mine=true&about_me=true", "about_me=1&rating=5"] {
            ReviewExpect.notAuthenticated(try api.list(query, as: nil))
            let forged = try api.list(query, as: nil, headers: [("Authorization", "Bearer hash=00")])
            #expect(forged.status == 401, "\(query): \(forged.text)")
            #expect(forged.detail?.hasPrefix("Invalid Telegram initData: ") == true, "\(query): \(forged.text)")
        }
        // false scopes are the public list.
        #expect(try api.list("mine=false&about_me=false", as: nil).status == 200)
    }

    @Test func badQueryParametersAre422() throws {
        let user = TestUser(api.stack)
        let cases: [(String, String, String)] = [
            ("rating=0", "rating", "greater_than_equal"), ("rating=6", "rating", "less_than_equal"),
            ("rating=abc", "rating", "int_parsing"), ("rating=4.5", "rating", "int_parsing"),
            ("limit=0", "limit", "greater_than_equal"), ("limit=101", "limit", "less_than_equal"),
            ("limit=-5", "limit", "greater_than_equal"), ("limit=ten", "limit", "int_parsing"),
            ("mine=maybe", "mine", "bool_parsing"), ("about_me=2", "about_me", "bool_parsing"),
        ]
        for (query, field, type) in cases {
            ReviewExpect.validation(try api.list(query, as: user), ["query", field], type: type)
        }
    }

    /// The order's contact (as typed or normalised) appears nowhere in any review response,
    /// for anyone, even for its client and executor who may see it on the order itself.
    @Test(arguments: [true, false])
    func noContactAnywhereInReviewResponses(phone: Bool) throws {
        let digits = Array(String(Int.random(in: 100_000_000...999_999_999)))
        func part(_ range: Range<Int>) -> String { String(digits[range]) }
        let contact = phone ? "+7 (9\(part(0..<2))) \(part(2..<5))-\(part(5..<7))-\(part(7..<9))" : "@rv_\(String(digits))"
        let normalised = phone ? "+79\(String(digits))" : contact

        let client = TestUser(api.stack, firstName: "Вера")
        let executor = try api.executor()
        let order = try api.createOrder(by: client, contact: contact)
        let taken = try api.http.post("/api/orders/\(order)/take", as: executor)
        #expect(taken.text.contains(normalised), "the executor does see the contact when taking: \(taken.text)")
        try api.http.post("/api/orders/\(order)/complete", as: client).expectStatus(200)

        var responses = [
            ("review", try api.review(order, rating: 5, comment: "Контакт не покажу", as: client)),
            ("complaint", try api.complain(order, reason: "Другое", as: executor)),
            ("check", try api.check(order, as: client)),
        ]
        for (query, viewer) in [
            ("limit=100", nil), ("limit=100", client), ("limit=100", executor), ("mine=true", executor),
            ("about_me=true", client), ("rating=5&limit=100", executor),
        ] as [(String, TestUser?)] {
            responses.append((query, try api.list(query, as: viewer)))
        }
        for (name, response) in responses {
            #expect(response.status == 200, "\(name): \(response.text)")
            for form in [contact, normalised, String(normalised.dropFirst()), String(digits)] {
                #expect(!response.text.contains(form), "\(name) leaks \(form)")
            }
        }
        let item = try #require(api.items("mine=true", as: executor).first)
        #expect(item["order_id"]?.stringValue == order)
        #expect(item["contact"] == .null)
    }
}

extension HTTPResult {
    /// Throws unless the status is `status`: for arrangement steps.
    fileprivate func expectStatus(_ status: Int) throws {
        guard self.status == status else { throw HTTPClientError(description: "expected \(status), got \(self.status) \(text)") }
    }
}
