public import SrochnoBotAPI
import SrochnoCore
public import SrochnoPostgres
import SrochnoStore

/// Drains the notification outbox through the Bot API's `sendMessage` (SPEC §8.2), over one
/// connection and one Bot API client, in the three steps of `sql/0010_notifications.sql`:
/// fan out new orders to their subscribers' queues, lease the executors whose wait is over,
/// and send each one message (one order, or a digest of those queued meanwhile) before
/// removing exactly what was sent and starting the executor's next wait.
///
/// Delivery is at least once: Telegram may accept a message and the sender die before its
/// commit; the lease then runs out and a sender sends that message again (at most one
/// duplicate per executor per crash). Leases make two live senders never send the same digest.
///
/// Not `Sendable` (it owns a connection and a libcurl handle): one per process.
public final class NotificationSender {
    /// What one pass did.
    public struct Summary: Sendable, Equatable {
        /// Orders taken from the outbox, and executor-order pairs queued from them.
        public var orders = 0
        public var queued = 0
        /// Messages Telegram accepted, and the orders they announced.
        public var messages = 0
        public var announced = 0
        /// Queued orders removed unsent because they stopped being deliverable.
        public var leftOut = 0
        /// Failed sends that will be tried again, 429 waits, and orders dropped for good.
        public var failures = 0
        public var rateLimited = 0
        public var dropped = 0

        public init() {}

        public var isEmpty: Bool { self == Summary() }

        public static func += (lhs: inout Summary, rhs: Summary) {
            lhs.orders += rhs.orders
            lhs.queued += rhs.queued
            lhs.messages += rhs.messages
            lhs.announced += rhs.announced
            lhs.leftOut += rhs.leftOut
            lhs.failures += rhs.failures
            lhs.rateLimited += rhs.rateLimited
            lhs.dropped += rhs.dropped
        }

        /// The `key=value` fields of a summary line, in order.
        public var fields: [(String, String)] {
            [
                ("orders", "\(orders)"), ("queued", "\(queued)"), ("messages", "\(messages)"), ("announced", "\(announced)"),
                ("left_out", "\(leftOut)"), ("failures", "\(failures)"), ("rate_limited", "\(rateLimited)"),
                ("dropped", "\(dropped)"),
            ]
        }
    }

    let connection: PostgresConnection
    private let bot: BotAPIClient
    let configuration: SenderConfiguration
    let clock: any SenderClock
    /// This sender's name on its leases: host, process and a random part.
    let owner: String
    /// Lines about single executors (ids and counts only), prefixed by the caller.
    let log: (String) -> Void
    /// Checked between two executors: a stop request ends the pass after the current one.
    var shouldStop: () -> Bool = { false }

    private var rate: SendRate
    private var spacing = ChatSpacing()
    /// Monotonic moment before which nothing is sent (Telegram's last retry_after).
    private var pausedUntil: Int64 = 0

    public init(
        connection: PostgresConnection, configuration: SenderConfiguration, clock: any SenderClock, owner: String,
        log: @escaping (String) -> Void
    ) throws(BotAPIError) {
        self.connection = connection
        self.configuration = configuration
        self.clock = clock
        self.owner = owner
        self.log = log
        bot = try BotAPIClient(configuration: configuration.botAPI)
        rate = SendRate(perSecond: configuration.rate)
    }

    /// Fans out the whole outbox, then serves every executor due now, lease batch after lease
    /// batch, until none is left (or a stop was requested). The outbox is drained again before
    /// each batch, so orders posted during a long broadcast are queued (and their executors
    /// become due) within a batch's time rather than after the broadcast.
    public func runOnce() throws -> Summary {
        var summary = Summary()
        serving: while !shouldStop() {
            try fanOut(into: &summary)
            // A retry_after is waited out before leasing, not while holding leases.
            guard sleep(untilMonotonic: pausedUntil) else { break }
            let now = clock.now()
            let leaseUntil = now.adding(seconds: Int64(configuration.leaseSeconds))
            let leased = try NotificationBook.leaseDue(
                connection, now: now, leaseUntil: leaseUntil, owner: owner, limit: configuration.leaseBatch)
            if leased.isEmpty { break }
            for (index, executor) in leased.enumerated() {
                // Stopping, or the lease too short for another call (a 429 mid-batch): the rest go
                // back at once, and unless stopping, a fresh lease follows.
                let leaseLeft = leaseUntil.microseconds - clock.now().microseconds
                var served = false
                if !shouldStop() && leaseLeft > configuration.leaseMarginMicroseconds {
                    served = try serve(executor, leaseUntil: leaseUntil, into: &summary)
                }
                if !served {
                    try NotificationBook.returnLeases(connection, owner: owner, userIDs: leased[index...].map(\.userID))
                    continue serving
                }
            }
        }
        return summary
    }

    /// Fans out outbox batches until the outbox is empty (or held by other senders).
    private func fanOut(into summary: inout Summary) throws {
        while !shouldStop() {
            let batch = try NotificationBook.fanOut(connection, now: clock.now(), batchSize: configuration.fanOutBatch)
            summary.orders += batch.orders
            summary.queued += batch.queued
            if batch.orders == 0 { return }
        }
    }

