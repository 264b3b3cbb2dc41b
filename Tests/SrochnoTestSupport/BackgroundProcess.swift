import Glibc

/// A child process that runs while the test goes on (a service such as srochno-notify), with
/// stdin from /dev/null and stdout and stderr in temporary files the test can read at any time.
/// The test signals it and waits for it; one still running when the value goes away is killed
/// (SIGKILL) and reaped, so a failed test never leaves it behind. It inherits every descriptor
/// of the test process not marked close-on-exec: the loopback fakes mark theirs, or a fake's
/// port would stay bound for as long as the child runs.
public final class BackgroundProcess {
    public let pid: Int32
    private let stdoutPath: String
    private let stderrPath: String
    private var exitStatus: Int32?

    /// Starts `path` with exactly `environment` (`NAME=value` entries).
    public init(_ path: String, _ arguments: [String] = [], environment: [String]) throws {
        stdoutPath = try temporaryFile()
        stderrPath = try temporaryFile()
        do {
            pid = try spawn(path, arguments, environment: environment, stdoutPath: stdoutPath, stderrPath: stderrPath)
        } catch {
            unlink(stdoutPath)
            unlink(stderrPath)
            throw error
        }
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            _ = waitpid(pid, &status, 0)
        }
        unlink(stdoutPath)
        unlink(stderrPath)
    }

    /// What it wrote so far.
    public var standardOutput: String { readWholeFile(stdoutPath) }
    public var standardError: String { readWholeFile(stderrPath) }

    public var isRunning: Bool { reap(blocking: false) == nil }

    public func signal(_ signal: Int32) { if exitStatus == nil { kill(pid, signal) } }

    /// Waits up to `timeoutSeconds` for it to exit; its exit code, nil when a signal ended it.
    /// Throws when it is still running then (it keeps running).
    @discardableResult
    public func waitForExit(timeoutSeconds: Double) throws -> Int32? {
        let deadline = Self.now() + Int64(timeoutSeconds * 1e9)
        while Self.now() < deadline {
            if let status = reap(blocking: false) { return status & 0x7f != 0 ? nil : (status >> 8) & 0xff }
            usleep(10_000)
        }
        throw SubprocessError(description: "process \(pid) did not exit within \(timeoutSeconds) s")
    }

    private func reap(blocking: Bool) -> Int32? {
        if let exitStatus { return exitStatus }
        var status: Int32 = 0
        if waitpid(pid, &status, blocking ? 0 : WNOHANG) == pid { exitStatus = status }
        return exitStatus
    }

    private static func now() -> Int64 {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Int64(now.tv_sec) * 1_000_000_000 + Int64(now.tv_nsec)
    }
}
