import Glibc
import SrochnoCore
import SrochnoPostgres
import Testing

/// The fields of a `POST /api/orders` or `PUT /api/orders/{id}` body; nil leaves a field out.
struct OrderDraft: Sendable {
    var category: String? = "Сантехника"
    var description: String? = "Срочно нужен мастер, течёт труба под раковиной"
    var city: String? = "Москва"
    var contact: String? = TestStack.uniquePhone()

    /// An update body: only what is set.
    static func changes(category: String? = nil, description: String? = nil, city: String? = nil, contact: String? = nil) -> OrderDraft {
        OrderDraft(category: category, description: description, city: city, contact: contact)
    }

    var json: String {
        var json = JSONWriter()
        json.beginObject()
        if let category { json.key("category"); json.value(category) }
        if let description { json.key("description"); json.value(description) }
        if let city { json.key("city"); json.value(city) }
        if let contact { json.key("contact"); json.value(contact) }
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }
}

/// Calls of the order endpoints, each through its own loopback source address so nginx's
/// per-address rate limit never couples these suites to the load of others.
struct OrderAPI: Sendable {
    let stack: TestStack
    let http: HTTPClient

    init(_ stack: TestStack) {
        self.stack = stack
        var http = stack.client
        http.sourceAddress = "127.\(Int.random(in: 16...250)).\(Int.random(in: 0...255)).\(Int.random(in: 1...254))"
        self.http = http
    }

    func create(_ draft: OrderDraft, as user: TestUser?) throws -> HTTPResult {
        try http.post("/api/orders", json: draft.json, as: user)
    }

    /// Creates an order that must succeed and returns its id.
    func createID(_ draft: OrderDraft = OrderDraft(), as user: TestUser) throws -> String {
        let response = try create(draft, as: user)
        guard response.status == 201, let id = try response.json()["id"]?.stringValue else {
            throw HTTPClientError(description: "create failed: \(response.status) \(response.text)")
        }
        return id
    }

    func get(_ id: String, as user: TestUser? = nil) throws -> HTTPResult {
        try http.get("/api/orders/\(id)", as: user)
    }

    func list(_ query: String, as user: TestUser? = nil) throws -> HTTPResult {
        try http.get("/api/orders?\(query)", as: user)
    }

    /// The ids of a list response, in the order given.
    func listIDs(_ query: String, as user: TestUser? = nil) throws -> (ids: [String], total: Int64?) {
        let response = try list(query, as: user)
        guard response.status == 200 else { throw HTTPClientError(description: "list failed: \(response.status) \(response.text)") }
        let body = try response.json()
        return (body["orders"]?.orderItems.compactMap { $0["id"]?.stringValue } ?? [], body["total"]?.intValue)
    }

    func update(_ id: String, _ changes: OrderDraft, as user: TestUser?) throws -> HTTPResult {
        try http.put("/api/orders/\(id)", json: changes.json, as: user)
    }

    func delete(_ id: String, as user: TestUser?) throws -> HTTPResult {
        try http.delete("/api/orders/\(id)", as: user)
    }

    func take(_ id: String, as user: TestUser?) throws -> HTTPResult {
        try http.post("/api/orders/\(id)/take", as: user)
    }

    /// `respond`, `close` or `complete`.
    func clientAction(_ action: String, _ id: String, as user: TestUser?) throws -> HTTPResult {
        try http.post("/api/orders/\(id)/\(action)", as: user)
    }

    func profile(of user: TestUser) throws -> JSONValue {
        let response = try http.get("/api/users/me", as: user)
        guard response.status == 200 else { throw HTTPClientError(description: "profile failed: \(response.status) \(response.text)") }
        return try response.json()
    }

