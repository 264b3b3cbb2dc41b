import SrochnoCore
import SrochnoPostgres

extension API {
    func createOrder(_ context: RequestContext) throws -> HTTPResponse {
        let user = try requireUser(context)
        var fields = FieldReader(try parseJSONObjectBody(context.request.body))
        let category = validCategory(&fields, required: true)
        let description = fields.string("description", required: true, characters: 20...1000)
        let city = try validCity(&fields, required: true)
        let contact = validContact(&fields, required: true)
        try fields.finish()
        guard let category, let description, let city, let contact else { throw APIError.internalError }

        let db = try database()
        for _ in 0..<3 {
            let id = OrderID.make(randomBytes: secureRandomBytes(OrderID.length))
            let outcome: Result<PostgresResult, APIError>
            do {
                outcome = try db.transaction {
                    try db.execute(OrderQueries.claimContact, [contact, context.now, user.id])
                    let created = try db.execute(OrderQueries.insert, [
                        id, user.id, category.rawValue, description, city, contact, context.now,
                        settings.orderLifetimeMinutes, settings.noResponseMinutes, settings.maxExecutors,
                        settings.maxActiveOrders,
                    ])
                    if created.rowCount == 1 { return .success(created) }
                    let active = try db.execute(OrderQueries.activeCountOfClient, [user.id, context.now]).int(0, 0) ?? 0
                    return .failure(active >= settings.maxActiveOrders ? tooManyActiveOrders : contactTaken)
                }
            } catch let error as PostgresError where error.isUniqueViolation && error.constraint == "orders_pkey" {
                continue  // an id collision: draw again
            }
            return OrderRow(try outcome.get(), row: 0).response(status: 201, now: context.now, viewer: user.id)
        }
        throw APIError.internalError
    }

    func listOrders(_ context: RequestContext) throws -> HTTPResponse {
        var query = try QueryParameters(context.request.query)
        let category = query.value("category").flatMap { $0.isEmpty ? nil : $0 }
        let city = query.value("city").flatMap { $0.isEmpty ? nil : $0 }
        let requestedStatus = query.choice("status", default: OrderStatus.active)
        let limit = query.int("limit", default: 50, range: 1...Int64(OrderListShape.maximumLimit))
        let offset = query.int("offset", default: 0, range: 0...Int64(Bounds.maximumOffset))
        let mine = query.bool("mine")
        let takenByMe = query.bool("taken_by_me")
        try query.finish()

        let scope: OrderListScope = mine ? .mine : (takenByMe ? .takenByMe : .everyone)
        let caller = scope == .everyone ? try optionalCaller(context) : try verifiedCaller(context)
        let viewer = caller.map { AuthenticatedUser(id: $0.id) }
        let publicStatuses: Set<OrderStatus> = [.active, .expired, .completed]
        let status = scope == .everyone && !publicStatuses.contains(requestedStatus) ? .active : requestedStatus
        let shape = OrderListShape(status: status, byCategory: category != nil, byCity: city != nil, scope: scope,
                                   checksViewer: caller != nil)

        var parameters: [any PostgresParameter] = [context.now, limit, offset]
        if let category { parameters.append(category) }
        if let city { parameters.append(city) }
        if scope != .everyone, let viewer { parameters.append(viewer.id) }
        if let caller { parameters += caller.userParameters }
        let db = try database()
        let statement = shapedStatement(named: shape.statementName, shape.statement)
        let rows = shape.needsCustomPlan
            ? try withCustomPlans(db) { try db.execute(statement, parameters) }
            : try db.execute(statement, parameters)
        if let caller { try storeUser(caller, unlessCurrentIn: rows, column: OrderListShape.viewerCurrentColumn) }
        return .json(200) { json in
            json.beginObject()
            json.key("orders")
            json.beginArray()
            for row in 0..<rows.rowCount where !rows.isNull(row, 0) {
                OrderRow(rows, row: row).write(to: &json, now: context.now, viewer: viewer?.id, showContact: false)
            }
            json.endArray()
            json.key("total"); json.value(rows.rowCount > 0 ? rows.int(0, OrderListShape.totalColumn) ?? 0 : 0)
            json.endObject()
        }
    }

