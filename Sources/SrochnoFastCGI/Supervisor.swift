import Glibc
import SrochnoSystem

/// The parent of a pre-forked pool: forks the workers, replaces those that die, and on a stop
/// signal forwards it, waits for the workers and returns.
///
/// Workers are made with plain `fork()` (available in Swift's Glibc on Linux): each child
/// inherits the listening socket and the blocked stop signals, calls `makeHandler()`, serves,
/// and leaves with `exit()` — it never returns into the caller's code. The parent only ever
/// waits in `sigtimedwait` for SIGCHLD or a stop signal, so it needs no signal handlers and no
/// global flags.
///
/// Should the supervisor itself die without stopping them (SIGKILL, OOM), its workers notice:
/// they watch the read end of a pipe whose only write end the supervisor holds, and end of file
/// there stops them like SIGTERM — no orphans keep serving a socket nobody manages.
/// (PR_SET_PDEATHSIG would need `prctl`, which is variadic and not imported into Swift.)
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
    private let socket: ListenSocket
    private let maxBodyBytes: Int
    private let signals: WorkerSignals
    private var stopping = false
    private var socketUnusable = false
    /// The parent pipe: workers keep only `readEnd`; `writeEnd` is held by the supervisor.
    private let readEnd: Int32
    private let writeEnd: Int32

    init(workers: Int, socket: ListenSocket, maxBodyBytes: Int, signals: WorkerSignals) {
        self.slots = Array(repeating: Slot(), count: workers)
        self.socket = socket
        self.maxBodyBytes = maxBodyBytes
        self.signals = signals
        var ends: [Int32] = [-1, -1]
        if pipe(&ends) == 0 {
            for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        if readEnd >= 0 { close(readEnd) }
        if writeEnd >= 0 { close(writeEnd) }
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
                StandardError.write(line: "srochno-fcgi: \(ListenSocket.noSocketMessage(fd: socket.fd)); stopping")
                exitCode = 2
                break
            }
            // Workers that died because the whole group got the stop signal (systemd's default
            // KillMode, Ctrl-C) are not replaced: the next sigtimedwait returns that signal.
            guard !stopSignalPending() else { continue }
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
            if writeEnd >= 0 { close(writeEnd) }
            let parentPipe = readEnd >= 0 ? readEnd : nil
            switch Worker.run(
                listenFD: socket.fd, parentPipe: parentPipe, maxBodyBytes: maxBodyBytes, signals: signals, makeHandler: makeHandler)
            {
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
            let delay =
                slots[index].quickDeaths == 0
                ? 0
                : min(Self.firstBackoff << Int64(min(slots[index].quickDeaths - 1, 16)), Self.maxBackoff)
            slots[index].restartAt = now + delay
            StandardError.write(
                line: "srochno-fcgi: worker \(pid) \(Self.describe(status)) after \(RequestLog.milliseconds(lived)) ms; "
                    + "restarting in \(delay / 1_000_000) ms"
            )
        }
    }

    /// Removes our socket file (nginx gets no new connections through it; the workers still
    /// answer the ones already queued), forwards the stop signal, gives the workers
    /// `stopGrace` to finish, then kills the rest.
    private func stopWorkers(signal: Int32) {
        stopping = true
        socket.removeCreatedFile()
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
                WorkerSignals.shutdownSignals.contains(again)
            {
                forward(again)  // an impatient second signal is passed on as well
            }
            reap()
        }
    }

    private func stopSignalPending() -> Bool {
        var pending = sigset_t()
        sigpending(&pending)
        return WorkerSignals.shutdownSignals.contains { sigismember(&pending, $0) == 1 }
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