    /// A new user with `amount` rubles on its balance (and its users row created).
    func fundedUser(_ amount: Int, firstName: String = "Исполнитель") throws -> TestUser {
        let user = TestUser(stack, firstName: firstName)
        let response = try http.post("/api/balance/recharge", json: #"{"amount": \#(amount)}"#, as: user)
        guard response.status == 200 else { throw HTTPClientError(description: "recharge failed: \(response.status) \(response.text)") }
        return user
    }

    /// Percent-encodes a query value (UTF-8, unreserved characters kept).
    static func encoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(UnicodeScalar(byte)))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                out += (hex.count == 1 ? "%0" : "%") + hex
            }
        }
        return out
    }

    /// A city from the catalogue that no other test of this run gets and the other suites
    /// are unlikely to use, so a list filtered by it holds only this test's orders.
    func quietCity() throws -> String {
        try QuietCities.shared.next {
            let response = try http.get("/api/cities")
            return try response.json().orderItems.compactMap(\.stringValue)
        }
    }
}

/// Hands out each city of the catalogue at most once per test process, in random order,
/// leaving out the big cities other suites name.
final class QuietCities: @unchecked Sendable {
    static let shared = QuietCities()
    private static let named: Set<String> = [
        "Москва", "Санкт-Петербург", "Казань", "Самара", "Тула", "Тверь", "Томск", "Омск", "Новосибирск",
        "Екатеринбург", "Нижний Новгород", "Краснодар",
    ]
    private var mutex = pthread_mutex_t()
    private var remaining: [String]?

    private init() { pthread_mutex_init(&mutex, nil) }

    func next(catalogue: () throws -> [String]) throws -> String {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        if remaining == nil {
            let cities = try catalogue().filter { !Self.named.contains($0) }
            guard cities.count > 100 else { throw HTTPClientError(description: "city catalogue too small: \(cities.count)") }
            remaining = cities.shuffled()
        }
        guard let city = remaining?.popLast() else { throw HTTPClientError(description: "out of quiet cities") }
        return city
    }
}

/// Random Russian mobile numbers in the spellings people type.
struct PhoneNumber: Sendable {
    /// The ten digits after the country code, starting with 9.
    let digits: String

    init() { digits = "9" + String(Int.random(in: 100_000_000...999_999_999)) }

    var normalized: String { "+7" + digits }
    private func part(_ from: Int, _ count: Int) -> Substring { digits.dropFirst(from).prefix(count) }
    /// `+7 999 123-45-67`
    var spaced: String { "+7 \(part(0, 3)) \(part(3, 3))-\(part(6, 2))-\(part(8, 2))" }
    /// `8 (999) 1234567`
    var trunkPrefixed: String { "8 (\(part(0, 3))) \(part(3, 7))" }
    /// `+79991234567`
    var compact: String { normalized }
}

extension JSONValue {
    /// The elements of an array (empty for anything else).
    var orderItems: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }
}

extension HTTPResult {
    /// `loc` joined with dots, `msg` and `type` of each FastAPI-shaped validation error.
    var orderValidationErrors: [(location: String, message: String, type: String)] {
        guard let detail = (try? json())?["detail"] else { return [] }
        return detail.orderItems.map { error in
            let location = error["loc"]?.orderItems.map { $0.stringValue ?? $0.intValue.map(String.init) ?? "?" } ?? []
            return (location.joined(separator: "."), error["msg"]?.stringValue ?? "", error["type"]?.stringValue ?? "")
        }
    }
}

/// Status and exact `detail` text of an error answer.
func expectOrderError(_ response: HTTPResult, _ status: Int, _ detail: String, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.status == status, "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(response.detail == detail, "body: \(response.text)", sourceLocation: sourceLocation)
}

/// A 422 with exactly one validation error, at `location` (e.g. "body.contact").
func expectOrderValidation(
    _ response: HTTPResult, _ location: String, _ message: String, type: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == 422, "body: \(response.text)", sourceLocation: sourceLocation)
    let errors = response.orderValidationErrors
    #expect(errors.count == 1, "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(errors.first?.location == location, "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(errors.first?.message == message, "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(errors.first?.type == type, "body: \(response.text)", sourceLocation: sourceLocation)
}
