import CFastCGI
import Glibc
import SrochnoSystem

struct ListenFailure: Error {
    let message: String
}

/// The listening socket every worker accepts on: inherited from the starter, or a unix socket
/// created here. It is made non-blocking: workers wait for readiness with `pselect` (see
/// WorkerSignals) and several of them may wake for one connection, so the losers' `accept`
/// must fail with EAGAIN instead of blocking with the stop signals masked. Accepted
/// connections do not inherit O_NONBLOCK on Linux, so libfcgi still reads them blocking.
final class ListenSocket {
    let fd: Int32
    let description: String
    /// Set only for a socket file this process created; see `removeCreatedFile()`.
    private let createdFile: CreatedFile?

    private struct CreatedFile {
        var path: String
        var device: dev_t
        var inode: ino_t
        var ownerPID: pid_t
    }

    private init(fd: Int32, description: String, createdFile: CreatedFile?) {
        self.fd = fd
        self.description = description
        self.createdFile = createdFile
    }

    deinit {
        // An inherited descriptor belongs to whoever started us.
        if createdFile != nil { close(fd) }
    }

    static func open(_ source: ListenSource, mode: UInt32) -> Result<ListenSocket, ListenFailure> {
        let opened: Result<ListenSocket, ListenFailure>
        switch source {
        case .inherited:
            opened = inherited()
        case .unixSocket(let path, let backlog):
            opened = create(path: path, backlog: backlog, mode: mode)
        }
        if case .success(let socket) = opened {
            let flags = fcntl(socket.fd, F_GETFL)
            if flags < 0 || fcntl(socket.fd, F_SETFL, flags | O_NONBLOCK) < 0 {
                let code = errno
                socket.removeCreatedFile()
                return .failure(
                    ListenFailure(message: "cannot make \(socket.description) non-blocking: \(StandardError.describe(errno: code))"))
            }
        }
        return opened
    }

    static func noSocketMessage(fd: Int32, errno code: Int32? = nil) -> String {
        let reason = code.map { " (\(StandardError.describe(errno: $0)))" } ?? ""
        return "no listening socket on fd \(fd)\(reason); set SROCHNO_LISTEN or start under systemd/spawn-fcgi"
    }

    /// Removes the socket file at exit — only in the process that created it (never in a
    /// forked worker) and only while the path still names our socket, not one a newer instance
    /// put there meanwhile.
    func removeCreatedFile() {
        guard let file = createdFile, getpid() == file.ownerPID else { return }
        var current = stat()
        guard lstat(file.path, &current) == 0, current.st_dev == file.device, current.st_ino == file.inode else { return }
        unlink(file.path)
    }

    /// fd 3 under systemd socket activation (`LISTEN_PID` names this process), else fd 0
    /// (`FCGI_LISTENSOCK_FILENO`: spawn-fcgi, systemd `StandardInput=socket`).
    private static func inherited() -> Result<ListenSocket, ListenFailure> {
        var fd = Int32(FCGI_LISTENSOCK_FILENO)
        if let countText = environment("LISTEN_FDS"), let count = Int(countText), count >= 1,
            let pidText = environment("LISTEN_PID"), pid_t(pidText) == getpid()
        {
            fd = 3  // SD_LISTEN_FDS_START; with several sockets the first one is used
            // As sd_listen_fds(1) does: anything this process starts must not claim fd 3 again.
            unsetenv("LISTEN_FDS")
            unsetenv("LISTEN_PID")
            unsetenv("LISTEN_FDNAMES")
        }
        guard isListeningSocket(fd) else {
            return .failure(ListenFailure(message: noSocketMessage(fd: fd)))
        }
        return .success(ListenSocket(fd: fd, description: "inherited fd \(fd)", createdFile: nil))
    }

    private static func create(path: String, backlog: Int32, mode: UInt32) -> Result<ListenSocket, ListenFailure> {
        // A ':' would make the path mean host:port to libfcgi and other FastCGI tools.
        guard !path.isEmpty, !path.contains(":") else {
            return .failure(ListenFailure(message: "unix socket path must be non-empty and contain no ':' (got \"\(path)\")"))
        }
        guard path.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else {
            return .failure(ListenFailure(message: "unix socket path is too long (max 107 bytes): \(path)"))
        }
        var existing = stat()
        if lstat(path, &existing) == 0 {
            guard existing.st_mode & S_IFMT == S_IFSOCK else {
                return .failure(ListenFailure(message: "\(path) exists and is not a socket; not removing it"))
            }
            if acceptsConnections(path) {
                return .failure(ListenFailure(message: "another process is already listening on \(path)"))
            }
            unlink(path)  // stale socket of an earlier run
        }

        // Not FCGX_OpenSocket: on a bind or listen failure libfcgi 2.4.2 calls exit(errno)
        // itself (e.g. a missing directory ends the process with status 22 and only a perror
        // line), and it reads any path with ':' as host:port. The socket is the same.
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else {
            return .failure(ListenFailure(message: "cannot create a unix socket: \(StandardError.describe(errno: errno))"))
        }
        // bind() creates the file with 0777 & ~umask: set the umask so that the socket is born
        // with its final mode (no window with wider permissions), then chmod to be exact.
        let savedUmask = umask(mode_t(~mode & 0o777))
        let bound = withUnixAddress(path) { address, length in bind(fd, address, length) }
        let bindErrno = errno
        umask(savedUmask)
        guard bound == 0 else {
            close(fd)
            return .failure(ListenFailure(message: "cannot bind \(path): \(StandardError.describe(errno: bindErrno))"))
        }
        guard listen(fd, backlog) == 0 else {
            let listenErrno = errno
            close(fd)
            unlink(path)
            return .failure(ListenFailure(message: "cannot listen on \(path): \(StandardError.describe(errno: listenErrno))"))
        }
        chmod(path, mode_t(mode))

        var created = stat()
        guard lstat(path, &created) == 0 else {
            close(fd)
            return .failure(ListenFailure(message: "socket \(path) vanished right after creation"))
        }
        let file = CreatedFile(path: path, device: created.st_dev, inode: created.st_ino, ownerPID: getpid())
        return .success(ListenSocket(fd: fd, description: "unix:\(path)", createdFile: file))
    }

    private static func isListeningSocket(_ fd: Int32) -> Bool {
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFSOCK else { return false }
        var accepting: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        guard getsockopt(fd, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0 else { return false }
        return accepting != 0
    }

    /// Whether some live process answers on the socket at `path` (then it is not stale).
    private static func acceptsConnections(_ path: String) -> Bool {
        let probe = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard probe >= 0 else { return false }
        defer { close(probe) }
        return withUnixAddress(path) { address, length in connect(probe, address, length) } == 0
    }

    /// Calls `body` with a `sockaddr_un` for `path` (whose length was checked by the caller).
    private static func withUnixAddress(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: path.utf8)  // the rest stays zero: NUL-terminated
        }
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                body(generic, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
    }

    private static func environment(_ name: String) -> String? {
        getenv(name).map { String(cString: $0) }
    }
}
