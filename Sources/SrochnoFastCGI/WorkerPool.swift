import CFastCGI
import Glibc
import SrochnoSystem

/// Where the FastCGI listening socket comes from.
public enum ListenSource: Sendable {
    /// A listening socket handed over by the starter: fd 3 under systemd socket activation
    /// (`LISTEN_FDS=1` with `LISTEN_PID` = this process), otherwise fd 0 (systemd
    /// `StandardInput=socket`, spawn-fcgi).
    case inherited
    /// A unix socket this process creates (after removing a stale one) and removes at exit.
    case unixSocket(path: String, backlog: Int32)
}

public struct WorkerPoolOptions: Sendable {
    public var listen: ListenSource
    /// Worker processes to pre-fork; 0 serves in this process without forking (debugging).
    public var workers: Int
    /// Bodies with a larger `CONTENT_LENGTH` are answered 413 without being read.
    public var maxBodyBytes: Int
    /// Permissions of a socket created for `.unixSocket`. The default 0660 assumes nginx
    /// shares the service's group (e.g. `Group=www-data`, or a setgid runtime directory);
    /// pass 0o666 where there is no shared group, such as a dev nginx whose workers run as
    /// `nobody` — then let the socket's directory limit who can reach it.
    public var socketMode: UInt32

    public init(listen: ListenSource, workers: Int, maxBodyBytes: Int = 65_536, socketMode: UInt32 = 0o660) {
        self.listen = listen
        self.workers = workers
        self.maxBodyBytes = maxBodyBytes
        self.socketMode = socketMode
    }
}

/// Serves FastCGI requests until SIGTERM, SIGINT or SIGQUIT and returns the exit code for the
/// process: 0 after a requested shutdown, 2 when there is no usable listening socket, 1 when
/// libfcgi cannot start.
///
/// With `workers > 0` this process becomes a supervisor that pre-forks that many workers. Each
/// worker calls `makeHandler()` once, right after the fork, and serves one request at a time.
/// The supervisor replaces workers that die (with a growing delay while they die within a
/// second of starting), forwards shutdown signals, waits for the workers and removes the socket
/// file it created. Call it before starting any threads or tasks: `fork()` copies only the
/// calling thread.
///
/// It returns with SIGTERM, SIGINT and SIGQUIT (and, with workers, SIGCHLD) still blocked, so
/// that a late second signal cannot kill the process before the caller has cleaned up (a pid
/// file) and exited with the returned code.
public func runWorkerPool(_ options: WorkerPoolOptions, makeHandler: () -> any RequestHandler) -> Int32 {
    let initStatus = FCGX_Init()
    guard initStatus == 0 else {
        StandardError.write(line: "srochno-fcgi: FCGX_Init failed (\(initStatus))")
        return 1
    }
    guard options.workers >= 0 else {
        StandardError.write(line: "srochno-fcgi: worker count must be 0 or more, got \(options.workers)")
        return 2
    }
    // Shutdown signals stay blocked from here on, in the supervisor and in every worker; each
    // process takes them only where it is safe to stop (see WorkerSignals and Supervisor).
    let signals = WorkerSignals.blockShutdownSignals()

    let socket: ListenSocket
    switch ListenSocket.open(options.listen, mode: options.socketMode) {
    case .success(let opened):
        socket = opened
    case .failure(let failure):
        StandardError.write(line: "srochno-fcgi: \(failure.message)")
        return 2
    }
    defer { socket.removeCreatedFile() }

    if options.workers == 0 {
        StandardError.write(line: "srochno-fcgi: serving in-process on \(socket.description)")
        signals.prepareWorker()
        let exit = Worker.run(
            listenFD: socket.fd, parentPipe: nil, maxBodyBytes: options.maxBodyBytes, signals: signals, makeHandler: makeHandler)
        if case .cannotAccept(let code) = exit {
            StandardError.write(line: "srochno-fcgi: \(ListenSocket.noSocketMessage(fd: socket.fd, errno: code))")
            return 2
        }
        return 0
    }

    StandardError.write(line: "srochno-fcgi: \(options.workers) workers on \(socket.description)")
    let supervisor = Supervisor(workers: options.workers, socket: socket, maxBodyBytes: options.maxBodyBytes, signals: signals)
    return supervisor.run(makeHandler: makeHandler)
}
