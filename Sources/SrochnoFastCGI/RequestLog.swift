import SrochnoSystem
/// The one access-log line per request, written to stderr (the journal under systemd):
/// `<method> <path> <status> <ms with one decimal>ms user=<id or ->`.
/// Deliberately absent: query strings (search terms), Authorization, bodies.
enum RequestLog {
    /// Longest path logged, in bytes; longer ones end in `...`.
    static let maxPathBytes = 256

    static func write(method: String, path: String, status: Int, nanoseconds: Int64, user: Int64?) {
        StandardError.write(bytes: line(method: method, path: path, status: status, nanoseconds: nanoseconds, user: user))
    }

    /// The line `write` writes, with its newline.
    static func line(method: String, path: String, status: Int, nanoseconds: Int64, user: Int64?) -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(64 + path.utf8.count)
        appendField(method.isEmpty ? "-" : method, limit: 16, to: &line)
        line.append(UInt8(ascii: " "))
        appendField(path, limit: maxPathBytes, to: &line)
        line.append(contentsOf: " \(status) \(milliseconds(nanoseconds))ms user=".utf8)
        if let user {
            line.append(contentsOf: String(user).utf8)
        } else {
            line.append(UInt8(ascii: "-"))
        }
        line.append(UInt8(ascii: "\n"))
        return line
    }

    /// `1234567` ns → `"1.2"`, rounded to the nearest tenth of a millisecond.
    static func milliseconds(_ nanoseconds: Int64) -> String {
        let tenths = (max(nanoseconds, 0) + 50_000) / 100_000
        return "\(tenths / 10).\(tenths % 10)"
    }

    /// Copies `text`, percent-escaping spaces, control bytes and `%` itself so that one request
    /// is always one line of space-separated fields, whatever a client put in its path.
    private static func appendField(_ text: String, limit: Int, to line: inout [UInt8]) {
        let hex = Array("0123456789ABCDEF".utf8)
        var count = 0
        for byte in text.utf8 {
            if count >= limit {
                line.append(contentsOf: "...".utf8)
                return
            }
            if byte <= 0x20 || byte == 0x7F || byte == UInt8(ascii: "%") {
                line.append(UInt8(ascii: "%"))
                line.append(hex[Int(byte >> 4)])
                line.append(hex[Int(byte & 0x0F)])
            } else {
                line.append(byte)
            }
            count += 1
        }
    }
}
