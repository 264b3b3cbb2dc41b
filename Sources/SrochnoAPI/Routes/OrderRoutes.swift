import SrochnoCore
import SrochnoStore

/// `/api/orders…` (SPEC §6 Orders).
struct OrderRoutes: RouteArea {
    let store: Store
    let auth: Authenticator

    static let routes: [RouteEntry<OrderRoutes>] = [
        RouteEntry("POST", "/api/orders", { $0.create }),
        RouteEntry("GET", "/api/orders", { $0.list }),
        RouteEntry("GET", "/api/orders/{id}", { $0.get }),
        RouteEntry("PUT", "/api/orders/{id}", { $0.update }),
        RouteEntry("DELETE", "/api/orders/{id}", { $0.delete }),
        RouteEntry("POST", "/api/orders/{id}/take", { $0.take }),
        RouteEntry("POST", "/api/orders/{id}/respond", { $0.respond }),
        RouteEntry("POST", "/api/orders/{id}/close", { $0.close }),
        RouteEntry("POST", "/api/orders/{id}/complete", { $0.complete }),
    ]

    func create(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        var fields = FieldReader(try parseJSONObjectBody(context.request.body))
        let category = validCategory(&fields, required: true)
        let description = fields.string("description", required: true, characters: Bounds.orderDescriptionCharacters)
        let city = try validCity(&fields, required: true)
        let contact = validContact(&fields, required: true)
        try fields.finish()
        guard let category, let description, let city, let contact else { throw APIError.internalError }
        let order = try store.createOrder(
            clientID: user.id, category: category.rawValue, description: description, city: city,
            contact: contact, now: context.now
        ).orThrow()
        return order.response(status: 201, now: context.now, viewer: user.id)
    }

    func list(_ context: RequestContext) throws -> HTTPResponse {
        var query = try QueryParameters(context.request.query)
        let category = query.value("category").flatMap { $0.isEmpty ? nil : $0 }
        let city = query.value("city").flatMap { $0.isEmpty ? nil : $0 }
        let requestedStatus = query.choice("status", default: OrderStatus.active)
        let limit = query.int("limit", default: Bounds.orderListLimit.defaultValue, range: Bounds.orderListLimit.range)
        let offset = query.int("offset", default: 0, range: Bounds.offset)
        let mine = query.bool("mine")
        let takenByMe = query.bool("taken_by_me")
        try query.finish()

        let scope: OrderListScope = mine ? .mine : (takenByMe ? .takenByMe : .everyone)
        // Everyone's lists are the same bytes for every caller (no contact, nothing about the
        // viewer), so nginx keeps them until the end of this second (`publicListHeaders`) and
        // serves them to anyone. A request that reaches a worker still verifies an optional
        // header and stores or refreshes that caller (SPEC §2); one nginx answers never arrives.
        let caller = scope == .everyone ? auth.optionalCaller(context) : try auth.verifiedCaller(context)
        context.keptForEveryone = scope == .everyone
        // Everyone's lists show only what is public; the other statuses fall back to active.
        let publicStatuses: Set<OrderStatus> = [.active, .expired, .completed]
        let status = scope == .everyone && !publicStatuses.contains(requestedStatus) ? .active : requestedStatus
        let page = try store.listOrders(
            OrderListQuery(status: status, category: category, city: city, limit: limit, offset: offset, scope: scope),
            viewer: caller, now: context.now)
        var response = HTTPResponse.json(200) { json in
            json.beginObject()
            json.key("orders")
            json.beginArray()
            for order in page.orders { order.write(to: &json, now: context.now, viewer: caller?.id, showContact: false) }
            json.endArray()
            json.key("total"); json.value(page.total)
            json.endObject()
        }
        if scope == .everyone { response.headers += Self.publicListHeaders(now: context.now) }
        return response
    }

