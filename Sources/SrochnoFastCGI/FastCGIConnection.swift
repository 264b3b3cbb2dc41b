import CFastCGI
import Glibc

/// What reading a request and writing its answer use of a connection: the params, the body
/// (FCGI_STDIN) and the response stream (FCGI_STDOUT). `FastCGIConnection` is the real one;
/// tests give `FastCGIRequestReader` and `ResponseWriter` their own, without libfcgi.
protocol FastCGIStreams: AnyObject {
    /// Calls `body` with each param as raw `NAME=value` bytes.
    func forEachParam(_ body: (UnsafeBufferPointer<UInt8>) -> Void)
    /// Up to `count` body bytes; fewer only when the body ended.
    func readBody(count: Int) -> [UInt8]
    /// Appends to the response stream.
    func write(_ bytes: [UInt8])
}

/// The one `FCGX_Request` a worker reuses for every request (`FCGX_InitRequest` once).
final class FastCGIConnection: FastCGIStreams {
    private let request: UnsafeMutablePointer<FCGX_Request>

    init(listenFD: Int32) {
        request = .allocate(capacity: 1)
        request.initialize(to: FCGX_Request())
        FCGX_InitRequest(request, listenFD, 0)
    }

    deinit {
        FCGX_Free(request, 1)
        request.deinitialize(count: 1)
        request.deallocate()
    }

    /// Accepts the next request: 0 on success, otherwise minus an errno from `accept`
    /// (EAGAIN when another worker took the connection first).
    func accept() -> Int32 {
        FCGX_Accept_r(request)
    }

    /// Completes the current request (flushes output, sends END_REQUEST, closes the
    /// connection unless the web server asked to keep it).
    func finish() {
        FCGX_Finish_r(request)
    }

    /// The connection libfcgi kept open after `finish()` because the web server set
    /// FCGI_KEEP_CONN (nginx `fastcgi_keep_conn on`, which we advise against): the next request
    /// arrives on it rather than through the listening socket. `ipcFd` is one of the fields
    /// libfcgi calls private; it is only read here.
    var keptConnectionFD: Int32? {
        let fd = request.pointee.ipcFd
        return fd >= 0 ? fd : nil
    }

    /// The FastCGI params of the current request, as raw `NAME=value` C strings.
    func forEachParam(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        guard var cursor = request.pointee.envp else { return }
        while let entry = cursor.pointee {
            let length = strlen(entry)
            entry.withMemoryRebound(to: UInt8.self, capacity: length) { bytes in
                body(UnsafeBufferPointer(start: bytes, count: length))
            }
            cursor += 1
        }
    }

    /// Reads up to `count` body bytes; fewer only when the body ended (FCGI_STDIN EOF).
    func readBody(count: Int) -> [UInt8] {
        guard count > 0 else { return [] }
        return [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
            var received = 0
            while received < count {
                let chunk = Int32(clamping: count - received)
                let got = (buffer.baseAddress! + received).withMemoryRebound(to: CChar.self, capacity: Int(chunk)) {
                    FCGX_GetStr($0, chunk, request.pointee.in)
                }
                if got <= 0 { break }
                received += Int(got)
            }
            initialized = received
        }
    }

    /// Appends to the response stream; errors (client gone) are ignored: there is no one left
    /// to tell, and libfcgi drops the rest of the request's output.
    func write(_ bytes: [UInt8]) {
        guard !bytes.isEmpty else { return }
        bytes.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) { chars in
                _ = FCGX_PutStr(chars.baseAddress, Int32(clamping: chars.count), request.pointee.out)
            }
        }
    }
}
