import SrochnoCore
import SrochnoSystem

struct TakeImport: Sendable, Equatable {
    let oldID: Int64
    let executorID: Int64
    let takenAt: Instant
}

/// An old row that is not imported, and why.
struct RefusedRow: Error, Sendable, Equatable {
    let id: String
    let reason: String
}

/// An old order as Srochno stores it, with its takes.
struct OrderImport: Sendable, Equatable {
    let oldID: String
    let id: String
    let clientID: Int64
    let category: String
    let description: String
    let city: String
    /// Normalised; as the client typed it only on a finished order whose contact does not
    /// normalise.
    let contact: String
    /// What the order's last write stores: `.active` for an order that stays active, and for
    /// one that `apply_due_transitions` then settles as of the adoption moment
    /// (`settledStatus`, with its refunds when unanswered).
    let storedStatus: OrderStatus
    let settledStatus: OrderStatus?
    let createdAt: Instant
    let lifetimeMinutes: Int64
    let maxExecutors: Int
    let respondedAt: Instant?
    let finishedAt: Instant?
    /// Oldest first, as the take trigger must see them.
    let takes: [TakeImport]
    let changes: [String]
    /// Why the status differs from the old one's, when it does.
    let statusChange: String?

    var finalStatus: OrderStatus { settledStatus ?? storedStatus }
    /// The one-active-contact key of an order that stays active.
    var activeContactKey: String? { storedStatus == .active && settledStatus == nil ? ActiveContacts.key(contact) : nil }

    /// The take trigger accepts a take only on an active order that is not yet due at the
    /// take's moment; the old backend took orders its lost timers had left active, and
    /// finished orders are not active at all. An order with takes is therefore first written
    /// as it was while it was being taken: active, answered from the start (no no-response
    /// moment), living until after its last take, under a placeholder contact that no other
    /// active order can hold. Its takes follow, then one update stores what the order really
    /// is. All three in one transaction: no other session ever sees the placeholder state.
    var placeholderContact: String {
        var name = "__adopt_"
        for character in id.unicodeScalars {
            switch character {
            case "-": name += "_0"
            case "_": name += "_1"
            default: name.unicodeScalars.append(character)
            }
        }
        return "@" + name
    }

    var placeholderLifetimeMinutes: Int64 {
        guard let last = takes.map(\.takenAt).max() else { return lifetimeMinutes }
        let needed = (last.microseconds - createdAt.microseconds) / 60_000_000 + 1
        return max(lifetimeMinutes, needed)
    }
}

enum OrderPlan: Sendable, Equatable {
    case importing(OrderImport, refusedTakes: [RefusedRow])
    case refused(String)
}

/// Decides how an old order is stored, given which old active orders keep their contact.
struct OrderPlanner: Sendable {
    static let descriptionLength = 20...1000

    /// The adoption moment: an old active order that has to give up its contact and is due by
    /// then is settled as of it.
    let moment: Instant
    let rules: AdoptionRules
    let cities: CityNames
    /// Old ids of the orders stored `ACTIVE` that stay active (`ActiveContacts.keepers`).
    let keepers: Set<String>

    static func status(_ legacy: String) -> OrderStatus? {
        switch legacy {
        case "ACTIVE": .active
        case "EXPIRED": .expired
        case "DELETED": .deleted
        case "CLOSED_NO_RESPONSE": .closedNoResponse
        case "COMPLETED": .completed
        default: nil
        }
    }

    /// Srochno's id for an old one outside its id rule: 12 characters of its alphabet from a
    /// SHA-256 of the old id, so every run derives the same.
    static func derivedID(_ oldID: String) throws(AdoptionError) -> String {
        guard let digest = sha256(Array("srochno-adopt order \(oldID)".utf8)) else { throw AdoptionError("SHA-256 failed") }
        return OrderID.make(randomBytes: digest)
    }