    func getOrder(_ context: RequestContext) throws -> HTTPResponse {
        let caller = try optionalCaller(context)
        let viewer = caller.map { AuthenticatedUser(id: $0.id) }
        let rows = try readOrder(database(), context.parameter(0), OrderQueries.byID, OrderQueries.byIDForViewer, caller: caller)
        guard let rows, rows.rowCount == 1 else { throw orderNotFound }
        let order = OrderRow(rows, row: 0)
        if order.timeline.storedStatus == .deleted && order.clientID != viewer?.id { throw orderNotFound }
        return order.response(now: context.now, viewer: viewer?.id)
    }

    func updateOrder(_ context: RequestContext) throws -> HTTPResponse {
        let user = try requireUser(context)
        var fields = FieldReader(try parseJSONObjectBody(context.request.body))
        let category = validCategory(&fields, required: false)
        let description = fields.string("description", characters: 20...1000)
        let contact = validContact(&fields, required: false)
        let city = fields.string("city")
        try fields.finish()

        let db = try database()
        let outcome: Result<Void, APIError> = try db.transaction {
            // A deleted order is still its client's: 410 below, like every other finished order.
            guard let order = try lockAndSettle(db, context), order.clientID == user.id else { return .failure(orderNotFound) }
            if order.takeCount > 0 { return .failure(APIError(403, "Cannot edit order after executor has taken it")) }
            if let refusal = refusalUnlessActive(order, context.now) { return .failure(refusal) }
            if let city, city != order.city {
                return .failure(APIError.invalidField(["body", "city"], "Value error, City cannot be changed", type: "value_error"))
            }
            if let contact, contact != order.contact {
                try db.execute(OrderQueries.claimContact, [contact, context.now, nil as Int64?])
            }
            let updated = try db.execute(OrderQueries.update, [order.id, category?.rawValue, description, contact])
            return updated.rowCount == 1 ? .success(()) : .failure(contactTaken)
        }
        try outcome.get()
        return try currentOrder(context, viewer: user.id)
    }

    func deleteOrder(_ context: RequestContext) throws -> HTTPResponse {
        let user = try requireUser(context)
        let db = try database()
        let outcome: Result<Void, APIError> = try db.transaction {
            guard let order = try lockAndSettle(db, context), order.clientID == user.id else { return .failure(orderNotFound) }
            if order.takeCount > 0 { return .failure(APIError(403, "Cannot delete order after executor has taken it")) }
            if order.timeline.storedStatus != .deleted {
                try db.execute(OrderQueries.markDeleted, [order.id, context.now])
            }
            return .success(())
        }
        try outcome.get()
        return .noContent
    }

    func takeOrder(_ context: RequestContext) throws -> HTTPResponse {
        let caller = try verifiedCaller(context)
        let user = AuthenticatedUser(id: caller.id)
        let db = try database()
        // Four round trips: BEGIN, the lock (with the caller's users row checked), the take with
        // its charge, COMMIT.
        let outcome: Result<(contact: String, executors: Int64, balance: Int64), APIError> = try db.transaction {
            guard let order = try lockAndSettle(db, orderID: context.parameter(0), now: context.now, caller: caller),
                  order.timeline.storedStatus != .deleted || order.clientID == user.id
            else { return .failure(orderNotFound) }
            if let refusal = refusalUnlessActive(order, context.now) { return .failure(refusal) }
            if order.clientID == user.id { return .failure(APIError(403, "Cannot take your own order")) }
            if order.wasTaken(by: user.id) {
                let balance = try db.execute(BalanceQueries.balance, [user.id]).int(0, 0) ?? 0
                return .success((order.contact, order.takeCount, balance))
            }
            if order.takeCount >= order.maxExecutors {
                return .failure(APIError(409, "Maximum \(order.maxExecutors) executors reached"))
            }
            // No row: the balance does not cover the take. The transaction still commits, with
            // it a first-sight users row stored by the lock.
            let charged = try db.execute(OrderQueries.takeAndCharge, [order.id, user.id, settings.takeCost, context.now])
            guard charged.rowCount == 1 else { return .failure(insufficientBalance) }
            return .success((order.contact, order.takeCount + 1, charged.int(0, 0) ?? 0))
        }
        let taken = try outcome.get()
        return .json(200) { json in
            json.beginObject()
            json.key("success"); json.value(true)
            json.key("contact"); json.value(taken.contact)
            json.key("executor_count"); json.value(taken.executors)
            json.key("new_balance"); json.value(taken.balance)
            json.endObject()
        }
    }

