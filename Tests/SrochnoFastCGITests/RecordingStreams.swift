@testable import SrochnoFastCGI

/// A `FastCGIStreams` with params and a body given up front, recording what is read and written.
final class RecordingStreams: FastCGIStreams {
    let params: [[UInt8]]
    let body: [UInt8]
    private(set) var bodyReads: [Int] = []
    private(set) var writes: [[UInt8]] = []

    init(rawParams: [[UInt8]], body: [UInt8] = []) {
        self.params = rawParams
        self.body = body
    }

    convenience init(_ params: [String], body: String = "") {
        self.init(rawParams: params.map { Array($0.utf8) }, body: Array(body.utf8))
    }

    func forEachParam(_ body: (UnsafeBufferPointer<UInt8>) -> Void) {
        for param in params { param.withUnsafeBufferPointer(body) }
    }

    func readBody(count: Int) -> [UInt8] {
        bodyReads.append(count)
        return Array(body.prefix(count))
    }

    func write(_ bytes: [UInt8]) { writes.append(bytes) }

    /// Everything written, as the web server would receive it.
    var output: String { String(decoding: writes.joined(), as: UTF8.self) }
}