    /// `contactTaken`: a Srochno order already holds the contact active (checked under the
    /// contact's advisory lock by the batch that writes this order).
    func plan(_ order: LegacyOrder, takes: [LegacyTake], contactTaken: Bool = false) throws(AdoptionError) -> OrderPlan {
        guard !UserPlanner.isRefused(order.clientID) else { return .refused("client not adopted") }
        guard let oldStatus = Self.status(order.status) else { return .refused("unknown status") }
        var changes: [String] = []

        var id = order.id
        if !OrderID.isWellFormed(order.id) {
            id = try Self.derivedID(order.id)
            changes.append("id outside Srochno's id rule: a derived id")
        }
        var category = order.category
        if OrderCategory(rawValue: category) == nil {
            category = OrderCategory.other.rawValue
            changes.append("category outside today's list: \(category)")
        }
        guard let city = cities.match(order.city) else { return .refused("city outside today's list") }
        if !city.exact { changes.append("city matched to today's spelling") }
        var description = order.description
        guard description.codePointCount >= Self.descriptionLength.lowerBound else { return .refused("description under 20 characters") }
        if description.codePointCount > Self.descriptionLength.upperBound {
            description = description.prefix(codePoints: Self.descriptionLength.upperBound)
            changes.append("description cut to 1000 characters")
        }
        var lifetime = order.lifetimeMinutes
        if lifetime <= 0 {
            lifetime = Int64(rules.orderLifetimeMinutes)
            changes.append("lifetime not positive: \(lifetime) minutes")
        }

        var kept: [TakeImport] = []
        var refusedTakes: [RefusedRow] = []
        for take in takes {
            if UserPlanner.isRefused(take.executorID) {
                refusedTakes.append(RefusedRow(id: String(take.id), reason: "executor not adopted"))
            } else {
                kept.append(TakeImport(oldID: take.id, executorID: take.executorID, takenAt: take.takenAt))
            }
        }
        kept.sort { ($0.takenAt, $0.oldID) < ($1.takenAt, $1.oldID) }

        let normalised = Contact.normalize(order.contact)
        if let normalised, normalised != order.contact { changes.append("contact normalised") }
        let contact = normalised ?? order.contact
        guard (1...100).contains(contact.codePointCount) else { return .refused("contact empty or over 100 characters") }

        let timeline = OrderTimeline(
            storedStatus: .active, expiresAt: order.createdAt.adding(minutes: Int(lifetime)),
            noResponseAt: order.respondedAt == nil ? kept.first.map { $0.takenAt.adding(minutes: rules.noResponseMinutes) } : nil)
        var stored = oldStatus
        var settled: OrderStatus?
        var finished: Instant? = max(order.updatedAt, order.createdAt)
        var statusChange: String?
        if oldStatus == .active {
            finished = nil
            let reason: String? =
                if normalised == nil {
                    "active order whose contact does not normalise"
                } else if !keepers.contains(order.id) {
                    "active order sharing its contact with a newer one"
                } else if contactTaken {
                    "active order whose contact is active in Srochno already"
                } else {
                    nil
                }
            if let reason {
                let effective = timeline.effectiveStatus(at: moment)
                if effective == .active {
                    stored = .expired
                    finished = moment
                    statusChange = "\(reason): expired at adoption"
                } else if kept.isEmpty {
                    stored = effective
                    finished = timeline.dueAt
                    statusChange = "\(reason): past its time, stored \(effective.rawValue)"
                } else {
                    settled = effective
                    statusChange = "\(reason): past its time, settled \(effective.rawValue)"
                }
            }
        }
        if normalised == nil { changes.append("contact kept as typed (does not normalise)") }
        if let statusChange { changes.append(statusChange) }

        return .importing(
            OrderImport(
                oldID: order.id, id: id, clientID: order.clientID, category: category, description: description, city: city.name,
                contact: contact, storedStatus: stored, settledStatus: settled, createdAt: order.createdAt, lifetimeMinutes: lifetime,
                maxExecutors: max(rules.maxExecutors, kept.count), respondedAt: order.respondedAt, finishedAt: finished,
                takes: kept, changes: changes, statusChange: statusChange),
            refusedTakes: refusedTakes)
    }
}
