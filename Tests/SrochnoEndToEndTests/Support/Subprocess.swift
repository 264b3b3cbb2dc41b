import Glibc

/// Runs a program to completion and returns its exit status. posix_spawn + waitpid, because
/// Foundation's `Process.waitUntilExit` can wait forever off the main thread on Linux.
func runProgram(_ path: String, _ arguments: [String]) throws -> Int32 {
    let argv = ([path] + arguments).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var pid: pid_t = 0
    let spawned = posix_spawn(&pid, path, nil, nil, argv, environ)
    guard spawned == 0 else { throw HTTPClientError(description: "cannot start \(path): error \(spawned)") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 {
        guard errno == EINTR else { throw HTTPClientError(description: "waitpid failed: errno \(errno)") }
    }
    return (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
}
