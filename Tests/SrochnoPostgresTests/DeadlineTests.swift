@testable import SrochnoPostgres
import Testing

/// No assertion here depends on how fast the machine is: only on the monotonic clock never
/// going backwards and on generous margins.
@Suite struct DeadlineTests {
    @Test func aFarDeadlineHasNotPassed() {
        let deadline = Deadline.after(milliseconds: 60_000)
        #expect(!deadline.hasPassed)
        #expect((1...60_000).contains(deadline.remainingMilliseconds))
        #expect(deadline.remainingMilliseconds > 50_000)
    }

    @Test func zeroAndNegativeDurationsHaveAlreadyPassed() {
        for milliseconds in [0, -1, -60_000, Int.min] {
            let deadline = Deadline.after(milliseconds: milliseconds)
            #expect(deadline.hasPassed)
            #expect(deadline.remainingMilliseconds == 0)
        }
    }

    @Test func negativeDurationsCountAsZero() {
        let earlier = Deadline.after(milliseconds: 0)
        let negative = Deadline.after(milliseconds: -5_000)
        let later = Deadline.after(milliseconds: 0)
        #expect(earlier.nanoseconds <= negative.nanoseconds)
        #expect(negative.nanoseconds <= later.nanoseconds)
    }

    @Test func afterAddsWholeMillisecondsToTheMonotonicNow() {
        let first = Deadline.after(milliseconds: 1_000)
        let second = Deadline.after(milliseconds: 3_000)
        // second was taken no earlier than first, and lies 2 s further out.
        #expect(second.nanoseconds - first.nanoseconds >= 2_000_000_000)
    }

    @Test func extremeMomentsOfTheClock() {
        #expect(Deadline(nanoseconds: 0).hasPassed)
        #expect(Deadline(nanoseconds: 0).remainingMilliseconds == 0)
        #expect(!Deadline(nanoseconds: .max).hasPassed)
        #expect(Deadline(nanoseconds: .max).remainingMilliseconds > 0)
    }

    @Test func isEquatableByMoment() {
        #expect(Deadline(nanoseconds: 5) == Deadline(nanoseconds: 5))
        #expect(Deadline(nanoseconds: 5) != Deadline(nanoseconds: 6))
        #expect(Deadline(nanoseconds: 5).nanoseconds == 5)
    }

    /// Rounded up: while the moment has not come, a wait of `remainingMilliseconds` never ends
    /// before it. Read in this order, 0 remaining must mean it had passed.
    @Test func remainingIsZeroOnlyOnceTheMomentPassed() {
        let deadline = Deadline.after(milliseconds: 2)
        var iterations = 0
        while true {
            let remaining = deadline.remainingMilliseconds
            let passed = deadline.hasPassed
            #expect(remaining >= 0 && remaining <= 2)
            if remaining == 0 {
                #expect(passed)
                break
            }
            iterations += 1
            if iterations > 100_000_000 { Issue.record("a 2 ms deadline did not pass"); break }
        }
    }
}
