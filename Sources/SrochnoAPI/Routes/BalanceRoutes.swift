import SrochnoCore
import SrochnoStore

/// `/api/balance…` (SPEC §6 Balance).
struct BalanceRoutes: RouteArea {
    let store: Store
    let auth: Authenticator
    /// `POST /api/balance/recharge` mints money, so it is off unless configured on.
    let devRecharge: Bool

    static let routes: [RouteEntry<BalanceRoutes>] = [
        RouteEntry("GET", "/api/balance", { $0.balance }),
        RouteEntry("POST", "/api/balance/recharge", { $0.recharge }),
        RouteEntry("GET", "/api/balance/transactions", { $0.transactions }),
    ]

    func balance(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        let balance = try store.balance(of: user.id)
        return .json(200) { json in
            json.beginObject()
            json.key("balance"); json.value(balance)
            json.endObject()
        }
    }

    /// A development convenience that mints money, so it is off unless configured on.
    func recharge(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        guard devRecharge else { throw APIError(403, "Direct recharge is disabled") }
        var fields = FieldReader(try parseJSONObjectBody(context.request.body))
        let amount = fields.int("amount", required: true, range: Bounds.amountRubles)
        let method = fields.string("method", characters: 0...100)
        try fields.finish()
        guard let amount else { throw APIError.internalError }
        let description = "Recharge" + (method.map { " via \($0)" } ?? "")
        let entry = try store.recharge(user.id, amount: amount, description: description)
        return .json(200) { json in
            json.beginObject()
            json.key("success"); json.value(true)
            json.key("new_balance"); json.value(entry.balance)
            json.key("transaction_id"); json.value(entry.entryID)
            json.endObject()
        }
    }

    func transactions(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        var query = try QueryParameters(context.request.query)
        let limit = query.int("limit", default: Bounds.transactionListLimit.defaultValue, range: Bounds.transactionListLimit.range)
        let offset = query.int("offset", default: 0, range: Bounds.offset)
        try query.finish()
        let entries = try store.ledger(of: user.id, limit: limit, offset: offset)
        return .json(200) { json in
            json.beginArray()
            for entry in entries {
                json.beginObject()
                json.key("id"); json.value(entry.id)
                json.key("type"); json.value(entry.type)
                json.key("amount"); json.value(entry.amount)
                json.key("balance_after"); json.value(entry.balanceAfter)
                json.key("order_id"); json.value(entry.orderID)
                json.key("description"); json.value(entry.description)
                json.key("created_at"); json.value(entry.createdAt.rfc3339)
                json.endObject()
            }
            json.endArray()
        }
    }
}
