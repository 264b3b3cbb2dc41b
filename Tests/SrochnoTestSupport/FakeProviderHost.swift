import SrochnoCore

/// How a fake payment provider behaves; a test may switch it while the fake runs.
public enum FakeProviderMode: Sendable, Equatable {
    /// Speaks the API.
    case normal
    /// Down, not listening: every connect is refused, and connections clients were keeping
    /// alive are closed.
    case refusing
    /// Down behind a proxy: every call gets HTTP 502 with an HTML page.
    case badGateway
    /// Accepts and reads every request and never answers.
    case stalled
}

/// The listening half of a fake provider: one port kept across mode changes (the server is torn
/// down for `.refusing` and started again on the same port after), and every request seen in
/// any mode, so a test can check that a stalled fake was called.
public final class FakeProviderHost: @unchecked Sendable {
    public let port: UInt16
    private let lifetimeMilliseconds: Int
    private let route: @Sendable (SeenRequest) -> FakeReply
    private let lock = Lock()
    private var server: LoopbackHTTPServer?
    private var currentMode: FakeProviderMode
    private var seen: [SeenRequest] = []

    /// `route` answers in `.normal` mode, on the server's connection threads.
    init(
        port: UInt16, mode: FakeProviderMode, lifetimeMilliseconds: Int, route: @escaping @Sendable (SeenRequest) -> FakeReply
    ) throws(LoopbackServerError) {
        self.lifetimeMilliseconds = lifetimeMilliseconds
        self.route = route
        currentMode = mode
        if port == 0 {
            // Port 0 must become a real port first: every later start comes back on that one.
            let probe = try LoopbackHTTPServer(port: 0, lifetimeMilliseconds: lifetimeMilliseconds) { _ in .silent }
            self.port = probe.port
            probe.stop()
        } else {
            self.port = port
        }
        if mode != .refusing { server = try makeServer() }
    }

    public var mode: FakeProviderMode { lock.locked { currentMode } }

    public var requests: [SeenRequest] { lock.locked { seen } }

    /// Connections accepted since the fake last started listening.
    public var connectionCount: Int { lock.locked { server?.connectionCount ?? 0 } }

    /// Call from the test's thread only. Stopping happens outside the lock: the connection
    /// threads being joined take it to read the mode.
    public func setMode(_ mode: FakeProviderMode) throws(LoopbackServerError) {
        if mode == .refusing {
            let running = lock.locked {
                currentMode = mode
                defer { server = nil }
                return server
            }
            running?.stop()
            return
        }
        if lock.locked({ server == nil }) {
            let started = try makeServer()
            lock.locked { server = started }
        }
        lock.locked { currentMode = mode }
    }

    public func stop() {
        let running = lock.locked {
            defer { server = nil }
            return server
        }
        running?.stop()
    }

    private func makeServer() throws(LoopbackServerError) -> LoopbackHTTPServer {
        try LoopbackHTTPServer(port: port, lifetimeMilliseconds: lifetimeMilliseconds) { [weak self] request in
            self?.answer(request) ?? .respond(status: 503)
        }
    }

    private func answer(_ request: SeenRequest) -> FakeReply {
        let mode = lock.locked {
            seen.append(request)
            return currentMode
        }
        switch mode {
        case .normal: return route(request)
        case .badGateway: return .respond(status: 502, headers: [("Content-Type", "text/html")], body: Array(badGatewayPage.utf8))
        // `.refusing` only for a connection accepted just before the listener closed.
        case .stalled, .refusing: return .silent
        }
    }
}

/// A fake provider around its host: the port, mode and requests every fake shows a test.
public protocol FakeProvider: AnyObject {
    /// Set once in the fake's init (after it, since the host's route calls back into the fake).
    var host: FakeProviderHost! { get }
}

extension FakeProvider {
    public var port: UInt16 { host.port }
    public var baseURL: String { "http://127.0.0.1:\(port)" }
    public var mode: FakeProviderMode { host.mode }
    /// Every request received, in any mode.
    public var requests: [SeenRequest] { host.requests }
    /// Connections accepted since the fake last started listening.
    public var connectionCount: Int { host.connectionCount }

    /// Switches the behaviour; `.refusing` stops listening, any other mode listens again on the
    /// same port. Call it from the test's thread.
    public func setMode(_ mode: FakeProviderMode) throws(LoopbackServerError) { try host.setMode(mode) }

    public func stop() { host.stop() }
}

private let badGatewayPage = """
    <html>
    <head><title>502 Bad Gateway</title></head>
    <body><center><h1>502 Bad Gateway</h1></center></body>
    </html>

    """

/// A JSON answer with `status`, as both providers send every answer (success or refusal).
func jsonReply(status: Int = 200, _ value: JSONValue) -> FakeReply {
    var writer = JSONWriter()
    writer.value(value)
    return .respond(status: status, headers: [("Content-Type", "application/json")], body: writer.bytes)
}

/// The request's JSON body as an object's members; an empty body is an empty object, anything
/// else that is not an object is nil. The project's clients send JSON bodies only, so the fakes
/// read no query strings or forms.
func jsonParameters(_ request: SeenRequest) -> JSONValue? {
    if request.body.isEmpty { return .object([]) }
    guard let value = try? JSONParser.parse(request.body), case .object = value else { return nil }
    return value
}

/// The request target without its query string.
func targetPath(_ request: SeenRequest) -> Substring {
    request.target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)[0]
}
