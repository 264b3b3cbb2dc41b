import Glibc

/// Signal handling without global state.
///
/// SIGTERM, SIGINT and SIGQUIT are blocked as soon as the pool starts and stay blocked for the
/// life of every process, so they can never interrupt a request half-way (or a handler's
/// system call with EINTR). The supervisor takes them with `sigtimedwait`. A worker opens the
/// window only while idle: it waits for the next connection with `pselect`, whose signal mask
/// atomically unblocks them, and each has a no-op handler — so a stop signal that arrives while
/// idle, or that was left pending during a request, makes `pselect` fail with EINTR, and the
/// worker returns from its loop, releases its handler and exits. (libfcgi's own SIGUSR1
/// handler, which means "shut down when idle" to libfcgi, ends the wait the same way.)
/// A C signal handler cannot capture anything, and none is needed: the EINTR is the message.
struct WorkerSignals {
    static let shutdownSignals: [Int32] = [SIGTERM, SIGINT, SIGQUIT]

    /// The process's signal mask before the pool changed it.
    private let originalMask: sigset_t
    /// The mask while a worker waits for a connection: the original minus the stop signals.
    private let idleMask: sigset_t
    /// What the supervisor waits for: the stop signals and SIGCHLD.
    let supervisorSet: sigset_t

    /// Blocks the stop signals and SIGCHLD in the calling process and remembers the old mask.
    static func blockShutdownSignals() -> WorkerSignals {
        var blocked = makeSet(shutdownSignals + [SIGCHLD])
        var original = sigset_t()
        sigprocmask(SIG_BLOCK, &blocked, &original)
        var idle = original
        for signal in shutdownSignals { sigdelset(&idle, signal) }
        return WorkerSignals(originalMask: original, idleMask: idle, supervisorSet: blocked)
    }

    private static func makeSet(_ signals: [Int32]) -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        for signal in signals { sigaddset(&set, signal) }
        return set
    }

    /// Sets up a worker process (a fresh child, or this process when serving in-process).
    /// A client that went away must not kill the worker, so SIGPIPE is ignored and writes just
    /// fail with EPIPE. Stop signals get a no-op handler without SA_RESTART and stay blocked;
    /// SIGCHLD goes back to the original mask (a handler might run subprocesses).
    func prepareWorker() {
        signal(SIGPIPE, SIG_IGN)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        for signal in Self.shutdownSignals {
            sigaction(signal, &action, nil)
        }
        var mask = originalMask
        for signal in Self.shutdownSignals { sigaddset(&mask, signal) }
        sigprocmask(SIG_SETMASK, &mask, nil)
    }

    enum IdleWait {
        case readable
        case stopRequested
        /// The supervisor died (its end of the parent pipe closed): stop like on SIGTERM.
        case parentGone
        case failed(errno: Int32)
    }

    /// Blocks until `fd` is readable, a stop signal arrives (see the type's comment) or, when
    /// `parentPipe` is given, the supervisor holding its write end has gone.
    func waitUntilReadable(_ fd: Int32, parentPipe: Int32?) -> IdleWait {
        var readSet = fd_set()
        let capacity = Int32(MemoryLayout<fd_set>.size * 8)
        let watched = [fd] + (parentPipe.map { [$0] } ?? [])
        guard watched.allSatisfy({ $0 >= 0 && $0 < capacity }) else { return .failed(errno: EBADF) }
        withUnsafeMutableBytes(of: &readSet) { raw in
            let words = raw.bindMemory(to: Int.self)
            for watchedFD in watched {
                words[Int(watchedFD) / Int.bitWidth] |= 1 << (Int(watchedFD) % Int.bitWidth)
            }
        }
        var mask = idleMask
        let result = pselect(watched.max()! + 1, &readSet, nil, nil, nil, &mask)
        guard result >= 0 else {
            let code = errno
            return code == EINTR ? .stopRequested : .failed(errno: code)
        }
        if let parentPipe {
            let parentReadable = withUnsafeBytes(of: &readSet) { raw in
                raw.load(fromByteOffset: Int(parentPipe) / Int.bitWidth * MemoryLayout<Int>.size, as: Int.self)
                    & (1 << (Int(parentPipe) % Int.bitWidth)) != 0
            }
            if parentReadable { return .parentGone }
        }
        return .readable
    }
}
