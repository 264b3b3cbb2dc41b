import Glibc

/// How a child process ended and what it wrote.
public struct ProcessOutcome: Sendable {
    /// The exit code, or nil when a signal ended the process.
    public let exitCode: Int32?
    public let standardOutput: String
    public let standardError: String
}

public struct SubprocessError: Error, CustomStringConvertible {
    public let description: String
}

/// Runs `path` with exactly `environment` (`NAME=value` entries), stdin from /dev/null and
/// stdout/stderr captured through temporary files; kills it after `timeoutSeconds`.
public func runProcess(_ path: String, _ arguments: [String] = [], environment: [String], timeoutSeconds: Int = 60) throws -> ProcessOutcome
{
    let stdoutPath = try temporaryFile()
    let stderrPath = try temporaryFile()
    defer {
        unlink(stdoutPath)
        unlink(stderrPath)
    }

    let pid = try spawn(path, arguments, environment: environment, stdoutPath: stdoutPath, stderrPath: stderrPath)

    let status = try waitForExit(pid, timeoutSeconds: timeoutSeconds, path: path)
    let signalled = status & 0x7f != 0
    return ProcessOutcome(
        exitCode: signalled ? nil : (status >> 8) & 0xff,
        standardOutput: readWholeFile(stdoutPath),
        standardError: readWholeFile(stderrPath)
    )
}

/// Polls until the child exits; a child still running after the timeout is killed.
private func waitForExit(_ pid: pid_t, timeoutSeconds: Int, path: String) throws -> Int32 {
    var status: Int32 = 0
    for _ in 0..<(timeoutSeconds * 100) {
        let waited = waitpid(pid, &status, WNOHANG)
        if waited == pid { return status }
        if waited < 0, errno != EINTR { throw SubprocessError(description: "waitpid failed for \(path)") }
        usleep(10_000)
    }
    kill(pid, SIGKILL)
    _ = waitpid(pid, &status, 0)
    throw SubprocessError(description: "\(path) did not exit within \(timeoutSeconds) s")
}

func temporaryFile() throws -> String {
    var template = Array("/tmp/srochno-test-XXXXXX".utf8CString)
    let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard descriptor >= 0 else { throw SubprocessError(description: "mkstemp failed") }
    close(descriptor)
    return template.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
}

func readWholeFile(_ path: String) -> String {
    guard let file = fopen(path, "rb") else { return "" }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count <= 0 { break }
        bytes += chunk[0..<count]
    }
    return String(decoding: bytes, as: UTF8.self)
}

/// Starts `path` with exactly `environment` (`NAME=value` entries), stdin from /dev/null and
/// stdout/stderr written to the two files; its pid.
func spawn(_ path: String, _ arguments: [String], environment: [String], stdoutPath: String, stderrPath: String) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_TRUNC, 0)
    posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_TRUNC, 0)

    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer {
        argv.forEach { free($0) }
        envp.forEach { free($0) }
    }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, path, &actions, nil, argv, envp)
    guard spawned == 0 else { throw SubprocessError(description: "cannot start \(path): \(String(cString: strerror(spawned)))") }
    return pid
}
