import Glibc

/// Just enough of /proc to find and watch the FastCGI pool's worker processes.
enum ProcessTable {
    /// Live (not zombie) processes whose parent is `parent`, sorted by pid.
    static func children(of parent: Int32) -> [Int32] {
        guard let directory = opendir("/proc") else { return [] }
        defer { closedir(directory) }
        var pids: [Int32] = []
        while let entry = readdir(directory) {
            guard let pid = Int32(name(of: entry)), let stat = status(of: pid) else { continue }
            if stat.parent == parent && stat.state != "Z" && stat.state != "X" { pids.append(pid) }
        }
        return pids.sorted()
    }

    /// State letter and parent pid from /proc/<pid>/stat (`pid (comm) state ppid …`; the
    /// command name may itself contain spaces and parentheses, so parse after the last `)`).
    static func status(of pid: Int32) -> (state: String, parent: Int32)? {
        guard let text = readSmallFile("/proc/\(pid)/stat"), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        guard fields.count >= 2, let parent = Int32(fields[1]) else { return nil }
        return (String(fields[0]), parent)
    }

    /// True while `pid` exists and is not a zombie.
    static func isAlive(_ pid: Int32) -> Bool {
        guard let state = status(of: pid)?.state else { return false }
        return state != "Z" && state != "X"
    }

    /// How many file descriptors `pid` has open. A worker holds one more (the accepted
    /// FastCGI connection) while it serves a request than while it waits for one.
    static func openDescriptors(of pid: Int32) -> Int? {
        guard let directory = opendir("/proc/\(pid)/fd") else { return nil }
        defer { closedir(directory) }
        var count = 0
        while let entry = readdir(directory) {
            let entryName = name(of: entry)
            if entryName != "." && entryName != ".." { count += 1 }
        }
        return count
    }

    private static func name(of entry: UnsafeMutablePointer<dirent>) -> String {
        withUnsafePointer(to: &entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)) { String(cString: $0) }
        }
    }

    private static func readSmallFile(_ path: String) -> String? {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return nil }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }
}
