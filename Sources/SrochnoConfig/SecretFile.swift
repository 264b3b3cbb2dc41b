import Glibc
import SrochnoSystem

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
