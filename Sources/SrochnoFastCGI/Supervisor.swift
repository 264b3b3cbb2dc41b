import Glibc

/// The parent of a pre-forked pool: forks the workers, replaces those that die, and on a stop
/// signal forwards it, waits for the workers and returns.
///
/// Workers are made with plain `fork()` (available in Swift's Glibc on Linux): each child
/// inherits the listening socket and the blocked stop signals, calls `makeHandler()`, serves,
/// and leaves with `exit()` — it never returns into the caller's code. The parent only ever
/// waits in `sigtimedwait` for SIGCHLD or a stop signal, so it needs no signal handlers and no
/// global flags.
final class Supervisor {
    private struct Slot {
        var pid: pid_t?
        var startedAt: Int64 = 0
        /// While `pid` is nil: the earliest moment to fork a replacement.
        var restartAt: Int64 = 0
        /// Consecutive deaths within `quickDeath` of starting; drives the back-off.
        var quickDeaths = 0
    }

    private static let second: Int64 = 1_000_000_000
    /// A worker that dies sooner than this after starting counts as crash-looping.
    private static let quickDeath = second
    private static let firstBackoff: Int64 = 100_000_000
    private static let maxBackoff = 5 * second
    /// How long workers get to finish their current request after a stop signal before
    /// they are killed.
    private static let stopGrace = 10 * second

    private var slots: [Slot]
    private let listenFD: Int32
    private let maxBodyBytes: Int
    private let signals: WorkerSignals
    private var stopping = false
    private var socketUnusable = false

    init(workers: Int, listenFD: Int32, maxBodyBytes: Int, signals: WorkerSignals) {
        self.slots = Array(repeating: Slot(), count: workers)
        self.listenFD = listenFD
        self.maxBodyBytes = maxBodyBytes
        self.signals = signals
    }

    /// Runs the pool until a stop signal (exit code 0) or until workers report the listening
    /// socket unusable (exit code 2).
    func run(makeHandler: () -> any RequestHandler) -> Int32 {
        for index in slots.indices {
            spawn(index, makeHandler: makeHandler)
        }
        var stopSignal = SIGTERM
        var exitCode: Int32 = 0
        while true {
            if let signal = waitForSignal(timeout: untilNextRestart()), WorkerSignals.shutdownSignals.contains(signal) {
                stopSignal = signal
                break
            }
            reap()
            if socketUnusable {
                StandardError.write(line: "srochno-fcgi: \(ListenSocket.noSocketMessage(fd: listenFD)); stopping")
                exitCode = 2
                break
            }
            let now = MonotonicClock.nanoseconds()
            for index in slots.indices where slots[index].pid == nil && slots[index].restartAt <= now {
                spawn(index, makeHandler: makeHandler)
            }
        }
        stopWorkers(signal: stopSignal)
        return exitCode
    }

    private func spawn(_ index: Int, makeHandler: () -> any RequestHandler) {
        fflush(nil)  // or every child's exit() would flush a copy of the parent's stdio buffers
        let pid = fork()
        if pid == 0 {
            signals.prepareWorker()
            switch Worker.run(listenFD: listenFD, maxBodyBytes: maxBodyBytes, signals: signals, makeHandler: makeHandler) {
            case .stopped: exit(0)
            case .cannotAccept: exit(Worker.cannotAcceptStatus)
            }
        }
        let now = MonotonicClock.nanoseconds()
        if pid < 0 {
            StandardError.write(line: "srochno-fcgi: fork failed: \(StandardError.describe(errno: errno)); retrying in 1 s")
            slots[index].restartAt = now + Self.second
            return
        }
        slots[index].pid = pid
        slots[index].startedAt = now
    }

    /// Collects every exited worker and schedules its replacement.
    private func reap() {
        while true {
            var status: Int32 = 0
            let pid = waitpid(-1, &status, WNOHANG)
            guard pid > 0 else { return }
            guard let index = slots.firstIndex(where: { $0.pid == pid }) else { continue }
            let now = MonotonicClock.nanoseconds()
            let lived = now - slots[index].startedAt
            slots[index].pid = nil
            if Self.exitStatus(status) == Worker.cannotAcceptStatus {
                socketUnusable = true
            }
            guard !stopping else { continue }

            slots[index].quickDeaths = lived < Self.quickDeath ? slots[index].quickDeaths + 1 : 0
            let delay = slots[index].quickDeaths == 0
                ? 0
                : min(Self.firstBackoff << Int64(min(slots[index].quickDeaths - 1, 16)), Self.maxBackoff)
            slots[index].restartAt = now + delay
            StandardError.write(
                line: "srochno-fcgi: worker \(pid) \(Self.describe(status)) after \(RequestLog.milliseconds(lived)) ms; "
                    + "restarting in \(delay / 1_000_000) ms"
            )
        }
    }

    /// Forwards the stop signal, gives the workers `stopGrace` to finish, then kills the rest.
    private func stopWorkers(signal: Int32) {
        stopping = true
        let running = slots.compactMap(\.pid)
        StandardError.write(line: "srochno-fcgi: stopping \(running.count) workers (signal \(signal))")
        forward(signal)
        let deadline = MonotonicClock.nanoseconds() + Self.stopGrace
        while slots.contains(where: { $0.pid != nil }) {
            let now = MonotonicClock.nanoseconds()
            if now >= deadline {
                StandardError.write(line: "srochno-fcgi: workers still busy after \(Self.stopGrace / Self.second) s; killing them")
                forward(SIGKILL)
                for index in slots.indices {
                    guard let pid = slots[index].pid else { continue }
                    var status: Int32 = 0
                    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
                    slots[index].pid = nil
                }
                break
            }
            if let again = waitForSignal(timeout: min(deadline - now, Self.second / 4)),
               WorkerSignals.shutdownSignals.contains(again) {
                forward(again)  // an impatient second signal is passed on as well
            }
            reap()
        }
    }

    private func forward(_ signal: Int32) {
        for pid in slots.compactMap(\.pid) {
            kill(pid, signal)
        }
    }

    /// Waits for a stop signal or SIGCHLD (both blocked, see WorkerSignals) for at most
    /// `timeout` nanoseconds; nil on timeout.
    private func waitForSignal(timeout: Int64) -> Int32? {
        var set = signals.supervisorSet
        var info = siginfo_t()
        var limit = timespec(tv_sec: Int(timeout / Self.second), tv_nsec: Int(timeout % Self.second))
        let signal = sigtimedwait(&set, &info, &limit)
        return signal > 0 ? signal : nil
    }

    /// Time until the earliest pending restart, at most one second (a periodic reap as well,
    /// in case a SIGCHLD was merged with another).
    private func untilNextRestart() -> Int64 {
        let now = MonotonicClock.nanoseconds()
        var timeout = Self.second
        for slot in slots where slot.pid == nil {
            timeout = min(timeout, max(slot.restartAt - now, 0))
        }
        return timeout
    }

    /// `WEXITSTATUS` when the process exited normally, else nil (the macros are not imported).
    private static func exitStatus(_ status: Int32) -> Int32? {
        status & 0x7F == 0 ? (status >> 8) & 0xFF : nil
    }

    private static func describe(_ status: Int32) -> String {
        if let code = exitStatus(status) { return "exited with status \(code)" }
        return "was killed by signal \(status & 0x7F)"
    }
}
