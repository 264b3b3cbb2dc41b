/// The release this binary was built as: the top-level `VERSION` file, compiled in as
/// `PackageResources.VERSION` (`Build/VERSION` links to it; no Bundle, no Foundation).
/// `VERSION` is the one place a release is numbered: scripts/package names the Debian package
/// after it, and every executable prints it for `--version`.
public enum BuildVersion {
    /// The file's content without surrounding whitespace (its final newline), e.g. `0.1.0`.
    public static let string = String(decoding: PackageResources.VERSION, as: UTF8.self).trimmingASCIIWhitespace()

    /// What `PROGRAM --version` prints: `srochno-fcgi 0.1.0`.
    public static func line(program: String) -> String {
        "\(program) \(string)"
    }
}
