import SrochnoCore
import SrochnoNotifications
import SrochnoPostgres
import SrochnoStore
import SrochnoSystem
import SrochnoTestSupport
import Testing

/// The notification sender (SPEC §8.2) in this process, on a scratch database, against a fake
/// Bot API on loopback; the wall clock is the test's, so waits of minutes pass at once.
@Suite struct NotificationSenderTests {
    let client: Int64 = 8100
    let executor: Int64 = 8101
    let t0 = Instant(seconds: systemNow().seconds)

    private func fake() throws -> FakeBotAPI { try FakeBotAPI(token: NotificationFixtures.botToken, lifetimeMilliseconds: 120_000) }

    @Test func onlyASubscribedExecutorOtherThanTheClientHearsOfAnOrder() throws {
        try ScratchDatabase.withMarket(client: client, executors: [executor, 8102, 8103, 8104, 8105]) { scratch, db, market in
            try NotificationFixtures.subscribe(db, executor)
            try NotificationFixtures.subscribe(db, 8102, categories: [], cities: [])  // notifications on, no preferences
            try NotificationFixtures.subscribe(db, 8103, enabled: false)
            try NotificationFixtures.subscribe(db, 8104, cities: ["Казань"])
            try NotificationFixtures.subscribe(db, 8105, categories: ["Электрика"])
            try NotificationFixtures.subscribe(db, client)  // the order's own client
            let order = try market.addOrder(1, client: client, createdAt: t0)
            let botAPI = try fake()
            defer { botAPI.stop() }
            let sender = try NotificationFixtures.sender(scratch, botAPI: botAPI.baseURL, clock: TestSenderClock(t0.adding(seconds: 1)))

            let summary = try sender.runOnce()
            #expect(summary.orders == 1 && summary.queued == 1 && summary.messages == 1 && summary.announced == 1)
            let calls = botAPI.messageCalls
            #expect(calls.map(\.chatID) == [executor])
            let text = try #require(calls.first?.text)
            #expect(text.contains("https://t.me/\(NotificationFixtures.botUsername)?startapp=order_\(order)"))
            #expect(text.hasPrefix("Новый заказ: Сантехника, Москва\n"))
            #expect(!text.contains(Market.contact(1)) && !text.contains(String(Market.contact(1).dropFirst(2))), "never the contact")
            #expect(calls.first?.parameters["link_preview_options"]?["is_disabled"] == .bool(true))
            #expect(try sender.runOnce() == NotificationSender.Summary(), "nothing left to do")
            #expect(try db.integer("SELECT count(*) FROM notification_outbox") == 0)
        }
    }

    @Test func ordersPostedDuringTheWaitComeAsOneDigestWithoutTheDeletedOne() throws {
        try ScratchDatabase.withMarket(client: client, executors: [executor]) { scratch, db, market in
            try NotificationFixtures.subscribe(db, executor, frequency: 5)
            let botAPI = try fake()
            defer { botAPI.stop() }
            let clock = TestSenderClock(t0)
            let sender = try NotificationFixtures.sender(scratch, botAPI: botAPI.baseURL, clock: clock)

            let first = try market.addOrder(1, client: client, createdAt: t0)
            #expect(try sender.runOnce().messages == 1, "no wait yet: at once")
            let later = t0.adding(minutes: 1)
            let second = try market.addOrder(2, client: client, createdAt: later)
            let deleted = try market.addOrder(3, client: client, createdAt: later.adding(seconds: 1))
            let third = try market.addOrder(4, client: client, createdAt: later.adding(seconds: 2))
            clock.set(later.adding(seconds: 3))
            let during = try sender.runOnce()
            #expect(during.queued == 3 && during.messages == 0, "within the executor's 5 minutes")
            try market.delete(deleted, at: later.adding(minutes: 1))

            clock.set(t0.adding(seconds: 5 * 60 - 1))
            #expect(try sender.runOnce().messages == 0, "a second before the wait ends")
            clock.set(t0.adding(minutes: 5))
            let digest = try sender.runOnce()
            #expect(digest.messages == 1 && digest.announced == 2 && digest.leftOut == 1)

            let texts = botAPI.messages(to: executor).map(\.text)
            #expect(texts.count == 2)
            #expect(texts[0].contains("order_\(first)"))
            #expect(texts[1].hasPrefix("Новые заказы: 2\n"))
            #expect(texts[1].contains("order_\(second)") && texts[1].contains("order_\(third)") && !texts[1].contains("order_\(deleted)"))
            #expect(try NotificationFixtures.queued(db, executor) == 0)
            let state = try #require(try NotificationFixtures.state(db, executor))
            #expect(!state.pending && state.nextAt == t0.adding(minutes: 10).microseconds, "the next wait starts at the digest")
        }
    }

