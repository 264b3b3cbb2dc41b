import Glibc

/// Writes to file descriptor 2 with `write(2)`: Glibc's `stderr` global is not usable from
/// Swift 6 code outside the main actor, and one `write` per line keeps lines from different
/// worker processes from interleaving.
public enum StandardError {
    public static func write(line: String) {
        var bytes = Array(line.utf8)
        bytes.append(UInt8(ascii: "\n"))
        write(bytes: bytes)
    }

    public static func write(bytes: [UInt8]) {
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = Glibc.write(2, buffer.baseAddress! + offset, buffer.count - offset)
                if written > 0 {
                    offset += written
                } else if written < 0 && errno == EINTR {
                    continue
                } else {
                    return
                }
            }
        }
    }

    /// `strerror` text for an errno value.
    public static func describe(errno code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}
