import Glibc
import SrochnoCore

/// Reads a whole (small) file as UTF-8, or nil when it cannot be opened.
func readTextFile(_ path: String) -> String? {
    guard let file = fopen(path, "rb") else { return nil }
    defer { fclose(file) }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = fread(&chunk, 1, chunk.count, file)
        if count > 0 { bytes.append(contentsOf: chunk[0..<count]) }
        if count < chunk.count { break }
    }
    return String(validating: bytes, as: UTF8.self)
}

/// Writes one line to stderr with a single `write(2)`, so lines from forked workers never interleave.
public func logLine(_ text: String) {
    var line = Array(text.utf8)
    line.append(0x0A)
    line.withUnsafeBytes { buffer in
        _ = write(2, buffer.baseAddress, buffer.count)
    }
}

/// Reads a file that may hold a secret (the config, whose database URL may carry a password,
/// or a token file). A file that others may read or write is refused with the command that
/// fixes it, before its content is used: a leaked token signs in as anyone.
func readSecretFile(_ path: String, purpose: String) throws(ConfigurationError) -> String {
    var info = stat()
    guard stat(path, &info) == 0, let text = readTextFile(path) else {
        throw ConfigurationError("cannot read \(purpose) \(path)")
    }
    let others = info.st_mode & 0o007
    if others != 0 {
        let mode = String(info.st_mode & 0o777, radix: 8)
        throw ConfigurationError(
            "\(purpose) \(path) is accessible to other users (mode 0\(mode)); it may hold a secret: "
                + "chmod o-rwx \(path) (e.g. 0640, owner root, group of the service user)")
    }
    return text
}