    @Test func anOrderTheExecutorTookOrThatExpiredIsLeftOut() throws {
        try ScratchDatabase.withMarket(client: client, executors: [executor]) { scratch, db, market in
            try NotificationFixtures.subscribe(db, executor, frequency: 5)
            let botAPI = try fake()
            defer { botAPI.stop() }
            let clock = TestSenderClock(t0)
            let sender = try NotificationFixtures.sender(scratch, botAPI: botAPI.baseURL, clock: clock)
            try market.addOrder(1, client: client, createdAt: t0)
            _ = try sender.runOnce()
            let taken = try market.addOrder(2, client: client, createdAt: t0.adding(minutes: 1))
            let expiring = try market.addOrder(3, client: client, createdAt: t0.adding(minutes: 1), lifetimeMinutes: 2)
            clock.set(t0.adding(minutes: 1))
            _ = try sender.runOnce()
            try market.take(taken, by: executor, at: t0.adding(minutes: 2))

            clock.set(t0.adding(minutes: 5))
            let turn = try sender.runOnce()
            #expect(turn.messages == 0 && turn.leftOut == 2)
            #expect(botAPI.messages(to: executor).count == 1)
            #expect(!botAPI.messages.contains { $0.text.contains(expiring) || $0.text.contains(taken) })
            #expect(try NotificationFixtures.queued(db, executor) == 0)
            #expect(try NotificationFixtures.state(db, executor)?.pending == false)
        }
    }

    @Test func tooManyRequestsWaitsRetryAfterThenSendsOnce() throws {
        try ScratchDatabase.withMarket(client: client, executors: [executor]) { scratch, db, market in
            try NotificationFixtures.subscribe(db, executor)
            let botAPI = try fake()
            defer { botAPI.stop() }
            botAPI.refuseMessages(to: executor, with: .tooManyRequests(retryAfter: 1), times: 1)
            let log = LogLines()
            let sender = try NotificationFixtures.sender(scratch, botAPI: botAPI.baseURL, clock: TestSenderClock(t0), log: log)
            try market.addOrder(1, client: client, createdAt: t0)

            let summary = try sender.runOnce()
            #expect(summary.rateLimited == 1 && summary.messages == 1 && summary.failures == 0)
            let calls = botAPI.messageCalls
            #expect(calls.map(\.refusal) == [.tooManyRequests(retryAfter: 1), nil])
            let gap = calls[1].receivedAt - calls[0].receivedAt
            #expect(gap >= 1_000_000_000, "retried after \(gap / 1_000_000) ms, before retry_after")
            #expect(log.lines == ["Bot API 429: every send waits 1 s (retry_after)"])
        }
    }