    func respondToOrder(_ context: RequestContext) throws -> HTTPResponse {
        try clientAction(context) { db, order in
            if order.respondedAt != nil { return .failure(APIError(409, "Already responded")) }
            try db.execute(OrderQueries.markResponded, [order.id, context.now])
            return .success(())
        }
        return try currentOrder(context, viewer: context.userID)
    }

    func closeOrder(_ context: RequestContext) throws -> HTTPResponse {
        try clientAction(context) { db, order in
            try db.execute(OrderQueries.finish, [order.id, OrderStatus.closedNoResponse.rawValue, context.now])
            return .success(())
        }
        return .noContent
    }

    func completeOrder(_ context: RequestContext) throws -> HTTPResponse {
        try clientAction(context) { db, order in
            try db.execute(OrderQueries.finish, [order.id, OrderStatus.completed.rawValue, context.now])
            return .success(())
        }
        return try currentOrder(context, viewer: context.userID)
    }

    // MARK: - Shared steps

    private var orderNotFound: APIError { APIError(404, "Order not found") }
    private var insufficientBalance: APIError { APIError(402, "Insufficient balance. Need \(settings.takeCost)₽") }
    private var contactTaken: APIError { APIError(409, "This contact already has an active order") }
    private var tooManyActiveOrders: APIError { APIError(409, "Too many active orders") }

    /// Respond, close and complete: the caller must be the client of an effectively active
    /// order that has a take; `action` runs under the order's row lock.
    private func clientAction(
        _ context: RequestContext,
        _ action: (PostgresConnection, OrderRow) throws -> Result<Void, APIError>
    ) throws {
        let user = try requireUser(context)
        let db = try database()
        let outcome: Result<Void, APIError> = try db.transaction {
            guard let order = try lockAndSettle(db, context),
                  order.timeline.storedStatus != .deleted || order.clientID == user.id
            else { return .failure(orderNotFound) }
            if order.clientID != user.id { return .failure(APIError(403, "Only the order's client can do this")) }
            if let refusal = refusalUnlessActive(order, context.now) { return .failure(refusal) }
            if order.takeCount == 0 { return .failure(APIError(409, "No executor has taken this order yet")) }
            return try action(db, order)
        }
        try outcome.get()
    }

    /// `lockAndSettle` for the order of the request path.
    private func lockAndSettle(_ db: PostgresConnection, _ context: RequestContext) throws -> OrderRow? {
        try lockAndSettle(db, orderID: context.parameter(0), now: context.now)
    }

    private func refusalUnlessActive(_ order: OrderRow, _ now: Instant) -> APIError? {
        switch order.timeline.effectiveStatus(at: now) {
        case .active: return nil
        case .expired: return APIError(410, "Order has expired")
        default: return APIError(410, "Order is no longer active")
        }
    }

    private func currentOrder(_ context: RequestContext, viewer: Int64?) throws -> HTTPResponse {
        let rows = try database().execute(OrderQueries.byID, [context.parameter(0)])
        guard rows.rowCount == 1 else { throw orderNotFound }
        return OrderRow(rows, row: 0).response(now: context.now, viewer: viewer)
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
        guard try cities().contains(city) else {
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
