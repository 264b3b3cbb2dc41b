import Glibc

/// Runs `body(0..<count)` on `count` real threads released together by a barrier, so the
/// requests they send truly race (Swift's cooperative pool has only as many threads as cores).
func inParallel<T: Sendable>(_ count: Int, _ body: @escaping @Sendable (Int) throws -> T) -> [Result<T, any Error>] {
    let box = ParallelResults<T>(count: count)
    var threads: [pthread_t] = []
    for index in 0..<count {
        let job = Unmanaged.passRetained(ParallelJob(index: index, box: box, body: body))
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { raw in
            let job = Unmanaged<AnyObject>.fromOpaque(raw!).takeRetainedValue() as! any ParallelRunnable
            job.run()
            return nil
        }, job.toOpaque())
        precondition(created == 0, "pthread_create failed")
        threads.append(thread)
    }
    for thread in threads { pthread_join(thread, nil) }
    return box.results.map { $0! }
}

private protocol ParallelRunnable: AnyObject { func run() }

/// Each thread writes only its own slot, and the caller reads after joining all threads.
private final class ParallelResults<T>: @unchecked Sendable {
    var results: [Result<T, any Error>?]
    var barrier = pthread_barrier_t()

    init(count: Int) {
        results = Array(repeating: nil, count: count)
        pthread_barrier_init(&barrier, nil, UInt32(count))
    }

    deinit { pthread_barrier_destroy(&barrier) }
}

private final class ParallelJob<T>: ParallelRunnable, @unchecked Sendable {
    let index: Int
    let box: ParallelResults<T>
    let body: @Sendable (Int) throws -> T

    init(index: Int, box: ParallelResults<T>, body: @escaping @Sendable (Int) throws -> T) {
        self.index = index
        self.box = box
        self.body = body
    }

    func run() {
        pthread_barrier_wait(&box.barrier)
        box.results[index] = Result { try body(index) }
    }
}
