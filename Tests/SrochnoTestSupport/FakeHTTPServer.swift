import Glibc

/// A request as the fake server read it off the socket.
public struct SeenRequest: Sendable {
    public var method: String
    public var target: String
    /// Names in lower case, in arrival order.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public func header(_ name: String) -> String? {
        headers.last(where: { $0.name == name.lowercased() })?.value
    }
}

/// What the fake does with one request.
public enum FakeReply: Sendable {
    /// Answers with `Content-Length` and keeps the connection open for the next request.
    case respond(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [])
    /// Answers with a chunked body, so the client cannot know its size up front.
    case respondChunked(status: Int, body: [UInt8])
    /// Reads the request and never answers; waits until the client hangs up.
    case silent
}

/// A loopback HTTP/1.1 server on 127.0.0.1 and an ephemeral port, run on one real thread for
/// one test. Every loop is bounded: it serves at most `maxRequests`, polls in 50 ms slices,
/// and gives up `lifetimeMilliseconds` after it started, so a test can never hang on it.
/// `greeting` is written as soon as a connection is accepted, before any request.
public final class FakeHTTPServer: @unchecked Sendable {
    public let port: UInt16
    private let listener: Int32
    private let maxRequests: Int
    private let lifetimeMilliseconds: Int
    private let reply: @Sendable (SeenRequest) -> FakeReply
    private let greeting: [UInt8]
    private var thread = pthread_t()
    private let lock = Lock()
    private var requests: [SeenRequest] = []
    private var connections = 0
    private var stopping = false

    public init(
        maxRequests: Int = 4,
        lifetimeMilliseconds: Int = 10_000,
        greeting: [UInt8] = [],
        reply: @escaping @Sendable (SeenRequest) -> FakeReply
    ) {
        let (listener, port) = Self.listen()
        self.listener = listener
        self.port = port
        self.maxRequests = maxRequests
        self.lifetimeMilliseconds = lifetimeMilliseconds
        self.reply = reply
        self.greeting = greeting
        let created = pthread_create(
            &thread, nil,
            { raw in
                let server = Unmanaged<FakeHTTPServer>.fromOpaque(raw!).takeRetainedValue()
                server.serve()
                return nil
            }, Unmanaged.passRetained(self).toOpaque())
        precondition(created == 0, "pthread_create failed")
    }

    public var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Stops the server, waits for its thread and returns what it saw.
    public func finish() -> (requests: [SeenRequest], connections: Int) {
        lock.locked { stopping = true }
        pthread_join(thread, nil)
        return lock.locked { (requests, connections) }
    }

    private var shouldStop: Bool { lock.locked { stopping } }

    private func serve() {
        let deadline = Self.nowMilliseconds() + lifetimeMilliseconds
        var served = 0
        while served < maxRequests, !shouldStop, Self.nowMilliseconds() < deadline {
            guard Self.waitReadable(listener, milliseconds: 50) else { continue }
            let connection = accept(listener, nil, nil)
            guard connection >= 0 else { continue }
            _ = fcntl(connection, F_SETFD, FD_CLOEXEC)
            lock.locked { connections += 1 }
            if !greeting.isEmpty { Self.write(connection, greeting) }
            var reader = RequestReader(socket: connection)
            while served < maxRequests, !shouldStop, Self.nowMilliseconds() < deadline {
                guard let request = reader.next(until: deadline, stop: { self.shouldStop }) else { break }
                served += 1
                lock.locked { requests.append(request) }
                switch reply(request) {
                case .respond(let status, let headers, let body):
                    var head = "HTTP/1.1 \(status) Fake\r\nContent-Length: \(body.count)\r\n"
                    for header in headers { head += "\(header.name): \(header.value)\r\n" }
                    Self.write(connection, Array((head + "\r\n").utf8) + body)
                case .respondChunked(let status, let body):
                    let head = "HTTP/1.1 \(status) Fake\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                    var bytes = Array(head.utf8)
                    var start = 0
                    while start < body.count {
                        let chunk = body[start..<min(start + 1024, body.count)]
                        bytes += Array((String(chunk.count, radix: 16) + "\r\n").utf8) + chunk + Array("\r\n".utf8)
                        start += chunk.count
                    }
                    Self.write(connection, bytes + Array("0\r\n\r\n".utf8))
                case .silent:
                    // Hold the connection until the client gives up and closes it.
                    while !shouldStop, Self.nowMilliseconds() < deadline {
                        if Self.waitReadable(connection, milliseconds: 50) {
                            var scratch = [UInt8](repeating: 0, count: 512)
                            if recv(connection, &scratch, scratch.count, 0) <= 0 { break }
                        }
                    }
                }
            }
            close(connection)
        }
        close(listener)
    }

