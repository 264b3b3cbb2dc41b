import Glibc

/// Runs `body(0..<count)` on `count` real threads released together by a barrier, so database
/// sessions truly race (Swift's cooperative pool has only as many threads as cores). Returns
/// each thread's result in index order.
public func inParallel<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) -> [Result<T, any Error>] {
    let barrier = Barrier(count: count)
    let jobs = (0..<count).map { ParallelJob(index: $0, barrier: barrier, body: body) }
    var threads: [pthread_t] = []
    for job in jobs {
        var thread = pthread_t()
        let created = pthread_create(
            &thread, nil,
            { raw in
                let job = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! any ParallelRunnable
                job.run()
                return nil
            }, Unmanaged.passRetained(job as AnyObject).toOpaque())
        precondition(created == 0, "pthread_create failed")
        threads.append(thread)
    }
    for thread in threads { pthread_join(thread, nil) }
    return jobs.map { $0.result! }
}

private protocol ParallelRunnable: AnyObject { func run() }

/// A pthread barrier that outlives every thread waiting on it.
private final class Barrier: @unchecked Sendable {
    private var barrier = pthread_barrier_t()

    init(count: Int) { pthread_barrier_init(&barrier, nil, UInt32(count)) }
    deinit { pthread_barrier_destroy(&barrier) }

    func wait() { pthread_barrier_wait(&barrier) }
}

/// One thread's work and its result. Only that thread writes `result`, and the caller reads it
/// after joining the thread.
private final class ParallelJob<T>: ParallelRunnable, @unchecked Sendable {
    let index: Int
    let barrier: Barrier
    let body: @Sendable (Int) throws -> T
    var result: Result<T, any Error>?

    init(index: Int, barrier: Barrier, body: @escaping @Sendable (Int) throws -> T) {
        self.index = index
        self.barrier = barrier
        self.body = body
    }

    func run() {
        barrier.wait()
        result = Result { try body(index) }
    }
}
