/// When a notification sender sends, retries and gives up (SPEC §8.2), from the times passed in.
public enum NotificationRules {
    /// The first wait after a failed send (5xx, no answer); each further failure doubles it.
    public static let firstBackoffSeconds: Int64 = 5
    /// The longest wait between two tries: a Bot API outage of an hour is tried about a dozen
    /// times per executor, not thousands.
    public static let maxBackoffSeconds: Int64 = 300

    /// The wait before the next try after `failures` consecutive failures (at least 1):
    /// 5 s, 10 s, 20 s, … up to 5 minutes.
    public static func backoffSeconds(afterFailures failures: Int) -> Int64 {
        precondition(failures >= 1, "a back-off follows a failure")
        let doublings = min(failures - 1, 16)
        return min(firstBackoffSeconds << Int64(doublings), maxBackoffSeconds)
    }

    /// Whether sends that have failed since `failingSince` have failed long enough to drop the
    /// executor's queued orders.
    public static func givesUp(failingSince: Instant, now: Instant, giveUpMinutes: Int) -> Bool {
        now >= failingSince.adding(minutes: giveUpMinutes)
    }
}

/// A token bucket of one token refilled `perSecond` times a second: sends are spaced at least
/// 1/`perSecond` apart, so no second ever holds more than `perSecond` + 1 of them (a larger
/// bucket would allow a burst of twice the rate within one second, which is what Telegram's
/// limit counts). Times are monotonic nanoseconds, passed in.
public struct SendRate: Sendable {
    public let perSecond: Int
    private let interval: Int64
    private var nextFree: Int64?

    public init(perSecond: Int) {
        precondition(perSecond > 0, "a positive rate")
        self.perSecond = perSecond
        interval = 1_000_000_000 / Int64(perSecond)
    }

    /// Takes the next slot at or after `now` and returns how long to wait for it (0: now).
    public mutating func reserve(at now: Int64) -> Int64 {
        let slot = max(now, nextFree ?? now)
        nextFree = slot + interval
        return slot - now
    }
}
