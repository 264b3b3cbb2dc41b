import Glibc
import SrochnoCore

struct HTTPResult: Sendable {
    let status: Int
    /// Header names in lower case; a repeated header keeps its last value.
    let headers: [String: String]
    let body: [UInt8]

    var text: String { String(decoding: body, as: UTF8.self) }

    func json() throws -> JSONValue { try JSONParser.parse(body) }

    /// The `detail` of an error body, when it is a string.
    var detail: String? { (try? json())?["detail"]?.stringValue }
}

struct HTTPClientError: Error, CustomStringConvertible {
    let description: String
}

/// A deliberately small HTTP/1.1 client over a blocking socket, one connection per request,
/// so tests control every byte (malformed bodies, source addresses) and can run requests on
/// real threads in parallel.
struct HTTPClient: Sendable {
    let host: String
    let port: UInt16
    /// Bind to this loopback address before connecting (nginx limits rates per client address).
    var sourceAddress: String?
    var timeoutSeconds = 20

    func get(_ path: String, as user: TestUser? = nil, headers: [(String, String)] = []) throws -> HTTPResult {
        try send("GET", path, headers: headers + (user.map { [$0.authorization] } ?? []))
    }

    func post(_ path: String, json: String? = nil, as user: TestUser? = nil, headers: [(String, String)] = []) throws -> HTTPResult {
        try send("POST", path, headers: headers + (user.map { [$0.authorization] } ?? []), body: json.map { Array($0.utf8) })
    }

    func put(_ path: String, json: String, as user: TestUser? = nil) throws -> HTTPResult {
        try send("PUT", path, headers: user.map { [$0.authorization] } ?? [], body: Array(json.utf8))
    }

    func delete(_ path: String, as user: TestUser? = nil) throws -> HTTPResult {
        try send("DELETE", path, headers: user.map { [$0.authorization] } ?? [])
    }

    func send(_ method: String, _ path: String, headers: [(String, String)] = [], body: [UInt8]? = nil) throws -> HTTPResult {
        var request = "\(method) \(path) HTTP/1.1\r\nHost: \(host):\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        if let body {
            if !headers.contains(where: { $0.0.lowercased() == "content-type" }) { request += "Content-Type: application/json\r\n" }
            request += "Content-Length: \(body.count)\r\n"
        }
        request += "\r\n"
        return try exchange(Array(request.utf8) + (body ?? []))
    }

    /// Sends raw bytes and reads the response until the server closes the connection.
    func exchange(_ bytes: [UInt8]) throws -> HTTPResult {
        let fd = try connectSocket()
        defer { close(fd) }
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { break }  // the server may answer (e.g. 413) and close before reading all
            sent += n
        }
        var response: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 && errno == EINTR { continue }
            if n < 0 { throw HTTPClientError(description: "read failed: errno \(errno) (timeout after \(timeoutSeconds)s?)") }
            if n == 0 { break }
            response.append(contentsOf: buffer[0..<n])
        }
        return try Self.parse(response)
    }

    /// A connected socket with receive/send timeouts; exposed for slow-client tests.
    func connectSocket() throws -> Int32 {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HTTPClientError(description: "socket failed: errno \(errno)") }
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        if let sourceAddress {
            var local = try Self.address(sourceAddress, port: 0)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else { close(fd); throw HTTPClientError(description: "bind \(sourceAddress) failed: errno \(errno)") }
        }
        var remote = try Self.address(host, port: port)
        let connected = withUnsafePointer(to: &remote) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw HTTPClientError(description: "connect \(host):\(port) failed: errno \(errno)") }
        return fd
    }

    private static func address(_ text: String, port: UInt16) throws -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        guard inet_pton(AF_INET, text, &address.sin_addr) == 1 else { throw HTTPClientError(description: "bad address \(text)") }
        return address
    }

    static func parse(_ response: [UInt8]) throws -> HTTPResult {
        let separator: [UInt8] = [13, 10, 13, 10]
        guard let headerEnd = response.firstRange(of: separator) else {
            throw HTTPClientError(description: "no complete response (\(response.count) bytes)")
        }
        let head = String(decoding: response[..<headerEnd.lowerBound], as: UTF8.self)
        var lines = head.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw HTTPClientError(description: "bad status line in \(head)")
        }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...]).trimmingASCIIWhitespace()
        }
        var body = Array(response[headerEnd.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" { body = try dechunk(body) }
        return HTTPResult(status: status, headers: headers, body: body)
    }

    private static func dechunk(_ data: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < data.count {
            guard let lineEnd = data[index...].firstRange(of: [13, 10]) else { break }
            let sizeText = String(decoding: data[index..<lineEnd.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(String(sizeText).trimmingASCIIWhitespace(), radix: 16) else {
                throw HTTPClientError(description: "bad chunk")
            }
            if size == 0 { break }
            let start = lineEnd.upperBound
            output.append(contentsOf: data[start..<min(start + size, data.count)])
            index = start + size + 2
        }
        return output
    }
}
