public import SrochnoCore
public import SrochnoPostgres

/// An executor a sender leased: who, and how its sends have been failing so far.
public struct LeasedExecutor: Sendable, Equatable {
    public let userID: Int64
    /// Consecutive failed sends (5xx, no answer).
    public let failures: Int
    public let failingSince: Instant?
}

/// One order queued for an executor, and whether it may still be announced to them.
public struct QueuedOrder: Sendable, Equatable {
    public let order: AnnouncedOrder
    /// The executor's chosen wait between two messages, in minutes.
    public let frequencyMinutes: Int
    /// False when it is no longer effectively active, no longer matches the executor's settings,
    /// or they took it meanwhile: it is removed without being sent.
    public let deliverable: Bool
}

/// Why queued orders were removed unsent (`notification_drops.reason`).
public enum NotificationDropReason: String, Sendable {
    /// 403: the executor blocked the bot or their account is gone; notifications turned off.
    case blocked
    /// Telegram refused the message itself (another 4xx, e.g. a chat that does not exist).
    case refused
    /// Sends kept failing (5xx, no answer) for longer than the give-up time.
    case failing
}

/// How one leased executor's turn ended; `NotificationBook.complete` writes it.
public enum DeliveryResult: Sendable, Equatable {
    /// Telegram accepted the message for `sent`; `leftOut` were no longer deliverable. The next
    /// message not before `nextAt` (now plus the executor's frequency).
    case sent(sent: [String], leftOut: [String], nextAt: Instant)
    /// Nothing queued could be sent any more; these are removed and the executor is free now.
    case leftOut([String])
    /// The send failed in a way worth retrying; the next try not before `nextAt`.
    case failed(nextAt: Instant)
    /// These orders (nil: every order queued for the executor) will never be sent; recorded.
    case dropped(NotificationDropReason, orders: [String]?)
}

/// What `srochno-notify --status` prints: how far behind the senders are.
public struct NotificationBacklog: Sendable, Equatable {
    /// Orders not yet fanned out, and when the oldest of them was created.
    public let outbox: Int
    public let oldestOutbox: Instant?
    /// Orders queued for executors (one per executor and order), and the oldest queueing.
    public let queued: Int
    public let oldestQueued: Instant?
    /// Executors whose wait is over and who have orders queued, and those a sender holds now.
    public let executorsDue: Int
    public let executorsLeased: Int
    /// Queued orders removed unsent in the last 24 hours.
    public let droppedLastDay: Int
}

/// The notification sender's statements over one connection (SPEC §8.2), in the three steps of
/// `sql/0010_notifications.sql`: fan out the outbox, lease due executors, and complete each
/// executor's turn. Every step is its own short transaction; no transaction is open while a
/// sender waits for Telegram.
public enum NotificationBook {
    /// Every statement a sender prepares on connect.
    public static let statements: [PreparedStatement] = [
        FanOutBatch.statement, LeaseDueExecutors.statement, QueuedOrdersOfExecutor.statement, LockExecutorState.statement,
        RemoveQueued.statement, ReleaseExecutor.statement, RecordDrop.statement, DisableNotifications.statement,
        NextWaitEnd.statement, NotificationBacklogFigures.statement, ReturnLeases.statement,
    ]

    /// Fans out one batch of at most `batchSize` outbox orders; returns the orders taken from
    /// the outbox and the executor-order pairs queued. Zero orders: the outbox is empty (or
    /// every row is held by another sender).
    public static func fanOut(_ db: PostgresConnection, now: Instant, batchSize: Int) throws -> (orders: Int, queued: Int) {
        try db.queryOne(FanOutBatch(now: now, batchSize: batchSize))
    }

    /// Leases up to `limit` due executors to `owner` until `leaseUntil`.
    public static func leaseDue(_ db: PostgresConnection, now: Instant, leaseUntil: Instant, owner: String, limit: Int) throws
        -> [LeasedExecutor]
    {
        try db.query(LeaseDueExecutors(now: now, leaseUntil: leaseUntil, owner: owner, limit: limit))
    }

    /// Everything queued for `userID`, oldest first, each marked deliverable or not at `now`.
    public static func queuedOrders(_ db: PostgresConnection, userID: Int64, now: Instant) throws -> [QueuedOrder] {
        try db.query(QueuedOrdersOfExecutor(userID: userID, now: now))
    }

    /// Writes how `owner`'s turn with `userID` ended, in one transaction. When another sender
    /// took the executor over (this lease had expired), only the orders sent are removed, so
    /// that sender does not send them again if it has not read them yet; the state is its own.
    /// Returns the orders dropped.
    @discardableResult
    public static func complete(_ db: PostgresConnection, userID: Int64, owner: String, result: DeliveryResult, now: Instant) throws
        -> Int
    {
        try db.transaction {
            let stillOurs = try db.queryFirst(LockExecutorState(userID: userID, owner: owner)) ?? false
            switch result {
            case .sent(let sent, let leftOut, let nextAt):
                try db.run(RemoveQueued(userID: userID, orderIDs: sent + leftOut))
                if stillOurs { try db.run(ReleaseExecutor(userID: userID, owner: owner, nextAt: nextAt, failed: false, now: now)) }
                return 0
            case .leftOut(let orders):
                guard stillOurs else { return 0 }
                try db.run(RemoveQueued(userID: userID, orderIDs: orders))
                try db.run(ReleaseExecutor(userID: userID, owner: owner, nextAt: now, failed: false, now: now))
                return 0
            case .failed(let nextAt):
                if stillOurs { try db.run(ReleaseExecutor(userID: userID, owner: owner, nextAt: nextAt, failed: true, now: now)) }
                return 0
            case .dropped(let reason, let orders):
                guard stillOurs else { return 0 }
                if reason == .blocked { try db.run(DisableNotifications(userID: userID, now: now)) }
                let dropped = try db.run(RemoveQueued(userID: userID, orderIDs: orders))
                if dropped > 0 { try db.run(RecordDrop(userID: userID, orders: dropped, reason: reason, now: now)) }
                try db.run(ReleaseExecutor(userID: userID, owner: owner, nextAt: now, failed: false, now: now))
                return dropped
            }
        }
    }

    /// Gives back `owner`'s leases of `userIDs` without changing anything else.
    public static func returnLeases(_ db: PostgresConnection, owner: String, userIDs: [Int64]) throws {
        guard !userIDs.isEmpty else { return }
        try db.run(ReturnLeases(owner: owner, userIDs: userIDs))
    }

    /// The earliest end of a wait after `now` among executors with orders queued.
    public static func nextWaitEnd(_ db: PostgresConnection, now: Instant) throws -> Instant? {
        try db.queryOne(NextWaitEnd(now: now))
    }

    public static func backlog(_ db: PostgresConnection, now: Instant) throws -> NotificationBacklog {
        try db.queryOne(NotificationBacklogFigures(now: now))
    }
}
