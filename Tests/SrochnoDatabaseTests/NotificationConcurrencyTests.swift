import SrochnoCore
import SrochnoNotifications
import SrochnoPostgres
import SrochnoSystem
import SrochnoTestSupport
import Testing

/// Several senders at once, and the outbox written in the order's own transaction.
@Suite struct NotificationConcurrencyTests {
    let client: Int64 = 8200
    let t0 = Instant(seconds: systemNow().seconds)

    @Test func twoSendersAtOnceNeverSendOneMessageOrDigestTwice() throws {
        let executors = (1...40).map { Int64(8200 + $0) }
        try ScratchDatabase.withMarket(client: client, executors: executors) { scratch, db, market in
            for executor in executors { try NotificationFixtures.subscribe(db, executor, frequency: 5) }
            let botAPI = try FakeBotAPI(token: NotificationFixtures.botToken, lifetimeMilliseconds: 120_000)
            defer { botAPI.stop() }
            let clock = TestSenderClock(t0)
            let senders = try ["one", "two"].map {
                try NotificationFixtures.sender(scratch, botAPI: botAPI.baseURL, clock: clock, owner: $0, rate: 200)
            }
            let shared = SendersBox(senders)
            func race() -> [NotificationSender.Summary] {
                inParallel(2) { index in try shared.senders[index].runOnce() }.compactMap { try? $0.get() }
            }

            let first = try market.addOrder(1, client: client, createdAt: t0)
            let singles = race()
            #expect(singles.count == 2, "both senders ran without an error")
            #expect(singles.map(\.messages).reduce(0, +) == 40)
            #expect(Set(botAPI.messages.map(\.chatID)) == Set(executors))
            #expect(botAPI.messages.count == 40, "one message per executor")

            clock.set(t0.adding(minutes: 1))
            try market.addOrder(2, client: client, createdAt: t0.adding(minutes: 1))
            try market.addOrder(3, client: client, createdAt: t0.adding(minutes: 1))
            #expect(race().map(\.queued).reduce(0, +) == 80, "both orders queued once for every executor")
            clock.set(t0.adding(minutes: 5))
            let digests = race()
            #expect(digests.map(\.messages).reduce(0, +) == 40)
            let digestTexts = botAPI.messages.dropFirst(40)
            #expect(digestTexts.count == 40 && Set(digestTexts.map(\.chatID)).count == 40, "one digest per executor")
            #expect(digestTexts.allSatisfy { $0.text.hasPrefix("Новые заказы: 2\n") && !$0.text.contains(first) })
            #expect(try db.integer("SELECT count(*) FROM notification_queue") == 0)
        }
    }

    @Test func theOutboxRowComesWithTheOrdersCommitAndNotWithoutIt() throws {
        try ScratchDatabase.withMarket(client: client, executors: []) { scratch, db, market in
            let listener = try PostgresConnection(conninfo: scratch.conninfo, sessionSetup: ["LISTEN srochno_notify"])
            try db.execute(sql: "BEGIN")
            try market.addOrder(1, client: client, createdAt: t0)
            try db.execute(sql: "ROLLBACK")
            #expect(try listener.waitForNotifications(timeoutMilliseconds: 300).isEmpty, "a rolled-back order announces nothing")
            #expect(try db.integer("SELECT count(*) FROM notification_outbox") == 0)

            try db.execute(sql: "BEGIN")
            let order = try market.addOrder(2, client: client, createdAt: t0)
            #expect(try listener.waitForNotifications(timeoutMilliseconds: 300).isEmpty, "nothing before the commit")
            try db.execute(sql: "COMMIT")
            #expect(try listener.waitForNotifications(timeoutMilliseconds: 5000).map(\.channel) == ["srochno_notify"])
            #expect(try db.integer("SELECT count(*) FROM notification_outbox WHERE order_id = $1", [order]) == 1)

            let refused = try market.tryAddOrder(3, client: client, createdAt: t0, contact: Market.contact(2))
            #expect(refused == nil, "the contact is taken")
            #expect(try db.integer("SELECT count(*) FROM notification_outbox") == 1, "a refused insert adds nothing")
        }
    }

    @Test func subscriptionsFollowTheSettingsAndPreferences() throws {
        try ScratchDatabase.withMarket(client: client, executors: [8250]) { _, db, _ in
            func subscriptions() throws -> [String] {
                let result = try db.execute(
                    sql: "SELECT category || '/' || city FROM notification_subscriptions WHERE user_id = 8250 ORDER BY 1")
                return (0..<result.rowCount).compactMap { result.string($0, 0) }
            }
            try NotificationFixtures.subscribe(db, 8250, categories: ["Сантехника", "Электрика"], cities: ["Москва", "Казань"])
            #expect(try subscriptions() == ["Сантехника/Казань", "Сантехника/Москва", "Электрика/Казань", "Электрика/Москва"])
            try NotificationFixtures.subscribe(db, 8250, categories: ["Клининг"], cities: ["Москва"])
            #expect(try subscriptions() == ["Клининг/Москва"])
            try NotificationFixtures.subscribe(db, 8250, categories: ["Клининг"], cities: ["Москва"], enabled: false)
            #expect(try subscriptions().isEmpty)
            try NotificationFixtures.subscribe(db, 8250, categories: ["Клининг"], cities: ["Уфа"], enabled: true)
            #expect(try subscriptions() == ["Клининг/Уфа"])
        }
    }
}

/// Senders handed to the racing threads; each thread uses only its own.
private final class SendersBox: @unchecked Sendable {
    let senders: [NotificationSender]
    init(_ senders: [NotificationSender]) { self.senders = senders }
}
