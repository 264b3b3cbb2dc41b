import Glibc
import SrochnoTestSupport
import Testing

/// The pre-forked pool survives a worker dying mid-service (SPEC §1): the supervisor replaces
/// a SIGKILLed worker within seconds, and only a request that worker was serving may fail.
@Suite struct WorkerPoolTests {
    /// What one request of the load saw: an HTTP status and body, or a transport failure.
    struct Outcome: Sendable {
        let status: Int?
        let text: String
    }

    static let loadThreads = 8
    static let killAfterSeconds = 0.8
    static let loadSeconds = 2.5
    static let replacementDeadlineSeconds = 5.0

    @Test func aKilledWorkerIsReplacedAndOnlyItsRequestInFlightMayFail() throws {
        let stack = try TestStack()
        // Its own source address: this load must not use up the rate limit of 127.0.0.1,
        // where the other suites' requests come from.
        let client = HTTPClient(host: stack.host, port: stack.port, sourceAddress: "127.0.0.78", timeoutSeconds: 5)
        let before = ProcessTable.children(of: stack.workersPID)
        try #require(before.count >= 2, "the pool's workers under pid \(stack.workersPID): \(before)")
        let idleDescriptors = Self.idleDescriptorCount(of: before)

        let parent = stack.workersPID
        let killed = SharedBox<Int32?>(nil)
        let start = monotonicSeconds()
        let results = inParallel(Self.loadThreads + 1) { index -> [Outcome] in
            if index == Self.loadThreads {
                sleepThread(seconds: Self.killAfterSeconds)
                let victim = Self.idleWorker(of: parent, idleDescriptors: idleDescriptors)
                if let victim, kill(victim, SIGKILL) == 0 { killed.update { $0 = victim } }
                return []
            }
            var outcomes: [Outcome] = []
            while monotonicSeconds() - start < Self.loadSeconds, outcomes.count < 200 {
                do {
                    let response = try client.get("/health")
                    outcomes.append(Outcome(status: response.status, text: response.text))
                } catch {
                    outcomes.append(Outcome(status: nil, text: "\(error)"))
                }
                sleepThread(seconds: 0.04)
            }
            return outcomes
        }
        let outcomes = results.flatMap { (try? $0.get()) ?? [] }
        let victim = try #require(killed.current, "no worker could be killed among \(before)")
        #expect(before.contains(victim))

        // The supervisor reaps the victim and forks a replacement.
        let deadline = monotonicSeconds() + Self.replacementDeadlineSeconds
        var after = ProcessTable.children(of: parent)
        while (after.count != before.count || after.contains(victim)) && monotonicSeconds() < deadline {
            sleepThread(seconds: 0.05)
            after = ProcessTable.children(of: parent)
        }
        #expect(after.count == before.count, "workers before \(before), after \(after)")
        #expect(!after.contains(victim))
        #expect(!ProcessTable.isAlive(victim))
        #expect(!Set(after).subtracting(before).isEmpty, "no new worker pid: before \(before), after \(after)")

        // During the kill: everything answered, and at most a request or two in flight failed.
        let failures = outcomes.filter { $0.status != 200 }
        #expect(outcomes.count >= Self.loadThreads * 3, "only \(outcomes.count) requests were sent")
        #expect(failures.count <= 3, "failures: \(failures.map { "\($0.status.map(String.init) ?? "transport") \($0.text)" })")
        for failure in failures {
            #expect(failure.status == 502 || failure.status == 503, "\(failure.status.map(String.init) ?? "transport"): \(failure.text)")
        }

        // After the replacement: every request succeeds.
        let later = inParallel(Self.loadThreads) { _ -> [Int] in
            try (0..<5).map { _ in try client.get("/health").status }
        }
        for result in later {
            #expect((try? result.get()) == [200, 200, 200, 200, 200], "\(result)")
        }
        #expect(monotonicSeconds() - start < 10)
    }

    /// The descriptor count of a worker waiting for a request: the smallest seen over a few
    /// samples (a busy worker holds one more, its accepted connection).
    private static func idleDescriptorCount(of workers: [Int32]) -> Int? {
        var smallest: Int?
        for _ in 0..<10 {
            for count in workers.compactMap(ProcessTable.openDescriptors) { smallest = min(smallest ?? count, count) }
            sleepThread(seconds: 0.01)
        }
        return smallest
    }

    /// A worker that is not serving a request right now, so that suites running in parallel
    /// are not hit by the kill; any worker when none looks idle within half a second.
    private static func idleWorker(of parent: Int32, idleDescriptors: Int?) -> Int32? {
        for _ in 0..<100 {
            let workers = ProcessTable.children(of: parent)
            if let idle = workers.first(where: { ProcessTable.openDescriptors(of: $0) == idleDescriptors }) { return idle }
            sleepThread(seconds: 0.005)
        }
        return ProcessTable.children(of: parent).first
    }
}
