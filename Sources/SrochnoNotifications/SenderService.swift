import Glibc
import SrochnoPostgres
import SrochnoStore
import SrochnoSystem

/// srochno-notify as a long-running service: a pass (`NotificationSender.runOnce`), then sleep
/// until a NOTIFY arrives on `srochno_notify` (an order committed), the next executor's wait
/// ends, or the sweep interval passes, whichever comes first. The sweep is the fallback for a
/// notification lost while the connection was down, and what picks up executors whose lease a
/// dead sender left behind.
///
/// What it did is logged as one summary line a minute at most, and only when it did something.
/// A database failure is logged and retried with a back-off (1 s doubling to 30 s); the
/// connection reconnects on the next statement and listens again (LISTEN is in its session
/// setup).
struct SenderService {
    let sender: NotificationSender
    let stop: StopSignals
    /// The longest sleep inside a wait: a stop signal is noticed within it.
    static let slice = 250

    func run() -> Never {
        var pending = NotificationSender.Summary()
        var lastLine = MonotonicClock.nanoseconds()
        var failures = 0
        let name = NotifyCommand.name
        func flush(force: Bool) {
            let now = MonotonicClock.nanoseconds()
            guard !pending.isEmpty, force || now - lastLine >= 60_000_000_000 else { return }
            StandardError.write(line: "\(name): " + pending.fields.map { "\($0.0)=\($0.1)" }.joined(separator: " "))
            pending = NotificationSender.Summary()
            lastLine = now
        }
        StandardError.write(line: "\(name): listening on \(NotifyCommand.channel) as \(sender.owner)")
        while !stop.received() {
            do {
                pending += try sender.runOnce()
                flush(force: false)
                failures = 0
                try waitForWork()
            } catch let error as BotMisconfigured {
                flush(force: true)
                NotifyCommand.fail("\(error)")
            } catch {
                failures += 1
                StandardError.write(line: "\(name): \(error); trying again")
                if !Self.pause(seconds: min(1 << min(failures - 1, 5), 30), stop: stop) { break }
            }
        }
        flush(force: true)
        StandardError.write(line: "\(name): stopped")
        exit(0)
    }

    /// Sleeps until a notification, the next end of a wait or the sweep interval.
    private func waitForWork() throws {
        let now = sender.clock.now()
        var milliseconds = sender.configuration.sweepSeconds * 1000
        if let next = try NotificationBook.nextWaitEnd(sender.connection, now: now) {
            milliseconds = min(milliseconds, Int((next.microseconds - now.microseconds) / 1000) + 1)
        }
        let deadline = MonotonicClock.nanoseconds() + Int64(milliseconds) * 1_000_000
        while !stop.received() {
            let left = Int((deadline - MonotonicClock.nanoseconds()) / 1_000_000)
            if left <= 0 { return }
            if !(try sender.connection.waitForNotifications(timeoutMilliseconds: min(left, Self.slice))).isEmpty { return }
        }
    }

    /// Sleeps `seconds` in slices; false when a stop signal came first.
    static func pause(seconds: Int, stop: StopSignals) -> Bool {
        let clock = SystemSenderClock()
        for _ in 0..<(seconds * 1000 / slice) {
            if stop.received() { return false }
            clock.sleep(nanoseconds: Int64(slice) * 1_000_000)
        }
        return !stop.received()
    }
}
