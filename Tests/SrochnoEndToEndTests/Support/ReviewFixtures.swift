import SrochnoCore
import Testing

/// Calls and arrangements of the review suites: reviews, complaints, the listing, and the
/// finished orders they need, all through nginx.
struct ReviewAPI: Sendable {
    let stack: TestStack
    /// Sends from a loopback address of its own: nginx limits rates per client address, and
    /// the suites run side by side.
    let http: HTTPClient

    init() throws {
        stack = try TestStack()
        var client = stack.client
        client.sourceAddress = "127.\(Int.random(in: 16...250)).\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
        http = client
    }

    /// The complaint reasons of SPEC §3, exact strings.
    static let complaintReasons = ["Не отвечал", "Отменил заказ", "Неадекватное поведение", "Ложная информация", "Другое"]

    // MARK: - Users and orders

    /// A new user with money for `takes` takes (2 ₽ each).
    func executor(firstName: String = "Исполнитель", takes: Int = 3) throws -> TestUser {
        let user = TestUser(stack, firstName: firstName)
        try expectOK(http.post("/api/balance/recharge", json: #"{"amount": \#(2 * takes)}"#, as: user), "recharge")
        return user
    }

    /// Creates an order as `client` (like `TestStack.createOrder`, from this API's address).
    func createOrder(
        by client: TestUser, contact: String = TestStack.uniquePhone(), category: String = "Сантехника",
        city: String = "Москва", description: String = "Срочно нужен мастер, течёт труба под раковиной"
    ) throws -> String {
        let response = try http.post(
            "/api/orders",
            json: ReviewJSON.object { json in
                json.key("category"); json.value(category)
                json.key("description"); json.value(description)
                json.key("city"); json.value(city)
                json.key("contact"); json.value(contact)
            }, as: client)
        guard response.status == 201, let id = try response.json()["id"]?.stringValue else {
            throw HTTPClientError(description: "create failed: \(response.status) \(response.text)")
        }
        return id
    }

    /// A new active order of `client`, taken by `executors` in this order (first taker first).
    func takenOrder(client: TestUser, executors: [TestUser], contact: String = TestStack.uniquePhone()) throws -> String {
        try takenOrder(existing: createOrder(by: client, contact: contact), executors: executors)
    }

    /// `id`, after `executors` took it in this order.
    func takenOrder(existing id: String, executors: [TestUser]) throws -> String {
        for executor in executors { try expectOK(http.post("/api/orders/\(id)/take", as: executor), "take") }
        return id
    }

    /// A `completed` order: taken by `executors`, then completed by its client.
    func completedOrder(client: TestUser, executors: [TestUser], contact: String = TestStack.uniquePhone()) throws -> String {
        let id = try takenOrder(client: client, executors: executors, contact: contact)
        try expectOK(http.post("/api/orders/\(id)/complete", as: client), "complete")
        return id
    }

    /// An `expired` order: taken, answered by the client (no no-response close), then aged past
    /// its 60-minute lifetime.
    func expiredOrder(client: TestUser, executors: [TestUser], contact: String = TestStack.uniquePhone()) throws -> String {
        let id = try takenOrder(client: client, executors: executors, contact: contact)
        if !executors.isEmpty { try expectOK(http.post("/api/orders/\(id)/respond", as: client), "respond") }
        try stack.age(order: id, byMinutes: 61)
        return id
    }

    /// The order as its client sees it.
    func order(_ id: String, as user: TestUser?) throws -> JSONValue {
        let response = try http.get("/api/orders/\(id)", as: user)
        try expectOK(response, "get order")
        return try response.json()
    }

    /// The `rating` of the user's profile, as a number.
    func profileRating(of user: TestUser) throws -> Double? {
        let response = try http.get("/api/users/me", as: user)
        try expectOK(response, "profile")
        return ReviewJSON.number(try response.json()["rating"])
    }

    private func expectOK(_ response: HTTPResult, _ step: String) throws {
        guard response.status == 200 else { throw HTTPClientError(description: "\(step) failed: \(response.status) \(response.text)") }
    }

    // MARK: - The four endpoints

    func review(_ orderID: String, executor: Int64? = nil, rating: Int64, comment: String? = nil, as user: TestUser?) throws -> HTTPResult {
        try http.post(
            "/api/reviews/client",
            json: ReviewJSON.object { json in
                json.key("order_id"); json.value(orderID)
                if let executor { json.key("executor_id"); json.value(executor) }
                json.key("rating"); json.value(rating)
                if let comment { json.key("comment"); json.value(comment) }
            }, as: user)
    }

    func complain(_ orderID: String, reason: String, comment: String? = nil, as user: TestUser?) throws -> HTTPResult {
        try http.post(
            "/api/reviews/executor",
            json: ReviewJSON.object { json in
                json.key("order_id"); json.value(orderID)
                json.key("complaint"); json.value(reason)
                if let comment { json.key("comment"); json.value(comment) }
            }, as: user)
    }

    func check(_ orderID: String, as user: TestUser?) throws -> HTTPResult {
        try http.get("/api/reviews/check?order_id=\(orderID)", as: user)
    }

    /// `GET /api/reviews` with `query` (without the `?`).
    func list(_ query: String = "", as user: TestUser?, headers: [(String, String)] = []) throws -> HTTPResult {
        try http.get(query.isEmpty ? "/api/reviews" : "/api/reviews?\(query)", as: user, headers: headers)
    }

    /// The items of a listing that must succeed.
    func items(_ query: String = "", as user: TestUser?) throws -> [JSONValue] {
        let response = try list(query, as: user)
        guard response.status == 200, case .array(let items) = try response.json() else {
            throw HTTPClientError(description: "listing \(query) failed: \(response.status) \(response.text)")
        }
        return items
    }

    /// The id a successful review or complaint answered with.
    static func createdID(_ response: HTTPResult, key: String) -> Int64? {
        guard response.status == 200, let body = try? response.json(), body["success"] == .bool(true) else { return nil }
        return body[key]?.intValue
    }
}

/// JSON helpers of the review suites.
enum ReviewJSON {
    static func object(_ members: (inout JSONWriter) -> Void) -> String {
        var json = JSONWriter()
        json.beginObject()
        members(&json)
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    static func number(_ value: JSONValue?) -> Double? {
        switch value {
        case .int(let whole)?: return Double(whole)
        case .double(let real)?: return real
        default: return nil
        }
    }

    static func keys(_ value: JSONValue) -> [String] {
        guard case .object(let members) = value else { return [] }
        return members.map(\.key)
    }

    /// Exact equality, scalar by scalar: Swift's `==` on strings ignores normalisation.
    static func sameScalars(_ value: JSONValue?, _ expected: String) -> Bool {
        guard let text = value?.stringValue else { return false }
        return Array(text.unicodeScalars) == Array(expected.unicodeScalars)
    }
}

/// Assertions on error bodies, with the caller's source location.
enum ReviewExpect {
    static func detail(_ response: HTTPResult, _ status: Int, _ detail: String, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == status, "body: \(response.text)", sourceLocation: sourceLocation)
        #expect(response.detail == detail, "body: \(response.text)", sourceLocation: sourceLocation)
    }

    static func notAuthenticated(_ response: HTTPResult, sourceLocation: SourceLocation = #_sourceLocation) {
        detail(response, 401, "Not authenticated", sourceLocation: sourceLocation)
        #expect(response.headers["www-authenticate"] == "Bearer", sourceLocation: sourceLocation)
    }

    /// A 422 whose only error is at `location`, with `type` unless nil.
    static func validation(_ response: HTTPResult, _ location: [String], type: String?, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == 422, "body: \(response.text)", sourceLocation: sourceLocation)
        guard case .array(let errors)? = (try? response.json())?["detail"], errors.count == 1 else {
            Issue.record("expected exactly one validation error, got \(response.text)", sourceLocation: sourceLocation)
            return
        }
        let expectedLocation = JSONValue.array(location.map { JSONValue.string($0) })
        #expect(errors[0]["loc"] == expectedLocation, "body: \(response.text)", sourceLocation: sourceLocation)
        if let type { #expect(errors[0]["type"]?.stringValue == type, "body: \(response.text)", sourceLocation: sourceLocation) }
        #expect(errors[0]["msg"]?.stringValue?.isEmpty == false, sourceLocation: sourceLocation)
    }

    /// The message of the only validation error.
    static func validationMessage(_ response: HTTPResult) -> String? {
        guard case .array(let errors)? = (try? response.json())?["detail"], errors.count == 1 else { return nil }
        return errors[0]["msg"]?.stringValue
    }
}
