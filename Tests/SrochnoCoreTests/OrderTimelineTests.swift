import SrochnoCore
import Testing

/// SPEC §4 with an injected clock: times are minutes after the order was created.
@Suite struct OrderTimelineTests {
    let created = Instant(seconds: 1_790_000_000)

    func at(_ minutes: Int) -> Instant { created.adding(minutes: minutes) }

    /// An order with a 60-minute lifetime, first taken at `takenAt` (15-minute window).
    func timeline(takenAt: Int? = nil, responded: Bool = false, stored: OrderStatus = .active) -> OrderTimeline {
        OrderTimeline(
            storedStatus: stored,
            expiresAt: at(60),
            noResponseAt: responded ? nil : takenAt.map { at($0 + 15) }
        )
    }

    @Test func untakenOrderIsActiveUntilItsLifetimeEnds() {
        #expect(timeline().effectiveStatus(at: at(0)) == .active)
        #expect(timeline().effectiveStatus(at: at(59)) == .active)
        #expect(timeline().effectiveStatus(at: at(60)) == .expired)
        #expect(timeline().effectiveStatus(at: at(600)) == .expired)
    }

    @Test func unansweredTakeClosesFifteenMinutesAfterTheFirstTake() {
        let order = timeline(takenAt: 10)
        #expect(order.effectiveStatus(at: at(24)) == .active)
        #expect(order.effectiveStatus(at: at(25)) == .closedNoResponse)
    }

    @Test func firstEventInTimeWinsWhenSeenLate() {
        // Taken at minute 5, nobody looks until minute 70: the no-response moment (20) came first.
        #expect(timeline(takenAt: 5).effectiveStatus(at: at(70)) == .closedNoResponse)
        // Taken at minute 50, seen at minute 70: expiry (60) came before no-response (65).
        #expect(timeline(takenAt: 50).effectiveStatus(at: at(70)) == .expired)
    }

    @Test func aTieGoesToTheRefund() {
        #expect(timeline(takenAt: 45).effectiveStatus(at: at(60)) == .closedNoResponse)
        #expect(timeline(takenAt: 45).dueAt == at(60))
    }

    @Test func respondingStopsTheNoResponseClock() {
        let order = timeline(takenAt: 5, responded: true)
        #expect(order.effectiveStatus(at: at(30)) == .active)
        #expect(order.effectiveStatus(at: at(60)) == .expired)
    }

    @Test(arguments: [OrderStatus.expired, .deleted, .closedNoResponse, .completed])
    func storedFinalStatusesNeverChange(_ stored: OrderStatus) {
        #expect(timeline(takenAt: 5, stored: stored).effectiveStatus(at: at(0)) == stored)
        #expect(timeline(takenAt: 5, stored: stored).effectiveStatus(at: at(500)) == stored)
    }

    @Test func dueAtIsTheEarlierMoment() {
        #expect(timeline().dueAt == at(60))
        #expect(timeline(takenAt: 10).dueAt == at(25))
        #expect(timeline(takenAt: 50).dueAt == at(60))
    }
}
