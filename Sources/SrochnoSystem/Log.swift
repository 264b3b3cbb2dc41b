import Glibc

/// Writes one line to stderr with a single `write(2)`, so lines from forked workers never interleave.
public func logLine(_ text: String) {
    var line = Array(text.utf8)
    line.append(0x0A)
    line.withUnsafeBytes { buffer in
        _ = write(2, buffer.baseAddress, buffer.count)
    }
}