    /// Sleeps in slices until the monotonic moment `until`; false when a stop was requested.
    private func sleep(untilMonotonic until: Int64) -> Bool {
        while true {
            if shouldStop() { return false }
            let left = until - clock.monotonicNanoseconds()
            if left <= 0 { return true }
            clock.sleep(nanoseconds: min(left, 250_000_000))
        }
    }

    /// One executor's turn: read what is queued, send one message, write the outcome. False when
    /// the lease ran out waiting for Telegram (the executor is left to the lease's end).
    private func serve(_ executor: LeasedExecutor, leaseUntil: Instant, into summary: inout Summary) throws -> Bool {
        let queued = try NotificationBook.queuedOrders(connection, userID: executor.userID, now: clock.now())
        let deliverable = queued.filter(\.deliverable)
        let leftOut = queued.filter { !$0.deliverable }.map(\.order.id)
        summary.leftOut += leftOut.count
        guard let frequency = deliverable.first?.frequencyMinutes else {
            try complete(executor, .leftOut(leftOut))
            return true
        }
        let text = OrderAnnouncement.text(for: deliverable.map(\.order), botUsername: configuration.botUsername)
        let sentIDs = deliverable.map(\.order.id)
        while true {
            guard waitForSlot(chat: executor.userID, leaseUntil: leaseUntil) else { return false }
            let sent = Result { () throws(BotAPIError) in
                try bot.sendMessage(chatID: executor.userID, text: text, disableWebPagePreview: true)
            }
            spacing.sent(to: executor.userID, at: clock.monotonicNanoseconds())
            let error: BotAPIError
            switch sent {
            case .success:
                summary.messages += 1
                summary.announced += sentIDs.count
                try complete(executor, .sent(sent: sentIDs, leftOut: leftOut, nextAt: clock.now().adding(minutes: frequency)))
                return true
            case .failure(let failure):
                error = failure
            }
            switch DeliveryFailure(error) {
            case .rateLimited(let seconds):
                summary.rateLimited += 1
                pausedUntil = max(pausedUntil, clock.monotonicNanoseconds() + Int64(seconds) * 1_000_000_000)
                log("Bot API 429: every send waits \(seconds) s (retry_after)")
                continue
            case .blocked:
                let dropped = try complete(executor, .dropped(.blocked, orders: nil))
                summary.dropped += dropped
                log("user \(executor.userID): Bot API 403, notifications turned off, \(dropped) queued orders dropped")
            case .refused(let code):
                let dropped = try complete(executor, .dropped(.refused, orders: sentIDs))
                summary.dropped += dropped
                log("user \(executor.userID): Bot API \(code) refused the message, \(dropped) orders dropped")
            case .transient:
                let now = clock.now()
                let failingSince = executor.failingSince ?? now
                if NotificationRules.givesUp(failingSince: failingSince, now: now, giveUpMinutes: configuration.giveUpMinutes) {
                    let dropped = try complete(executor, .dropped(.failing, orders: nil))
                    summary.dropped += dropped
                    log(
                        "user \(executor.userID): sends failing since \((now.seconds - failingSince.seconds) / 60) min "
                            + "(\(executor.failures + 1) tries, last: \(Self.kind(of: error))), \(dropped) queued orders dropped")
                } else {
                    summary.failures += 1
                    let backoff = NotificationRules.backoffSeconds(afterFailures: executor.failures + 1)
                    try complete(executor, .failed(nextAt: now.adding(seconds: backoff)))
                }
            case .botMisconfigured:
                throw BotMisconfigured(description: "the Bot API refuses the bot: \(error)")
            }
            return true
        }
    }

    @discardableResult
    private func complete(_ executor: LeasedExecutor, _ result: DeliveryResult) throws -> Int {
        try NotificationBook.complete(connection, userID: executor.userID, owner: owner, result: result, now: clock.now())
    }

    /// Sleeps until the rate, Telegram's last retry_after and the chat's one-second spacing
    /// allow a send. False when the lease would no longer cover the call by then, or a stop was
    /// requested during a long wait.
    private func waitForSlot(chat: Int64, leaseUntil: Instant) -> Bool {
        let start = clock.monotonicNanoseconds()
        let earliest = max(start, pausedUntil, start + spacing.wait(for: chat, at: start))
        let wait = earliest - start + rate.reserve(at: earliest)
        if clock.now().microseconds + wait / 1000 + configuration.leaseMarginMicroseconds > leaseUntil.microseconds { return false }
        var slept: Int64 = 0
        while slept < wait {
            let slice = min(wait - slept, 250_000_000)
            clock.sleep(nanoseconds: slice)
            slept += slice
            if slept < wait && shouldStop() { return false }
        }
        return true
    }

    /// The kind of failure for a log line, without Telegram's wording or any URL.
    static func kind(of error: BotAPIError) -> String {
        switch error {
        case .api(let code, _, _): "HTTP \(code)"
        case .invalidResponse(let status, _): "answer not understood (HTTP \(status))"
        case .transport(let transport): "\(transport)"
        case .invalidConfiguration: "misconfigured"
        }
    }
}
