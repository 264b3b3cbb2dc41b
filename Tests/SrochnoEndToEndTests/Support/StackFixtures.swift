import SrochnoCore
import SrochnoPostgres
import Testing

/// Common arrangements through the public API, shared by the end-to-end suites.
extension TestStack {
    /// Gives `user` money through the dev recharge endpoint (enabled in the test stack).
    func fund(_ user: TestUser, _ amount: Int) throws {
        let response = try client.post("/api/balance/recharge", json: #"{"amount": \#(amount)}"#, as: user)
        guard response.status == 200 else { throw HTTPClientError(description: "recharge failed: \(response.status) \(response.text)") }
    }

    /// A unique valid phone contact for this run.
    static func uniquePhone() -> String {
        "+7 9\(String(Int.random(in: 100_000_000...999_999_999)))"
    }

    /// Creates an order as `client` and returns its id.
    func createOrder(
        by client: TestUser, contact: String = TestStack.uniquePhone(), category: String = "Сантехника",
        city: String = "Москва", description: String = "Срочно нужен мастер, течёт труба под раковиной"
    ) throws -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("category"); json.value(category)
        json.key("description"); json.value(description)
        json.key("city"); json.value(city)
        json.key("contact"); json.value(contact)
        json.endObject()
        let response = try self.client.post("/api/orders", json: String(decoding: json.bytes, as: UTF8.self), as: client)
        guard response.status == 201, let id = try response.json()["id"]?.stringValue else {
            throw HTTPClientError(description: "create failed: \(response.status) \(response.text)")
        }
        return id
    }

    /// Moves an order and its takes `minutes` into the past, as if that time had passed.
    func age(order id: String, byMinutes minutes: Int) throws {
        let db = try database()
        try db.transaction {
            try db.execute(
                sql: """
                    UPDATE orders SET created_at = created_at - make_interval(mins => $2::integer),
                           expires_at = expires_at - make_interval(mins => $2::integer),
                           first_taken_at = first_taken_at - make_interval(mins => $2::integer),
                           no_response_at = no_response_at - make_interval(mins => $2::integer),
                           customer_responded_at = customer_responded_at - make_interval(mins => $2::integer),
                           due_at = due_at - make_interval(mins => $2::integer)
                     WHERE id = $1
                    """, [id, minutes])
            try db.execute(
                sql: "UPDATE executor_takes SET taken_at = taken_at - make_interval(mins => $2::integer) WHERE order_id = $1",
                [id, minutes])
        }
    }

    /// Users (among `ids`, or all when nil) whose balance differs from their ledger sum.
    func ledgerMismatches(_ ids: [Int64]? = nil) throws -> Int64 {
        let db = try database()
        let result = try db.execute(
            sql: """
                SELECT count(*) FROM users u
                 WHERE ($1::bigint[] IS NULL OR u.id = ANY ($1::bigint[]))
                   AND u.balance <> COALESCE((SELECT sum(amount) FROM balance_transactions t WHERE t.user_id = u.id), 0)
                """, [ids.map { "{" + $0.map(String.init).joined(separator: ",") + "}" }])
        return result.int(0, 0) ?? -1
    }

    func balance(of user: TestUser) throws -> Int64 {
        try database().execute(sql: "SELECT balance FROM users WHERE id = $1::bigint", [user.id]).int(0, 0) ?? -1
    }
}
