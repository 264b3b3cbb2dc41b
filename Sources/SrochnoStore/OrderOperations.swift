public import SrochnoCore
import SrochnoPostgres
import SrochnoSystem

/// What a take answers: the contact it paid for, how many executors took the order, and the
/// executor's balance after it (unchanged when this executor had taken it already).
public struct TakeReceipt: Sendable, Equatable {
    public let contact: String
    public let executorCount: Int64
    public let balance: Int64
}

/// Fields of an order update; nil leaves a field as it is.
public struct OrderChanges: Sendable {
    public var category: String?
    public var description: String?
    /// Normalised (`Contact.normalize`).
    public var contact: String?
    /// Only for the check that it did not change.
    public var city: String?

    public init(category: String? = nil, description: String? = nil, contact: String? = nil, city: String? = nil) {
        self.category = category
        self.description = description
        self.contact = contact
        self.city = city
    }
}

extension Store {
    /// Creates an order with a fresh random id (drawn again on the rare collision). Refused
    /// when the client already holds the most effectively active orders allowed, or the contact
    /// has an active order.
    public func createOrder(
        clientID: Int64, category: String, description: String, city: String, contact: String,
        now: Instant
    ) throws -> Result<OrderRecord, OrderRefusal> {
        let db = try database()
        for _ in 0..<3 {
            let order = NewOrder(
                id: OrderID.make(randomBytes: secureRandomBytes(OrderID.length)), clientID: clientID,
                category: category, description: description, city: city, contact: contact)
            do {
                return try db.transaction {
                    try db.run(ClaimContact(contact: contact, now: now, client: clientID))
                    let insert = InsertOrder(
                        order: order, now: now, lifetimeMinutes: settings.orderLifetimeMinutes,
                        noResponseMinutes: settings.noResponseMinutes, maxExecutors: settings.maxExecutors,
                        maxActiveOrders: settings.maxActiveOrders)
                    if let created = try db.queryFirst(insert) { return .success(created) }
                    let active = try db.queryOne(ActiveOrderCount(clientID: clientID, now: now))
                    return .failure(active >= settings.maxActiveOrders ? .tooManyActiveOrders : .contactTaken)
                }
            } catch let error as PostgresError where error.isUniqueViolation && error.constraint == "orders_pkey" {
                continue  // an id collision: draw again
            }
        }
        throw PostgresError(kind: .server, message: "three order id collisions in a row")
    }

    /// The order as `viewer` (signed in or not) may see it: a deleted order is only its client's.
    public func order(_ orderID: String, viewer: TelegramProfile?) throws -> OrderRecord? {
        guard let order = try readOrder(try database(), orderID, lock: false, viewer: viewer) else { return nil }
        if order.timeline.storedStatus == .deleted && order.clientID != viewer?.id { return nil }
        return order
    }

    /// The order as it is stored now (after a write), or nil.
    public func currentOrder(_ orderID: String) throws -> OrderRecord? {
        try database().queryFirst(OrderByID(orderID: orderID))?.order
    }

    /// Changes an order of `clientID` that is effectively active and not taken.
    public func updateOrder(_ orderID: String, clientID: Int64, changes: OrderChanges, now: Instant) throws -> Result<Void, OrderRefusal> {
        let db = try database()
        return try db.transaction {
            // A deleted order is still its client's: 410 below, like every other finished order.
            guard let order = try lockAndSettle(db, orderID: orderID, now: now), order.clientID == clientID else {
                return .failure(.notFound)
            }
            if order.takeCount > 0 { return .failure(.cannotEditTaken) }
            if let refusal = refusalUnlessActive(order, now) { return .failure(refusal) }
            if let city = changes.city, city != order.city { return .failure(.cityCannotChange) }
            if let contact = changes.contact, contact != order.contact {
                try db.run(ClaimContact(contact: contact, now: now, client: nil))
            }
            let updated = try db.run(
                UpdateOrder(
                    orderID: order.id, category: changes.category, description: changes.description,
                    contact: changes.contact))
            return updated == 1 ? .success(()) : .failure(.contactTaken)
        }
    }

