import SrochnoCore
import SrochnoPostgres
import SrochnoSystem
import Testing

/// `PostgresConnection.waitForNotifications` (LISTEN/NOTIFY) against the real server: a NOTIFY
/// arrives at commit and not before, waits are bounded, notifications received while other
/// statements ran are not lost, and a reconnect listens again.
@Suite struct NotificationListenTests {
    private func listener(_ scratch: ScratchDatabase) throws -> PostgresConnection {
        try PostgresConnection(conninfo: scratch.conninfo, sessionSetup: ["LISTEN srochno_test"])
    }

    @Test func aNotifyArrivesAtCommitWithItsPayload() throws {
        try ScratchDatabase.with { scratch in
            let listening = try listener(scratch)
            let other = try scratch.connect()
            try other.execute(sql: "BEGIN")
            try other.execute(sql: "SELECT pg_notify('srochno_test', 'hello')")
            #expect(try listening.waitForNotifications(timeoutMilliseconds: 200).isEmpty, "not before the commit")
            try other.execute(sql: "COMMIT")
            let pid = try other.execute(sql: "SELECT pg_backend_pid()").int(0, 0)
            let received = try listening.waitForNotifications(timeoutMilliseconds: 5000)
            #expect(received == [PostgresNotification(channel: "srochno_test", payload: "hello", senderProcessID: Int32(pid ?? 0))])
        }
    }

    @Test func aWaitWithoutNotificationsEndsAtItsTimeout() throws {
        try ScratchDatabase.with { scratch in
            let listening = try listener(scratch)
            let started = MonotonicClock.nanoseconds()
            #expect(try listening.waitForNotifications(timeoutMilliseconds: 300).isEmpty)
            let waited = (MonotonicClock.nanoseconds() - started) / 1_000_000
            #expect(waited >= 290 && waited < 2000, "waited \(waited) ms")
            #expect(try listening.waitForNotifications(timeoutMilliseconds: 0).isEmpty)
        }
    }

    @Test func notificationsThatArriveDuringStatementsAreKept() throws {
        try ScratchDatabase.with { scratch in
            let listening = try listener(scratch)
            let other = try scratch.connect()
            try other.execute(sql: "SELECT pg_notify('srochno_test', 'one')")
            try other.execute(sql: "SELECT pg_notify('srochno_test', 'two')")
            // The listener's own statement reads them off the socket before it asks.
            try listening.execute(sql: "SELECT pg_sleep(0.2)")
            let received = try listening.waitForNotifications(timeoutMilliseconds: 0)
            #expect(received.map(\.payload) == ["one", "two"])
        }
    }

    @Test func aReconnectedSessionListensAgain() throws {
        try ScratchDatabase.with { scratch in
            let listening = try listener(scratch)
            let pid = try #require(try listening.execute(sql: "SELECT pg_backend_pid()").int(0, 0))
            let admin = try scratch.connect()
            try admin.execute(sql: "SELECT pg_terminate_backend($1::integer)", [pid])
            // The next use notices the closed session and connects again, running LISTEN again.
            var attempts = 0
            while attempts < 50 {
                attempts += 1
                if (try? listening.waitForNotifications(timeoutMilliseconds: 20)) != nil,
                    let now = try? listening.execute(sql: "SELECT pg_backend_pid()").int(0, 0), now != pid
                {
                    break
                }
            }
            try admin.execute(sql: "SELECT pg_notify('srochno_test', 'again')")
            #expect(try listening.waitForNotifications(timeoutMilliseconds: 5000).map(\.payload) == ["again"])
        }
    }
}
