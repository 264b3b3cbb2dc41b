import Glibc

/// Why a loopback server could not start (most often: its port is taken).
public struct LoopbackServerError: Error, CustomStringConvertible {
    public let description: String
}

/// A loopback HTTP/1.1 server on 127.0.0.1 at a port the caller names (0: any free port), for
/// fakes that another process must find at a configured address — the stack's workers and the
/// reconciliation job call the provider URLs in the test config, so the fake has to sit on
/// exactly that port.
///
/// Unlike `FakeHTTPServer`, each accepted connection is served on its own thread, keep-alive,
/// request after request: clients that each hold a connection open (every worker's libcurl
/// handle, the reconciliation job) are answered side by side instead of queueing behind one
/// another. `SO_REUSEADDR` lets the next test bind the same port at once, while the previous
/// server's connections still linger in TIME_WAIT.
///
/// Bounded: every loop polls in 50 ms slices and ends at `stop()` or when the lifetime runs out,
/// so a server a test forgot can never hold up the run. Bodies are read by `Content-Length`
/// only (no chunked requests: neither libcurl nor the project's clients send them).
public final class LoopbackHTTPServer: @unchecked Sendable {
    public let port: UInt16
    private let listener: Int32
    private let deadline: Int
    private let reply: @Sendable (SeenRequest) -> FakeReply
    private let lock = Lock()
    private var stopping = false
    private var acceptThread = pthread_t()
    private var connectionThreads: [pthread_t] = []
    private var seen: [SeenRequest] = []
    private var accepted = 0

    /// Binds and starts listening before it returns, so a client may connect right away.
    /// `reply` runs on the connection threads, concurrently: it must be thread-safe.
    public init(
        port: UInt16 = 0,
        lifetimeMilliseconds: Int = 60_000,
        reply: @escaping @Sendable (SeenRequest) -> FakeReply
    ) throws(LoopbackServerError) {
        listener = try Self.listen(on: port)
        self.port = FakeHTTPServer.boundPort(listener)
        deadline = FakeHTTPServer.nowMilliseconds() + lifetimeMilliseconds
        self.reply = reply
        acceptThread = startRealThread { self.acceptConnections() }
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Every request read so far, on any connection, in the order they were read.
    public var requests: [SeenRequest] { lock.locked { seen } }

    /// Connections accepted so far.
    public var connectionCount: Int { lock.locked { accepted } }

    /// Stops listening, closes every connection (a client holding one sees it closed) and waits
    /// for all threads. When it returns the port is free. Call it from one thread; repeating it
    /// does nothing.
    public func stop() {
        let first = lock.locked {
            defer { stopping = true }
            return !stopping
        }
        guard first else { return }
        pthread_join(acceptThread, nil)
        // The accept thread has ended, so no thread is added any more.
        for thread in lock.locked({ connectionThreads }) { pthread_join(thread, nil) }
    }

    private var shouldStop: Bool { lock.locked { stopping } || FakeHTTPServer.nowMilliseconds() >= deadline }

    private func acceptConnections() {
        while !shouldStop {
            guard FakeHTTPServer.waitReadable(listener, milliseconds: 50) else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            let thread = startRealThread { self.serve(connection) }
            lock.locked {
                accepted += 1
                connectionThreads.append(thread)
            }
        }
        close(listener)
    }

    private func serve(_ connection: Int32) {
        defer { close(connection) }
        var reader = RequestReader(socket: connection)
        while let request = reader.next(until: deadline, stop: { self.shouldStop }) {
            lock.locked { seen.append(request) }
            guard let response = reply(request).wireBytes else {
                holdUntilClientLeaves(connection)
                return
            }
            FakeHTTPServer.write(connection, response)
            if request.header("connection")?.lowercased() == "close" { return }
        }
    }

    /// `.silent`: keeps the connection open, reading and dropping whatever arrives, until the
    /// client gives up and closes it (or the server stops).
    private func holdUntilClientLeaves(_ connection: Int32) {
        var scratch = [UInt8](repeating: 0, count: 512)
        while !shouldStop {
            guard FakeHTTPServer.waitReadable(connection, milliseconds: 50) else { continue }
            if recv(connection, &scratch, scratch.count, 0) <= 0 { return }
        }
    }

    /// Close-on-exec, like every connection it accepts: a child the test starts meanwhile (a
    /// srochno-notify running for seconds) must not inherit the listener, or the port stays
    /// bound after `stop()` and the next test cannot listen on it.
    private static func listen(on port: UInt16) throws(LoopbackServerError) -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard socket >= 0 else { throw LoopbackServerError(description: "socket failed: \(String(cString: strerror(errno)))") }
        var one: Int32 = 1
        setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = FakeHTTPServer.loopbackAddress(port: port)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, Glibc.listen(socket, 16) == 0 else {
            let reason = String(cString: strerror(errno))
            close(socket)
            throw LoopbackServerError(description: "cannot listen on 127.0.0.1:\(port): \(reason)")
        }
        return socket
    }
}

extension FakeReply {
    /// The whole response as written on the wire; nil for `.silent`, which writes nothing.
    var wireBytes: [UInt8]? {
        switch self {
        case .respond(let status, let headers, let body):
            var head = "HTTP/1.1 \(status) Fake\r\nContent-Length: \(body.count)\r\n"
            for header in headers { head += "\(header.name): \(header.value)\r\n" }
            return Array((head + "\r\n").utf8) + body
        case .respondChunked(let status, let body):
            var bytes = Array("HTTP/1.1 \(status) Fake\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n".utf8)
            var start = 0
            while start < body.count {
                let chunk = body[start..<min(start + 1024, body.count)]
                bytes += Array((String(chunk.count, radix: 16) + "\r\n").utf8) + chunk + Array("\r\n".utf8)
                start += chunk.count
            }
            return bytes + Array("0\r\n\r\n".utf8)
        case .silent:
            return nil
        }
    }
}
