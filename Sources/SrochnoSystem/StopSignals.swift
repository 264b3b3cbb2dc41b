import Glibc

/// SIGTERM and SIGINT for a long-running single-threaded process that must stop between two
/// pieces of work, never inside one: both are blocked for good, so they can interrupt no system
/// call (a Bot API call, a COMMIT), and stay pending until `received` takes them with a
/// zero-timeout `sigtimedwait`. A process that checks `received` between steps and sleeps in
/// short slices stops within one slice of the signal, after finishing what it was doing.
/// (signalfd and ppoll, which would wake a sleep at once, are not imported into Swift's Glibc.)
public final class StopSignals {
    private var set = sigset_t()
    private var stopped = false

    /// Blocks SIGTERM and SIGINT in the calling (only) thread.
    public init() {
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        sigprocmask(SIG_BLOCK, &set, nil)
    }

    /// True once either signal arrived (and from then on).
    public func received() -> Bool {
        if stopped { return true }
        var none = timespec(tv_sec: 0, tv_nsec: 0)
        if sigtimedwait(&set, nil, &none) > 0 { stopped = true }
        return stopped
    }
}