    @Test func forbiddenTurnsTheExecutorsNotificationsOffAndDropsTheirQueue() throws {
        try ScratchDatabase.withMarket(client: client, executors: [executor]) { scratch, db, market in
            try NotificationFixtures.subscribe(db, executor)
            let botAPI = try fake()
            defer { botAPI.stop() }
            botAPI.refuseMessages(to: executor, with: .forbidden("Forbidden: bot was blocked by the user"))
            let log = LogLines()
            let clock = TestSenderClock(t0)
            let sender = try NotificationFixtures.sender(scratch, botAPI: botAPI.baseURL, clock: clock, log: log)
            try market.addOrder(1, client: client, createdAt: t0)
            try market.addOrder(2, client: client, createdAt: t0)

            let summary = try sender.runOnce()
            #expect(summary.dropped == 2 && summary.messages == 0)
            #expect(try !NotificationFixtures.notificationsEnabled(db, executor))
            #expect(try NotificationFixtures.queued(db, executor) == 0)
            #expect(try NotificationFixtures.drops(db, executor, reason: "blocked") == 2)
            #expect(log.lines == ["user \(executor): Bot API 403, notifications turned off, 2 queued orders dropped"])
            #expect(try db.integer("SELECT count(*) FROM notification_subscriptions WHERE user_id = $1::bigint", [executor]) == 0)

            clock.set(t0.adding(minutes: 1))
            try market.addOrder(3, client: client, createdAt: t0.adding(minutes: 1))
            #expect(try sender.runOnce().queued == 0, "no longer subscribed")
            #expect(botAPI.messageCalls.count == 1)
        }
    }

    @Test func anotherRefusalDropsThatMessageAndKeepsNotificationsOn() throws {
        try ScratchDatabase.withMarket(client: client, executors: [executor]) { scratch, db, market in
            try NotificationFixtures.subscribe(db, executor)
            let botAPI = try fake()
            defer { botAPI.stop() }
            botAPI.refuseMessages(to: executor, with: .badRequest(code: 400, "Bad Request: chat not found"), times: 1)
            let clock = TestSenderClock(t0)
            let sender = try NotificationFixtures.sender(scratch, botAPI: botAPI.baseURL, clock: clock)
            try market.addOrder(1, client: client, createdAt: t0)
            #expect(try sender.runOnce().dropped == 1)
            #expect(try NotificationFixtures.notificationsEnabled(db, executor))
            #expect(try NotificationFixtures.drops(db, executor, reason: "refused") == 1)

            clock.set(t0.adding(seconds: 10))
            try market.addOrder(2, client: client, createdAt: t0.adding(seconds: 10))
            #expect(try sender.runOnce().messages == 1, "the next order is sent at once: nothing was delivered")
        }
    }

    @Test func aServerErrorIsRetriedAfterABackoff() throws {
        try ScratchDatabase.withMarket(client: client, executors: [executor]) { scratch, db, market in
            try NotificationFixtures.subscribe(db, executor)
            let botAPI = try fake()
            defer { botAPI.stop() }
            botAPI.refuseMessages(to: executor, with: .serverError(code: 502), times: 2)
            let clock = TestSenderClock(t0)
            let sender = try NotificationFixtures.sender(scratch, botAPI: botAPI.baseURL, clock: clock)
            try market.addOrder(1, client: client, createdAt: t0)

            #expect(try sender.runOnce().failures == 1)
            #expect(try NotificationFixtures.state(db, executor)?.attempts == 1)
            #expect(try NotificationFixtures.state(db, executor)?.nextAt == t0.adding(seconds: 5).microseconds)
            clock.set(t0.adding(seconds: 4))
            #expect(try sender.runOnce() == NotificationSender.Summary(), "not before the back-off")
            clock.set(t0.adding(seconds: 5))
            #expect(try sender.runOnce().failures == 1)
            #expect(try NotificationFixtures.state(db, executor)?.nextAt == t0.adding(seconds: 15).microseconds, "then 10 s")
            clock.set(t0.adding(seconds: 15))
            #expect(try sender.runOnce().messages == 1)
            #expect(try NotificationFixtures.state(db, executor)?.attempts == 0, "failures are forgotten after a send")
            #expect(botAPI.messageCalls.count == 3)
        }
    }

