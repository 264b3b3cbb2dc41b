import SrochnoSystem

/// A moment on `CLOCK_MONOTONIC` after which a connection sends no more statements and cancels
/// the one it is waiting for (see `PostgresConnection.deadline`).
public struct Deadline: Sendable, Equatable {
    /// Nanoseconds on `CLOCK_MONOTONIC`.
    public let nanoseconds: UInt64

    public init(nanoseconds: UInt64) { self.nanoseconds = nanoseconds }

    public static func after(milliseconds: Int) -> Deadline {
        // Clamped to a year: nothing waits longer, and the sum cannot overflow.
        Deadline(nanoseconds: now() + UInt64(min(max(milliseconds, 0), 31_536_000_000)) * 1_000_000)
    }

    public var hasPassed: Bool { now() >= nanoseconds }

    /// Whole milliseconds left, rounded up (so a wait never ends just before the moment); 0 once passed.
    var remainingMilliseconds: Int {
        let current = now()
        guard current < nanoseconds else { return 0 }
        return Int((nanoseconds - current + 999_999) / 1_000_000)
    }

    private static func now() -> UInt64 { UInt64(MonotonicClock.nanoseconds()) }

    private func now() -> UInt64 { Self.now() }
}
