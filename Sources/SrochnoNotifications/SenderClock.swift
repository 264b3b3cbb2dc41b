import Glibc
public import SrochnoCore
import SrochnoSystem

/// The sender's time: wall time for what it stores (waits, leases, back-offs), monotonic time
/// and sleeping for its pacing (the send rate, Telegram's retry_after). Tests move the wall
/// clock instead of waiting minutes for an executor's wait to end.
public protocol SenderClock {
    func now() -> Instant
    /// Nanoseconds on a clock that never jumps.
    func monotonicNanoseconds() -> Int64
    func sleep(nanoseconds: Int64)
}

/// The system's clocks.
public struct SystemSenderClock: SenderClock {
    public init() {}

    public func now() -> Instant { systemNow() }

    public func monotonicNanoseconds() -> Int64 { MonotonicClock.nanoseconds() }

    public func sleep(nanoseconds: Int64) {
        guard nanoseconds > 0 else { return }
        var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR { request = remaining }
    }
}