    @Test func sendsThatKeepFailingAreGivenUpAfterTheGiveUpTimeAndRecorded() throws {
        try ScratchDatabase.withMarket(client: client, executors: [executor]) { scratch, db, market in
            try NotificationFixtures.subscribe(db, executor)
            let down = RefusingPort()
            let log = LogLines()
            let clock = TestSenderClock(t0)
            let sender = try withExtendedLifetime(down) {
                try NotificationFixtures.sender(scratch, botAPI: "http://127.0.0.1:\(down.port)", clock: clock, giveUpMinutes: 60, log: log)
            }
            try market.addOrder(1, client: client, createdAt: t0)
            try withExtendedLifetime(down) {
                #expect(try sender.runOnce().failures == 1)
                clock.set(t0.adding(minutes: 59))
                try market.addOrder(2, client: client, createdAt: t0.adding(minutes: 59))
                #expect(try sender.runOnce().failures == 1, "59 minutes of failures: tried again")
                clock.set(t0.adding(minutes: 60))
                let last = try sender.runOnce()
                #expect(last.dropped == 2 && last.failures == 0)
            }
            #expect(try NotificationFixtures.queued(db, executor) == 0)
            #expect(try NotificationFixtures.drops(db, executor, reason: "failing") == 2)
            #expect(try NotificationFixtures.notificationsEnabled(db, executor), "a Bot API outage says nothing about the executor")
            let state = try #require(try NotificationFixtures.state(db, executor))
            #expect(state.attempts == 0 && !state.pending)
            #expect(log.lines.count == 1)
            #expect(
                log.lines.first?.hasPrefix("user \(executor): sends failing since 60 min (3 tries, last: outbound connection failed")
                    == true)
            #expect(log.lines.first?.hasSuffix("2 queued orders dropped") == true)
        }
    }

    @Test func aRefusedBotTokenStopsTheSenderAndDropsNothing() throws {
        try ScratchDatabase.withMarket(client: client, executors: [executor]) { scratch, db, market in
            try NotificationFixtures.subscribe(db, executor)
            let botAPI = try FakeBotAPI(token: "1:another_bot", lifetimeMilliseconds: 60_000)
            defer { botAPI.stop() }
            let sender = try NotificationFixtures.sender(scratch, botAPI: botAPI.baseURL, clock: TestSenderClock(t0))
            try market.addOrder(1, client: client, createdAt: t0)
            #expect(throws: BotMisconfigured.self) { try sender.runOnce() }
            #expect(try NotificationFixtures.queued(db, executor) == 1)
            #expect(try db.integer("SELECT count(*) FROM notification_drops") == 0)
        }
    }

    @Test func anExecutorLeasedByASenderThatDiedWaitsForTheLeaseThenGetsItsMessage() throws {
        try ScratchDatabase.withMarket(client: client, executors: [executor]) { scratch, db, market in
            try NotificationFixtures.subscribe(db, executor)
            let botAPI = try fake()
            defer { botAPI.stop() }
            try market.addOrder(1, client: client, createdAt: t0)
            let clock = TestSenderClock(t0)
            let sender = try NotificationFixtures.sender(scratch, botAPI: botAPI.baseURL, clock: clock, owner: "alive", leaseSeconds: 60)
            // The dead sender fanned out and leased the executor, then vanished.
            _ = try NotificationBook.fanOut(db, now: t0, batchSize: 10)
            #expect(try NotificationBook.leaseDue(db, now: t0, leaseUntil: t0.adding(seconds: 60), owner: "dead", limit: 10).count == 1)

            clock.set(t0.adding(seconds: 59))
            #expect(try sender.runOnce().messages == 0, "the lease still holds")
            clock.set(t0.adding(seconds: 60))
            #expect(try sender.runOnce().messages == 1)
            #expect(botAPI.messages(to: executor).count == 1)
        }
    }
}
