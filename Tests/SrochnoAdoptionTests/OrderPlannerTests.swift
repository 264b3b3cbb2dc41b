@testable import SrochnoAdoption
import SrochnoCore
import Testing

/// How an old order is stored: which active orders keep their contact, and what becomes of the
/// others, decided without a database.
@Suite struct OrderPlannerTests {
    let moment = Instant(seconds: 1_800_000_000)

    func planner(keepers: Set<String>) -> OrderPlanner {
        OrderPlanner(moment: moment, rules: AdoptionRules(), cities: CityNames(["Москва", "Орёл", "Тула"]), keepers: keepers)
    }

    func order(_ id: String, contact: String, status: String = "ACTIVE", minutesAgo: Int64, respondedAfter: Int? = nil) -> LegacyOrder {
        let created = moment.adding(seconds: -minutesAgo * 60)
        return LegacyOrder(
            id: id, clientID: 1, category: "Сантехника", description: "Срочно нужен сантехник, течёт кран", city: "Москва",
            contact: contact, status: status, lifetimeMinutes: 60, createdAt: created, updatedAt: created.adding(minutes: 61),
            respondedAt: respondedAfter.map { created.adding(minutes: $0) })
    }

    func take(_ id: Int64, _ order: LegacyOrder, after minutes: Int, by executor: Int64 = 2) -> LegacyTake {
        LegacyTake(id: id, orderID: order.id, executorID: executor, takenAt: order.createdAt.adding(minutes: minutes))
    }

    func imported(_ plan: OrderPlan) throws -> OrderImport {
        guard case .importing(let order, _) = plan else { throw AdoptionError("not imported: \(plan)") }
        return order
    }

    @Test func theNewestActiveOrderOfANormalisedContactKeepsIt() {
        let orders = [
            LegacyActiveOrder(id: "aaaaaaaaaaaa", contact: "+7 999 123-45-67", createdAt: moment.adding(seconds: -600)),
            LegacyActiveOrder(id: "bbbbbbbbbbbb", contact: "8 (999) 1234567", createdAt: moment.adding(seconds: -60)),
            LegacyActiveOrder(id: "cccccccccccc", contact: "@Ivan_Petrov", createdAt: moment.adding(seconds: -60)),
            LegacyActiveOrder(id: "dddddddddddd", contact: "@ivan_petrov", createdAt: moment.adding(seconds: -30)),
            LegacyActiveOrder(id: "eeeeeeeeeeee", contact: "hello2797200", createdAt: moment),
            // Equal times: the greater id, every run alike.
            LegacyActiveOrder(id: "ffffffffffff", contact: "+79001112233", createdAt: moment),
            LegacyActiveOrder(id: "gggggggggggg", contact: "89001112233", createdAt: moment),
        ]
        #expect(ActiveContacts.keepers(orders) == ["bbbbbbbbbbbb", "dddddddddddd", "gggggggggggg"])
    }

    @Test func aKeeperStaysActiveWithItsContactNormalised() throws {
        let old = order("aaaaaaaaaaaa", contact: "+7 999 123-45-67", minutesAgo: 10)
        let planned = try imported(try planner(keepers: ["aaaaaaaaaaaa"]).plan(old, takes: []))
        #expect(planned.storedStatus == .active && planned.settledStatus == nil && planned.finishedAt == nil)
        #expect(planned.contact == "+79991234567")
        #expect(planned.activeContactKey == "+79991234567")
        #expect(planned.changes == ["contact normalised"])
    }

    @Test func aKeeperPastItsTimeStaysStoredActiveForLazyResolution() throws {
        let old = order("aaaaaaaaaaaa", contact: "@Someone", minutesAgo: 180)
        let planned = try imported(try planner(keepers: ["aaaaaaaaaaaa"]).plan(old, takes: [take(1, old, after: 5)]))
        #expect(planned.storedStatus == .active && planned.settledStatus == nil)
        #expect(planned.statusChange == nil)
    }

    @Test func aDuplicateStillWithinItsHourExpiresAtTheAdoptionMoment() throws {
        // Taken 10 minutes in: its no-response moment is 5 minutes ahead.
        let old = order("aaaaaaaaaaaa", contact: "89991234567", minutesAgo: 20)
        let planned = try imported(try planner(keepers: []).plan(old, takes: [take(1, old, after: 10)]))
        #expect(planned.storedStatus == .expired && planned.settledStatus == nil)
        #expect(planned.finishedAt == moment)
        #expect(planned.statusChange == "active order sharing its contact with a newer one: expired at adoption")
    }

    @Test func aDueDuplicateWithTakesIsSettledAsItsFirstMoment() throws {
        // Taken 5 minutes in, never answered: the no-response moment (20 min) came before the expiry.
        let unanswered = order("aaaaaaaaaaaa", contact: "89991234567", minutesAgo: 180)
        let closed = try imported(try planner(keepers: []).plan(unanswered, takes: [take(1, unanswered, after: 5)]))
        #expect(closed.storedStatus == .active && closed.settledStatus == .closedNoResponse)
        #expect(closed.finalStatus == .closedNoResponse)
        // Answered: only the expiry was left.
        let answered = order("bbbbbbbbbbbb", contact: "89991234567", minutesAgo: 180, respondedAfter: 8)
        let expired = try imported(try planner(keepers: []).plan(answered, takes: [take(2, answered, after: 5)]))
        #expect(expired.settledStatus == .expired)
    }

    @Test func aDueDuplicateWithoutTakesIsStoredExpiredAtItsExpiry() throws {
        let old = order("aaaaaaaaaaaa", contact: "89991234567", minutesAgo: 180)
        let planned = try imported(try planner(keepers: []).plan(old, takes: []))
        #expect(planned.storedStatus == .expired && planned.settledStatus == nil)
        #expect(planned.finishedAt == old.createdAt.adding(minutes: 60))
    }

