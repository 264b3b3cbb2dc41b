import SrochnoCore

extension Adoption {
    /// Orders by id, each batch with its takes, reviews and complaints. Which old active orders
    /// keep their contact is decided over all of them first.
    func orderPass(cities: CityNames, moment: Instant) throws -> Bool {
        var planner: OrderPlanner?
        return try runPass("orders") { lastKey in
            let orders = try source.query(LegacyOrdersAfter(after: lastKey, limit: options.batchSize))
            guard let last = orders.last else { return nil }
            let current =
                try planner
                ?? OrderPlanner(
                    moment: moment, rules: options.rules, cities: cities,
                    keepers: ActiveContacts.keepers(try source.query(LegacyActiveOrders())))
            planner = current
            let ids = orders.map(\.id)
            let batch = OrderBatch(
                orders: orders, takes: Dictionary(grouping: try source.query(LegacyTakesOf(orderIDs: ids)), by: \.orderID),
                reviews: try source.query(LegacyReviewsOf(orderIDs: ids)), complaints: try source.query(LegacyComplaintsOf(orderIDs: ids)))
            return (last.id, { try self.writeOrders(batch, current) })
        }
    }

    struct OrderBatch {
        let orders: [LegacyOrder]
        let takes: [String: [LegacyTake]]
        let reviews: [LegacyReview]
        let complaints: [LegacyComplaint]
    }

    private func writeOrders(_ batch: OrderBatch, _ planner: OrderPlanner) throws -> Tally {
        var tally = Tally()
        tally.read(.orders, batch.orders.count)
        tally.read(.executorTakes, batch.takes.values.reduce(0) { $0 + $1.count })
        tally.read(.clientReviews, batch.reviews.count)
        tally.read(.executorComplaints, batch.complaints.count)

        var plans = try batch.orders.map { try planner.plan($0, takes: batch.takes[$0.id] ?? []) }
        // Contacts that stay active: under their locks, any an order of Srochno holds already
        // goes to that order, and the old one is planned again without it.
        let keys = plans.compactMap { plan -> String? in
            if case .importing(let order, _) = plan { order.activeContactKey } else { nil }
        }.sorted()
        if !keys.isEmpty {
            try target.run(LockContacts(keys: keys))
            let held = Set(try target.query(ActiveContactsHeld(keys: keys)))
            if !held.isEmpty {
                plans = try zip(batch.orders, plans).map { order, plan in
                    guard case .importing(let planned, _) = plan, let key = planned.activeContactKey, held.contains(key) else {
                        return plan
                    }
                    return try planner.plan(order, takes: batch.takes[order.id] ?? [], contactTaken: true)
                }
            }
        }

        var planned: [OrderImport] = []
        for (order, plan) in zip(batch.orders, plans) {
            switch plan {
            case .importing(let imported, let refusedTakes):
                planned.append(imported)
                for take in refusedTakes { tally.refused(.executorTakes, take.id, take.reason, orderID: order.id) }
            case .refused(let reason):
                tally.refused(.orders, order.id, reason)
                refuseChildren(of: order.id, takes: (batch.takes[order.id] ?? []).map(\.id), batch, &tally)
            }
        }

        let rows = planned.map { InsertOrders.Entry(order: $0, placeholder: !$0.takes.isEmpty) }
        let written =
            rows.isEmpty ? [] : Set(try target.query(InsertOrders(rows: rows, noResponseMinutes: options.rules.noResponseMinutes)))
        var orders: [String: OrderImport] = [:]
        for order in planned {
            guard written.contains(order.id) else {
                tally.refused(.orders, order.oldID, "its id or active contact is in Srochno already")
                refuseChildren(of: order.oldID, takes: order.takes.map(\.oldID), batch, &tally)
                continue
            }
            orders[order.oldID] = order
            tally.imported(.orders)
            tally.changed(.orders, order.changes)
            if order.id != order.oldID || order.statusChange != nil {
                tally.noteOrder(
                    order.oldID, reason: order.statusChange ?? "derived id", targetID: order.id == order.oldID ? nil : order.id,
                    status: order.statusChange == nil ? nil : order.finalStatus)
            }
        }

        let taken = planned.filter { !$0.takes.isEmpty && orders[$0.oldID] != nil }
        try writeTakes(of: taken, moment: planner.moment, &tally)
        try writeFeedback(batch, orders, &tally)
        return tally
    }

