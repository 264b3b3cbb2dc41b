/// Collects one transfer's response head and body from libcurl's callbacks and enforces the
/// size cap while the body arrives: `CURLOPT_MAXFILESIZE_LARGE` only refuses an announced
/// `Content-Length` up front, while a chunked body has no length to refuse.
final class TransferSink {
    let limit: Int
    private(set) var body: [UInt8] = []
    private(set) var headers: [(name: String, value: String)] = []
    /// Set when the body crossed `limit`, so the write error libcurl reports reads as "too large".
    private(set) var exceededLimit = false

    init(limit: Int) { self.limit = limit }

    /// Returns false to make libcurl abort the transfer.
    func appendBody(_ chunk: UnsafeRawBufferPointer) -> Bool {
        guard body.count + chunk.count <= limit else {
            exceededLimit = true
            return false
        }
        body.append(contentsOf: chunk)
        return true
    }

    /// One header line as libcurl delivers it, CRLF included. A status line starts a new
    /// response (after a `100 Continue`), so the fields collected so far are dropped.
    func appendHeaderLine(_ line: UnsafeRawBufferPointer) {
        let bytes = Array(line)
        if bytes.starts(with: "HTTP/".utf8) {
            headers = []
            return
        }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = String(decoding: bytes[..<colon], as: UTF8.self)
        var start = colon + 1
        var end = bytes.count
        while start < end, Self.isSpace(bytes[start]) { start += 1 }
        while end > start, Self.isSpace(bytes[end - 1]) { end -= 1 }
        headers.append((name: name, value: String(decoding: bytes[start..<end], as: UTF8.self)))
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}