    /// Deletes an order of `clientID` that nobody took; deleting a deleted order changes nothing.
    public func deleteOrder(_ orderID: String, clientID: Int64, now: Instant) throws -> Result<Void, OrderRefusal> {
        let db = try database()
        return try db.transaction {
            guard let order = try lockAndSettle(db, orderID: orderID, now: now), order.clientID == clientID else {
                return .failure(.notFound)
            }
            if order.takeCount > 0 { return .failure(.cannotDeleteTaken) }
            if order.timeline.storedStatus != .deleted { try db.run(MarkDeleted(orderID: order.id, now: now)) }
            return .success(())
        }
    }

    /// `caller` pays to take an order and see its contact. Four round trips: BEGIN, the lock
    /// (with the caller's users row checked), the take with its charge, COMMIT.
    public func takeOrder(_ orderID: String, caller: TelegramProfile, now: Instant) throws -> Result<TakeReceipt, OrderRefusal> {
        let db = try database()
        return try db.transaction {
            guard let order = try lockAndSettle(db, orderID: orderID, now: now, caller: caller),
                order.timeline.storedStatus != .deleted || order.clientID == caller.id
            else { return .failure(.notFound) }
            if let refusal = refusalUnlessActive(order, now) { return .failure(refusal) }
            if order.clientID == caller.id { return .failure(.ownOrder) }
            if order.wasTaken(by: caller.id) {
                let balance = try db.queryOne(BalanceOfUser(userID: caller.id))
                return .success(TakeReceipt(contact: order.contact, executorCount: order.takeCount, balance: balance))
            }
            if order.takeCount >= order.maxExecutors { return .failure(.executorsFull(maximum: order.maxExecutors)) }
            // No row: the balance does not cover the take. The transaction still commits, with
            // it a first-sight users row stored by the lock.
            let take = TakeAndCharge(orderID: order.id, executorID: caller.id, amount: settings.takeCost, now: now)
            guard let charged = try db.queryFirst(take) else { return .failure(.insufficientBalance(cost: settings.takeCost)) }
            return .success(TakeReceipt(contact: order.contact, executorCount: order.takeCount + 1, balance: charged.balance))
        }
    }

    /// The client confirms a response: the no-response clock stops.
    public func respond(to orderID: String, clientID: Int64, now: Instant) throws -> Result<Void, OrderRefusal> {
        try clientAction(orderID, clientID: clientID, now: now) { db, order in
            if order.respondedAt != nil { return .failure(.alreadyResponded) }
            try db.run(MarkResponded(orderID: order.id, now: now))
            return .success(())
        }
    }

    /// The client ends the order: `closedNoResponse` (no refunds) or `completed`.
    public func finish(_ orderID: String, as status: OrderStatus, clientID: Int64, now: Instant) throws -> Result<Void, OrderRefusal> {
        try clientAction(orderID, clientID: clientID, now: now) { db, order in
            try db.run(FinishOrder(orderID: order.id, status: status, now: now))
            return .success(())
        }
    }

    /// Respond, close and complete: the caller must be the client of an effectively active
    /// order that has a take; `action` runs under the order's row lock.
    private func clientAction(
        _ orderID: String, clientID: Int64, now: Instant,
        _ action: (PostgresConnection, OrderRecord) throws -> Result<Void, OrderRefusal>
    ) throws -> Result<Void, OrderRefusal> {
        let db = try database()
        return try db.transaction {
            guard let order = try lockAndSettle(db, orderID: orderID, now: now),
                order.timeline.storedStatus != .deleted || order.clientID == clientID
            else { return .failure(.notFound) }
            if order.clientID != clientID { return .failure(.notTheClient) }
            if let refusal = refusalUnlessActive(order, now) { return .failure(refusal) }
            if order.takeCount == 0 { return .failure(.noTakeYet) }
            return try action(db, order)
        }
    }
}
