import SrochnoCore
import SrochnoPostgres

extension API {
    func balance(_ context: RequestContext) throws -> HTTPResponse {
        let user = try requireUser(context)
        let row = try database().execute(BalanceQueries.balance, [user.id])
        return .json(200) { json in
            json.beginObject()
            json.key("balance"); json.value(row.int(0, 0) ?? 0)
            json.endObject()
        }
    }

    /// A development convenience that mints money, so it is off unless configured on.
    func recharge(_ context: RequestContext) throws -> HTTPResponse {
        let user = try requireUser(context)
        guard settings.devRecharge else { throw APIError(403, "Direct recharge is disabled") }
        var fields = FieldReader(try parseJSONObjectBody(context.request.body))
        let amount = fields.int("amount", required: true, range: 1...100_000)
        let method = fields.string("method", characters: 0...100)
        try fields.finish()
        guard let amount else { throw APIError.internalError }
        let description = "Recharge" + (method.map { " via \($0)" } ?? "")
        let row = try database().execute(BalanceQueries.recharge, [user.id, amount, description])
        return .json(200) { json in
            json.beginObject()
            json.key("success"); json.value(true)
            json.key("new_balance"); json.value(row.int(0, 1) ?? 0)
            json.key("transaction_id"); json.value(row.int(0, 0) ?? 0)
            json.endObject()
        }
    }

    func transactions(_ context: RequestContext) throws -> HTTPResponse {
        let user = try requireUser(context)
        var query = try QueryParameters(context.request.query)
        let limit = query.int("limit", default: 50, range: 1...100)
        let offset = query.int("offset", default: 0, range: 0...Int64(Bounds.maximumOffset))
        try query.finish()
        let rows = try database().execute(BalanceQueries.transactions, [user.id, limit, offset])
        return .json(200) { json in
            json.beginArray()
            for row in 0..<rows.rowCount {
                json.beginObject()
                json.key("id"); json.value(rows.int(row, 0) ?? 0)
                json.key("type"); json.value(rows.string(row, 1) ?? "")
                json.key("amount"); json.value(rows.int(row, 2) ?? 0)
                json.key("balance_after"); json.value(rows.int(row, 3) ?? 0)
                json.key("order_id"); json.value(rows.string(row, 4))
                json.key("description"); json.value(rows.string(row, 5))
                json.key("created_at"); json.value(Instant(microseconds: rows.int(row, 6) ?? 0).rfc3339)
                json.endObject()
            }
            json.endArray()
        }
    }
}