    @Test func aKeeperWhoseContactSrochnoHoldsGivesItUp() throws {
        let old = order("aaaaaaaaaaaa", contact: "89991234567", minutesAgo: 20)
        let planned = try imported(try planner(keepers: ["aaaaaaaaaaaa"]).plan(old, takes: [], contactTaken: true))
        #expect(planned.storedStatus == .expired)
        #expect(planned.statusChange?.hasPrefix("active order whose contact is active in Srochno already") == true)
    }

    @Test func aContactThatDoesNotNormaliseIsKeptAsTypedOnlyOnAFinishedOrder() throws {
        let active = try imported(try planner(keepers: []).plan(order("aaaaaaaaaaaa", contact: "hello2797200", minutesAgo: 5), takes: []))
        #expect(active.storedStatus == .expired && active.contact == "hello2797200")
        #expect(active.changes.contains("active order whose contact does not normalise: expired at adoption"))
        let finished = try imported(
            try planner(keepers: []).plan(
                order("bbbbbbbbbbbb", contact: "+7 9727 972-00-07", status: "COMPLETED", minutesAgo: 900), takes: []))
        #expect(finished.storedStatus == .completed && finished.contact == "+7 9727 972-00-07")
        #expect(finished.changes == ["contact kept as typed (does not normalise)"])
    }

    @Test func idsOutsideTheRuleGetADerivedIdEveryRunAlike() throws {
        let old = order("legacy-order-000001", contact: "@Someone", status: "EXPIRED", minutesAgo: 900)
        let first = try imported(try planner(keepers: []).plan(old, takes: []))
        let second = try imported(try planner(keepers: []).plan(old, takes: []))
        #expect(first.id == second.id && OrderID.isWellFormed(first.id) && first.oldID == old.id)
        #expect(try OrderPlanner.derivedID("legacy-order-000002") != first.id)
    }

    @Test func citiesCategoriesAndDescriptionsWithinTodaysRules() throws {
        var old = order("aaaaaaaaaaaa", contact: "@Someone", status: "EXPIRED", minutesAgo: 900)
        old = LegacyOrder(
            id: old.id, clientID: 1, category: "Садоводство", description: String(repeating: "я", count: 1200), city: "орел",
            contact: old.contact, status: old.status, lifetimeMinutes: 0, createdAt: old.createdAt, updatedAt: old.updatedAt,
            respondedAt: nil)
        let planned = try imported(try planner(keepers: []).plan(old, takes: []))
        #expect(planned.category == "Другое" && planned.city == "Орёл" && planned.description.unicodeScalars.count == 1000)
        #expect(planned.lifetimeMinutes == 60)
        let gotham = LegacyOrder(
            id: "bbbbbbbbbbbb", clientID: 1, category: "Другое", description: old.description, city: "Готэм", contact: "@Someone",
            status: "EXPIRED", lifetimeMinutes: 60, createdAt: old.createdAt, updatedAt: old.updatedAt, respondedAt: nil)
        #expect(try planner(keepers: []).plan(gotham, takes: []) == .refused("city outside today's list"))
    }

    /// The placeholder an order with takes is first written under is a valid active contact
    /// no real one can equal, distinct for ids that differ only in `-` and `_`.
    @Test func placeholderContactsAreValidAndDistinct() throws {
        let first = try imported(
            try planner(keepers: []).plan(order("ab-_cd-_ef-_", contact: "@Someone", status: "EXPIRED", minutesAgo: 900), takes: []))
        let second = try imported(
            try planner(keepers: []).plan(order("ab_-cd_-ef_-", contact: "@Someone", status: "EXPIRED", minutesAgo: 900), takes: []))
        #expect(first.placeholderContact != second.placeholderContact)
        for contact in [first.placeholderContact, second.placeholderContact] {
            #expect(Contact.normalize(contact) == contact, "\(contact)")
            #expect(contact.hasPrefix("@__adopt_"))
        }
    }

    @Test func thePlaceholderLivesPastTheLastTake() throws {
        let old = order("aaaaaaaaaaaa", contact: "@Someone", status: "COMPLETED", minutesAgo: 900)
        let planned = try imported(try planner(keepers: []).plan(old, takes: [take(1, old, after: 3), take(2, old, after: 95, by: 3)]))
        #expect(planned.placeholderLifetimeMinutes == 96)
        #expect(planned.lifetimeMinutes == 60)
        #expect(planned.takes.map(\.oldID) == [1, 2])
    }

    @Test func ordersAndTakesOfUsersThatCannotBeAdoptedAreRefused() throws {
        let old = order("aaaaaaaaaaaa", contact: "@Someone", status: "EXPIRED", minutesAgo: 900)
        guard
            case .importing(let planned, let refused) = try planner(keepers: []).plan(
                old, takes: [take(1, old, after: 3, by: 0), take(2, old, after: 4)])
        else {
            Issue.record("not imported")
            return
        }
        #expect(planned.takes.map(\.oldID) == [2])
        #expect(refused == [RefusedRow(id: "1", reason: "executor not adopted")])
        let orphan = LegacyOrder(
            id: "bbbbbbbbbbbb", clientID: -5, category: "Другое", description: old.description, city: "Москва", contact: "@Someone",
            status: "EXPIRED", lifetimeMinutes: 60, createdAt: old.createdAt, updatedAt: old.updatedAt, respondedAt: nil)
        #expect(try planner(keepers: []).plan(orphan, takes: []) == .refused("client not adopted"))
    }
}