    /// What lets nginx's micro-cache of everyone's lists (nginx/, `location = /api/orders`) keep
    /// this answer, and for how long: `X-Accel-Expires: @S` keeps it until the end of the second
    /// S in which the request reached the worker, before its statement read the database, so
    /// no list is served more than a second after the database looked like it (nginx counts
    /// whole seconds; a relative 1 would mean up to 2, and nginx never serves an expired copy
    /// here). nginx reads and drops the header. `Cache-Control: no-store` tells every cache
    /// beyond ours (the browser, a proxy) not to keep it, since only ours enforces that second;
    /// it is sent whether or not the request was signed, so the kept answer is the same for
    /// everyone. A 503 (the database away or too slow) is marked the same way (see
    /// `API.route`): the requests for that list in the rest of its second get it from nginx
    /// instead of each taking a worker to find the database away again.
    static func publicListHeaders(now: Instant) -> [(name: String, value: String)] {
        [("X-Accel-Expires", "@\(now.seconds)"), ("Cache-Control", "no-store")]
    }

    func get(_ context: RequestContext) throws -> HTTPResponse {
        let caller = auth.optionalCaller(context)
        guard let order = try store.order(context.parameter("id"), viewer: caller) else { throw APIError.orderNotFound }
        return order.response(now: context.now, viewer: caller?.id)
    }

    func update(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        var fields = FieldReader(try parseJSONObjectBody(context.request.body))
        let category = validCategory(&fields, required: false)
        let description = fields.string("description", characters: Bounds.orderDescriptionCharacters)
        let contact = validContact(&fields, required: false)
        let city = fields.string("city")
        try fields.finish()
        let changes = OrderChanges(category: category?.rawValue, description: description, contact: contact, city: city)
        try store.updateOrder(context.parameter("id"), clientID: user.id, changes: changes, now: context.now).orThrow()
        return try currentOrder(context, viewer: user.id)
    }

    func delete(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        try store.deleteOrder(context.parameter("id"), clientID: user.id, now: context.now).orThrow()
        return .noContent
    }

    func take(_ context: RequestContext) throws -> HTTPResponse {
        let caller = try auth.verifiedCaller(context)
        let receipt = try store.takeOrder(context.parameter("id"), caller: caller, now: context.now).orThrow()
        return .json(200) { json in
            json.beginObject()
            json.key("success"); json.value(true)
            json.key("contact"); json.value(receipt.contact)
            json.key("executor_count"); json.value(receipt.executorCount)
            json.key("new_balance"); json.value(receipt.balance)
            json.endObject()
        }
    }

    func respond(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        try store.respond(to: context.parameter("id"), clientID: user.id, now: context.now).orThrow()
        return try currentOrder(context, viewer: user.id)
    }

    func close(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        try store.finish(context.parameter("id"), as: .closedNoResponse, clientID: user.id, now: context.now).orThrow()
        return .noContent
    }

    func complete(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        try store.finish(context.parameter("id"), as: .completed, clientID: user.id, now: context.now).orThrow()
        return try currentOrder(context, viewer: user.id)
    }

    // MARK: - Shared steps

    private func currentOrder(_ context: RequestContext, viewer: Int64) throws -> HTTPResponse {
        guard let order = try store.currentOrder(context.parameter("id")) else { throw APIError.orderNotFound }
        return order.response(now: context.now, viewer: viewer)
    }

    private func validCategory(_ fields: inout FieldReader, required: Bool) -> OrderCategory? {
        guard let text = fields.string("category", required: required) else { return nil }
        guard let category = OrderCategory(rawValue: text) else {
            fields.fail("category", "Value error, Invalid category", type: "value_error")
            return nil
        }
        return category
    }

    private func validCity(_ fields: inout FieldReader, required: Bool) throws -> String? {
        guard let city = fields.string("city", required: required) else { return nil }
        guard try store.cities().contains(city) else {
            fields.fail("city", "Value error, Unknown city", type: "value_error")
            return nil
        }
        return city
    }

    private func validContact(_ fields: inout FieldReader, required: Bool) -> String? {
        guard let text = fields.string("contact", required: required) else { return nil }
        guard let contact = Contact.normalize(text) else {
            fields.fail(
                "contact", "Value error, Contact must be a Telegram username (@name, 5-32 letters, digits or _) or a Russian phone number",
                type: "value_error")
            return nil
        }
        return contact
    }
}

extension APIError {
    static let orderNotFound = APIError(404, "Order not found")
}
