import Glibc
import SrochnoCore
import SrochnoTestSupport
import Testing

/// New orders reach subscribed executors through the real srochno-notify (SPEC §8.2): orders
/// posted through nginx and the workers, the sender woken by the orders' NOTIFY, a fake Bot API
/// of the test's own on loopback. One serialized suite: every sender drains the one outbox.
@Suite(.serialized) struct NotificationDeliveryTests {
    @Test func aNewOrderReachesItsSubscriberWithinSecondsAndNobodyElse() throws {
        let notify = try NotifyStack()
        let stack = notify.stack
        let city = NotifyStack.quietCity()
        let (executor, unsubscribed, disabled, otherCity, otherCategory, client) = (
            TestUser(stack), TestUser(stack), TestUser(stack), TestUser(stack), TestUser(stack), TestUser(stack)
        )
        try notify.subscribe(executor, category: "Клининг", city: city)
        _ = try stack.client.put(
            "/api/users/me/preferences", json: #"{"categories": ["Клининг"], "cities": ["\#(city)"]}"#, as: unsubscribed)
        try notify.subscribe(disabled, category: "Клининг", city: city, enabled: false)
        try notify.subscribe(otherCity, category: "Клининг", city: city == "Агрыз" ? "Алагир" : "Агрыз")
        try notify.subscribe(otherCategory, category: "Электрика", city: city)
        try notify.subscribe(client, category: "Клининг", city: city)
        let botAPI = try notify.fakeBotAPI()
        defer { botAPI.stop() }
        let sender = try notify.startSender(botAPI)

        let contact = TestStack.uniquePhone()
        let posted = monotonicNanoseconds()
        let order = try stack.createOrder(by: client, contact: contact, category: "Клининг", city: city)
        try pollUntil(seconds: 10, "the executor's message") { !botAPI.messages(to: executor.id).isEmpty }
        let latency = (botAPI.messages(to: executor.id)[0].receivedAt - posted) / 1_000_000
        #expect(latency < 3000, "order created → sendMessage received in \(latency) ms")
        usleep(1_000_000)  // anything else would have been sent by now

        let message = try #require(botAPI.messages(to: executor.id).first)
        #expect(botAPI.messages(to: executor.id).count == 1)
        #expect(message.text.contains("https://t.me/\(NotifyStack.botUsername)?startapp=order_\(order)"))
        let digits = String(contact.filter(\.isNumber).suffix(10))
        #expect(!message.text.contains(digits), "never the contact")
        for user in [unsubscribed, disabled, otherCity, otherCategory, client] {
            #expect(botAPI.messageCalls.filter { $0.chatID == user.id }.isEmpty, "user \(user.id) got a message")
        }

        sender.signal(SIGTERM)
        #expect(try sender.waitForExit(timeoutSeconds: 10) == 0)
        #expect(sender.standardError.hasSuffix("srochno-notify: stopped\n"), "\(sender.standardError)")
        #expect(!sender.standardError.contains(digits) && !sender.standardError.contains("течёт"), "no personal data in the log")
    }

    @Test func aBlockedBotTurnsTheExecutorsNotificationsOffInTheirSettings() throws {
        let notify = try NotifyStack()
        let stack = notify.stack
        let city = NotifyStack.quietCity()
        let (executor, client) = (TestUser(stack), TestUser(stack))
        try notify.subscribe(executor, category: "Сборка/установка", city: city)
        let botAPI = try notify.fakeBotAPI()
        defer { botAPI.stop() }
        botAPI.refuseMessages(to: executor.id, with: .forbidden("Forbidden: bot was blocked by the user"))
        let sender = try notify.startSender(botAPI)

        _ = try stack.createOrder(by: client, category: "Сборка/установка", city: city)
        let path = "/api/users/me/notification-settings"
        try pollUntil(seconds: 10, "notifications turned off") {
            try stack.client.get(path, as: executor).json()["enabled"] == .bool(false)
        }
        #expect(try stack.client.get(path, as: executor).text == #"{"enabled":false,"frequency":5}"#)
        #expect(botAPI.messageCalls.filter { $0.chatID == executor.id }.count == 1)
        #expect(sender.standardError.contains("user \(executor.id): Bot API 403, notifications turned off, 1 queued orders dropped"))
        sender.signal(SIGTERM)
        #expect(try sender.waitForExit(timeoutSeconds: 10) == 0)
    }

    /// At least once: a sender killed between Telegram's answer and its commit leaves the
    /// executor leased; after the lease another sender sends that message again. At most one
    /// message is in flight at a time, so one crash duplicates at most one message.
    @Test func aSenderKilledMidBatchAndRestartedSendsEverythingWithAtMostOneDuplicate() throws {
        let notify = try NotifyStack()
        let stack = notify.stack
        let city = NotifyStack.quietCity()
        let executors = (0..<12).map { _ in TestUser(stack) }
        for executor in executors { try notify.subscribe(executor, category: "Бытовая техника", city: city) }
        let client = TestUser(stack)
        let botAPI = try notify.fakeBotAPI()
        defer { botAPI.stop() }
        // 4 messages a second and a 6 s lease (the shortest the test config's 1.5 s Bot API
        // timeout allows): the batch takes three seconds, and a dead sender's lease soon ends.
        let settings = ["SROCHNO_NOTIFY_RATE": "4", "SROCHNO_NOTIFY_LEASE_SECONDS": "6"]
        let ids = Set(executors.map(\.id))
        func ours() -> [FakeBotAPI.MessageCall] { botAPI.messages.filter { ids.contains($0.chatID) } }

        let first = try notify.startSender(botAPI, settings: settings)
        let order = try stack.createOrder(by: client, category: "Бытовая техника", city: city)
        try pollUntil(seconds: 10, "four messages before the kill") { ours().count >= 4 }
        first.signal(SIGKILL)
        _ = try first.waitForExit(timeoutSeconds: 10)
        let beforeKill = ours().count
        #expect(beforeKill < executors.count, "killed mid-batch")

        let second = try notify.startSender(botAPI, settings: settings)
        try pollUntil(seconds: 30, "every executor's message") { Set(ours().map(\.chatID)) == ids }
        usleep(1_500_000)
        let messages = ours()
        #expect(messages.allSatisfy { $0.text.contains("order_\(order)") })
        let duplicates = messages.count - ids.count
        #expect(duplicates <= 1, "\(duplicates) duplicates (\(beforeKill) sent before the kill)")
        second.signal(SIGTERM)
        #expect(try second.waitForExit(timeoutSeconds: 10) == 0)
    }

    @Test func statusAndOncePrintOneLine() throws {
        let notify = try NotifyStack()
        let botAPI = try notify.fakeBotAPI()
        defer { botAPI.stop() }
        let once = try notify.run(["--once"], botAPI)
        #expect(once.exitCode == 0, "\(once.standardError)")
        let onceLine =
            #/srochno-notify: orders=\d+ queued=\d+ messages=\d+ announced=\d+ left_out=\d+ failures=\d+ rate_limited=\d+ dropped=\d+ duration=\d+ms\n/#
        #expect(once.standardOutput.wholeMatch(of: onceLine) != nil, "\(once.standardOutput)")
        let status = try notify.run(["--status"], botAPI)
        #expect(status.exitCode == 0, "\(status.standardError)")
        let statusLine =
            #/srochno-notify: outbox=\d+ outbox_oldest_age=\d+s queued=\d+ queued_oldest_age=\d+s executors_due=\d+ executors_leased=\d+ dropped_24h=\d+\n/#
        #expect(status.standardOutput.wholeMatch(of: statusLine) != nil, "\(status.standardOutput)")
        let usage = try notify.run(["--forever"], botAPI)
        #expect(usage.exitCode == 2 && usage.standardError.hasPrefix("srochno-notify: unknown arguments --forever"))
    }
}