    /// Close-on-exec (and each accepted connection too): see `LoopbackHTTPServer.listen(on:)`.
    private static func listen() -> (Int32, UInt16) {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        precondition(socket >= 0, "socket failed")
        var address = loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        precondition(bound == 0, "bind failed")
        precondition(Glibc.listen(socket, 8) == 0, "listen failed")
        return (socket, boundPort(socket))
    }

    static func loopbackAddress(port: UInt16) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        return address
    }

    static func boundPort(_ socket: Int32) -> UInt16 {
        var address = sockaddr_in()
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) }
        }
        return UInt16(bigEndian: address.sin_port)
    }

    static func waitReadable(_ socket: Int32, milliseconds: Int32) -> Bool {
        var descriptor = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        return poll(&descriptor, 1, milliseconds) > 0
    }

    /// MSG_NOSIGNAL: a client that aborted (size cap) must not kill the test process with SIGPIPE.
    static func write(_ socket: Int32, _ bytes: [UInt8]) {
        var offset = 0
        while offset < bytes.count {
            let sent = bytes[offset...].withUnsafeBytes { send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { return }
            offset += sent
        }
    }

    static func nowMilliseconds() -> Int {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return now.tv_sec * 1000 + now.tv_nsec / 1_000_000
    }
}

/// Reads HTTP/1.1 requests with `Content-Length` bodies off one connection (shared with
/// `LoopbackHTTPServer`).
struct RequestReader {
    let socket: Int32
    private var buffer: [UInt8] = []

    init(socket: Int32) { self.socket = socket }

    mutating func next(until deadline: Int, stop: () -> Bool) -> SeenRequest? {
        let separator = Array("\r\n\r\n".utf8)
        var headEnd: Int?
        while headEnd == nil {
            headEnd = buffer.indices.first { buffer[$0...].starts(with: separator) }
            if headEnd == nil, !fill(until: deadline, stop: stop) { return nil }
        }
        let head = String(decoding: buffer[..<headEnd!], as: UTF8.self)
        let lines = head.split(separator: "\r\n", omittingEmptySubsequences: false)
        let requestLine = lines[0].split(separator: " ")
        guard requestLine.count == 3 else { return nil }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].drop(while: { $0 == " " })
            headers.append((name: line[..<colon].lowercased(), value: String(value)))
        }
        let length = headers.last(where: { $0.name == "content-length" }).flatMap { Int($0.value) } ?? 0
        let bodyStart = headEnd! + separator.count
        while buffer.count < bodyStart + length {
            if !fill(until: deadline, stop: stop) { return nil }
        }
        let body = Array(buffer[bodyStart..<(bodyStart + length)])
        buffer.removeFirst(bodyStart + length)
        return SeenRequest(method: String(requestLine[0]), target: String(requestLine[1]), headers: headers, body: body)
    }

    /// False when the client closed, or on stop or deadline.
    private mutating func fill(until deadline: Int, stop: () -> Bool) -> Bool {
        while !stop(), FakeHTTPServer.nowMilliseconds() < deadline {
            guard FakeHTTPServer.waitReadable(socket, milliseconds: 50) else { continue }
            var chunk = [UInt8](repeating: 0, count: 4096)
            let count = recv(socket, &chunk, chunk.count, 0)
            guard count > 0 else { return false }
            buffer += chunk[..<count]
            return true
        }
        return false
    }
}

/// A port bound on 127.0.0.1 that never listens: connecting to it is refused at once, and
/// holding it keeps any other process from taking the port during the test.
public final class RefusingPort {
    public let port: UInt16
    private let socket: Int32

    public init() {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        precondition(socket >= 0, "socket failed")
        var address = FakeHTTPServer.loopbackAddress(port: 0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        precondition(bound == 0, "bind failed")
        self.socket = socket
        port = FakeHTTPServer.boundPort(socket)
    }

    deinit { close(socket) }
}

/// A pthread mutex around state that threads share: the fakes', and test fixtures'.
public final class Lock: @unchecked Sendable {
    private var mutex = pthread_mutex_t()

    public init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }

    public func locked<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return try body()
    }
}