    /// Takes on orders in their placeholder state, then each order as it really is; orders
    /// that gave up their contact and were due are settled as of the adoption moment.
    private func writeTakes(of orders: [OrderImport], moment: Instant, _ tally: inout Tally) throws {
        guard !orders.isEmpty else { return }
        let takes = orders.flatMap { order in order.takes.map { (orderID: order.id, take: $0) } }
        let written = Set(
            try target.query(InsertTakes(takes: takes, amountPaid: options.rules.takeCost)).map { "\($0.orderID) \($0.executorID)" })
        for (orderID, take) in takes {
            if written.contains("\(orderID) \(take.executorID)") {
                tally.imported(.executorTakes)
            } else {
                let oldOrder = orders.first { $0.id == orderID }?.oldID
                tally.refused(.executorTakes, String(take.oldID), "in Srochno already", orderID: oldOrder)
            }
        }
        try target.run(FinishTakenOrders(orders: orders))
        let settling = orders.filter { $0.settledStatus != nil }
        guard !settling.isEmpty else { return }
        let settled = try target.queryOne(SettleAdoptedOrders(orderIDs: settling.map(\.id), moment: moment))
        let expectedClosed = settling.filter { $0.settledStatus == .closedNoResponse }.count
        guard settled.expired + settled.closed == settling.count, settled.closed == expectedClosed else {
            throw AdoptionError(
                "settling \(settling.count) orders as of the adoption moment settled \(settled.expired) expired and "
                    + "\(settled.closed) closed, planned \(settling.count - expectedClosed) and \(expectedClosed)")
        }
        tally.count(.executorTakes, .changed, "refunded at adoption (its order closed unanswered)", settled.refunds)
        try target.run(SetContacts(orders: settling))
    }

    private func writeFeedback(_ batch: OrderBatch, _ orders: [String: OrderImport], _ tally: inout Tally) throws {
        var reviews: [ReviewImport] = []
        for review in batch.reviews {
            // Those of an order not imported are refused with it.
            guard let order = orders[review.orderID] else { continue }
            switch FeedbackPlanner.review(review, of: order) {
            case .success(let planned): reviews.append(planned)
            case .failure(let refused): tally.refused(.clientReviews, refused.id, refused.reason, orderID: review.orderID)
            }
        }
        let writtenReviews =
            reviews.isEmpty ? [] : Set(try target.query(InsertReviews(reviews: reviews)).map { "\($0.orderID) \($0.executorID)" })
        for review in reviews {
            if writtenReviews.contains("\(review.orderID) \(review.executorID)") {
                tally.imported(.clientReviews)
                tally.changed(.clientReviews, review.changes)
            } else {
                tally.refused(
                    .clientReviews, String(review.oldID), "a review of this take is in Srochno already",
                    orderID: oldID(review.orderID, orders))
            }
        }

        var complaints: [ComplaintImport] = []
        for complaint in batch.complaints {
            guard let order = orders[complaint.orderID] else { continue }
            switch FeedbackPlanner.complaint(complaint, of: order) {
            case .success(let planned): complaints.append(planned)
            case .failure(let refused): tally.refused(.executorComplaints, refused.id, refused.reason, orderID: complaint.orderID)
            }
        }
        let writtenComplaints =
            complaints.isEmpty
            ? [] : Set(try target.query(InsertComplaints(complaints: complaints)).map { "\($0.orderID) \($0.executorID)" })
        for complaint in complaints {
            if writtenComplaints.contains("\(complaint.orderID) \(complaint.executorID)") {
                tally.imported(.executorComplaints)
                tally.changed(.executorComplaints, complaint.changes)
            } else {
                tally.refused(
                    .executorComplaints, String(complaint.oldID), "a complaint of this take is in Srochno already",
                    orderID: oldID(complaint.orderID, orders))
            }
        }
    }

    private func oldID(_ orderID: String, _ orders: [String: OrderImport]) -> String? {
        orders.values.first { $0.id == orderID }?.oldID
    }

    /// The takes not refused yet, the reviews and the complaints of an order not imported.
    private func refuseChildren(of orderID: String, takes: [Int64], _ batch: OrderBatch, _ tally: inout Tally) {
        let reason = "order not adopted"
        for take in takes { tally.refused(.executorTakes, String(take), reason, orderID: orderID) }
        for review in batch.reviews where review.orderID == orderID {
            tally.refused(.clientReviews, String(review.id), reason, orderID: orderID)
        }
        for complaint in batch.complaints where complaint.orderID == orderID {
            tally.refused(.executorComplaints, String(complaint.id), reason, orderID: orderID)
        }
    }
}
