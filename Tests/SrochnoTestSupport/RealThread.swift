import Glibc

/// Starts `body` on a new joinable pthread and returns it. Fakes block in `poll` and `recv`,
/// which would starve Swift's cooperative pool (one thread per core), so they get real threads.
func startRealThread(_ body: @escaping @Sendable () -> Void) -> pthread_t {
    var thread = pthread_t()
    let created = pthread_create(
        &thread, nil,
        { raw in
            Unmanaged<ThreadBody>.fromOpaque(raw!).takeRetainedValue().body()
            return nil
        }, Unmanaged.passRetained(ThreadBody(body)).toOpaque())
    precondition(created == 0, "pthread_create failed")
    return thread
}

/// Carries the closure across `pthread_create`'s C function pointer; the new thread releases it.
private final class ThreadBody {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}
