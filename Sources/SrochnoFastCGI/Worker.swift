import Glibc

/// How a worker's serving loop ended.
enum WorkerExit {
    /// A stop signal arrived while idle (or was pending after a request).
    case stopped
    /// The listening socket is unusable (not a socket, closed, not listening).
    case cannotAccept(errno: Int32)
}

/// One process's serving loop: wait for a connection, accept, answer, log, repeat.
enum Worker {
    /// Exit status of a worker process that found the listening socket unusable (sysexits'
    /// EX_CONFIG). The supervisor stops the pool on it instead of restarting workers forever;
    /// handlers should not exit with it themselves.
    static let cannotAcceptStatus: Int32 = 78

    /// Makes the handler, serves until told to stop, then releases the handler (closing what it
    /// owns, e.g. its database connection) before returning.
    static func run(
        listenFD: Int32,
        maxBodyBytes: Int,
        signals: WorkerSignals,
        makeHandler: () -> any RequestHandler
    ) -> WorkerExit {
        let handler = makeHandler()
        return serve(listenFD: listenFD, maxBodyBytes: maxBodyBytes, signals: signals, handler: handler)
    }

    private static func serve(
        listenFD: Int32,
        maxBodyBytes: Int,
        signals: WorkerSignals,
        handler: any RequestHandler
    ) -> WorkerExit {
        let connection = FastCGIConnection(listenFD: listenFD)
        while true {
            switch signals.waitUntilReadable(connection.keptConnectionFD ?? listenFD) {
            case .readable:
                break
            case .stopRequested:
                return .stopped
            case .failed(let code):
                if code == EBADF { return .cannotAccept(errno: code) }
                pauseAfterError("waiting for a connection failed", errno: code)
                continue
            }

            let accepted = connection.accept()
            if accepted < 0 {
                let code = -accepted
                switch code {
                case EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED:
                    continue  // another worker took it, or the peer gave up
                case EBADF, ENOTSOCK, EINVAL, EOPNOTSUPP, EFAULT:
                    return .cannotAccept(errno: code)
                default:
                    pauseAfterError("accept failed", errno: code)  // EMFILE, ENOBUFS, ...
                    continue
                }
            }

            let started = MonotonicClock.nanoseconds()
            let incoming = FastCGIRequestReader.read(from: connection, maxBodyBytes: maxBodyBytes)
            let response = incoming.earlyResponse ?? handler.handle(incoming.request)
            let written = ResponseWriter.write(response, to: connection)
            connection.finish()
            RequestLog.write(
                method: incoming.request.method,
                path: incoming.request.path,
                status: written.status,
                nanoseconds: MonotonicClock.nanoseconds() - started,
                user: written.user
            )
        }
    }

    /// Logs a transient failure and sleeps 100 ms, so that e.g. running out of descriptors
    /// does not become a busy loop.
    private static func pauseAfterError(_ what: String, errno code: Int32) {
        StandardError.write(line: "srochno-fcgi[\(getpid())]: \(what): \(StandardError.describe(errno: code))")
        usleep(100_000)
    }
}
