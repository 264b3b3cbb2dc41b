import CLibPQ

/// One `NOTIFY` this session received on a channel it `LISTEN`s to, copied out of libpq's
/// `PGnotify` (which `PostgresNotification.drain` frees at once, so nothing C-owned outlives the
/// call).
public struct PostgresNotification: Sendable, Equatable {
    public let channel: String
    public let payload: String
    /// The server process that sent it (`pg_backend_pid()` of the notifying session).
    public let senderProcessID: Int32

    public init(channel: String, payload: String, senderProcessID: Int32) {
        self.channel = channel
        self.payload = payload
        self.senderProcessID = senderProcessID
    }

    /// Every notification libpq has already read off the connection, oldest first.
    static func drain(_ connection: OpaquePointer) -> [PostgresNotification] {
        var received: [PostgresNotification] = []
        while let raw = PQnotifies(connection) {
            defer { PQfreemem(raw) }
            let notify = raw.pointee
            received.append(
                PostgresNotification(
                    channel: String(cString: notify.relname),
                    payload: notify.extra.map { String(cString: $0) } ?? "",
                    senderProcessID: notify.be_pid))
        }
        return received
    }
}
