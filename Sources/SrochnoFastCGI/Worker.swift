import Glibc
import SrochnoSystem

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

    /// Most connections one worker still serves from the listen queue after a stop signal.
    /// Once the supervisor has removed the socket file no new ones arrive; with an inherited
    /// socket the queue may never run dry under load, hence the cap.
    static let drainLimit = 256

    /// Makes the handler, serves until told to stop, then releases the handler (closing what it
    /// owns, e.g. its database connection) before returning. `parentPipe` is the read end of
    /// the supervisor's pipe (nil in-process): end of file on it means the supervisor is gone.
    static func run(
        listenFD: Int32,
        parentPipe: Int32?,
        maxBodyBytes: Int,
        signals: WorkerSignals,
        makeHandler: () -> any RequestHandler
    ) -> WorkerExit {
        let handler = makeHandler()
        let connection = FastCGIConnection(listenFD: listenFD)
        while true {
            switch signals.waitUntilReadable(connection.keptConnectionFD ?? listenFD, parentPipe: parentPipe) {
            case .readable:
                break
            case .parentGone:
                StandardError.write(line: "srochno-fcgi[\(getpid())]: supervisor gone; worker stopping")
                return .stopped
            case .stopRequested:
                // Connections already queued on the socket were accepted by the kernel: answer
                // them rather than let them be reset when the last worker closes the socket.
                // (Not with a kept-alive connection: libfcgi would block reading it.)
                for _ in 0..<drainLimit where connection.keptConnectionFD == nil {
                    guard accept(connection) == .accepted else { break }
                    serveOne(connection, handler: handler, maxBodyBytes: maxBodyBytes)
                }
                return .stopped
            case .failed(let code):
                if code == EBADF { return .cannotAccept(errno: code) }
                pauseAfterError("waiting for a connection failed", errno: code)
                continue
            }

            switch accept(connection) {
            case .accepted:
                serveOne(connection, handler: handler, maxBodyBytes: maxBodyBytes)
            case .nothing:
                continue
            case .unusable(let code):
                return .cannotAccept(errno: code)
            }
        }
    }

    private enum Accepted: Equatable {
        case accepted
        /// Nothing to take: another worker was faster, the peer gave up, or a transient error.
        case nothing
        case unusable(errno: Int32)
    }

    private static func accept(_ connection: FastCGIConnection) -> Accepted {
        let result = connection.accept()
        guard result < 0 else { return .accepted }
        let code = -result
        switch code {
        case EAGAIN, EWOULDBLOCK, EINTR, ECONNABORTED:
            return .nothing
        case EBADF, ENOTSOCK, EINVAL, EOPNOTSUPP, EFAULT:
            return .unusable(errno: code)
        default:
            pauseAfterError("accept failed", errno: code)  // EMFILE, ENOBUFS, ...
            return .nothing
        }
    }

    /// Reads the accepted request, answers it, finishes it and writes its log line.
    private static func serveOne(_ connection: FastCGIConnection, handler: any RequestHandler, maxBodyBytes: Int) {
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

    /// Logs a transient failure and sleeps 100 ms, so that e.g. running out of descriptors
    /// does not become a busy loop.
    private static func pauseAfterError(_ what: String, errno code: Int32) {
        StandardError.write(line: "srochno-fcgi[\(getpid())]: \(what): \(StandardError.describe(errno: code))")
        usleep(100_000)
    }
}
