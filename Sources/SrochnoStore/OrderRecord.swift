public import SrochnoCore
import SrochnoPostgres

/// One order as every order statement selects it (`OrderColumns`): the row, its takes and its
/// first review.
public struct OrderRecord: Sendable {
    public struct Take: Sendable, Equatable {
        public let executorID: Int64
        public let takenAt: Instant
    }

    public let id: String
    public let clientID: Int64
    public let category: String
    public let description: String
    public let city: String
    public let contact: String
    public let timeline: OrderTimeline
    public let createdAt: Instant
    public let lifetimeMinutes: Int64
    public let respondedAt: Instant?
    public let takeCount: Int64
    public let maxExecutors: Int64
    /// Oldest first.
    public let takes: [Take]
    public let reviewRating: Int64?
    public let reviewComment: String?

    /// How many columns `OrderColumns.all` has; statements may add theirs after them.
    static let columnCount = 17

    /// Reads the columns of `OrderColumns.all`, which come first in `row`.
    init(_ row: PostgresRow) throws(PostgresDecodingError) {
        id = try row.string(0)
        clientID = try row.int(1)
        category = try row.string(2)
        description = try row.string(3)
        city = try row.string(4)
        contact = try row.string(5)
        let status = try row.string(6)
        guard let storedStatus = OrderStatus(rawValue: status) else {
            throw PostgresDecodingError(statement: "order", column: 6, expected: "an order status, got \(status)")
        }
        timeline = OrderTimeline(storedStatus: storedStatus, expiresAt: try row.instant(9), noResponseAt: try row.optionalInstant(10))
        createdAt = try row.instant(7)
        lifetimeMinutes = try row.int(8)
        respondedAt = try row.optionalInstant(11)
        takeCount = try row.int(12)
        maxExecutors = try row.int(13)
        takes = row.optionalString(14).map(Self.takes) ?? []
        reviewRating = try row.optionalInt(15)
        reviewComment = row.optionalString(16)
    }

    /// Parses `executor:epoch_us` pairs separated by commas, as the SQL writes them, in one
    /// pass over the bytes.
    static func takes(_ text: String) -> [Take] {
        var takes: [Take] = []
        var executor: Int64 = 0, micros: Int64 = 0, negative = false, inMicros = false
        func finish() {
            takes.append(Take(executorID: executor, takenAt: Instant(microseconds: negative ? -micros : micros)))
            (executor, micros, negative, inMicros) = (0, 0, false, false)
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int64(byte - UInt8(ascii: "0"))
                if inMicros { micros = micros &* 10 &+ digit } else { executor = executor &* 10 &+ digit }
            case UInt8(ascii: "-"): negative = inMicros
            case UInt8(ascii: ":"): inMicros = true
            case UInt8(ascii: ","): finish()
            default: continue
            }
        }
        if inMicros { finish() }
        return takes
    }

    public func wasTaken(by userID: Int64) -> Bool { takes.contains { $0.executorID == userID } }

    /// The contact is for the client and the executors who paid for it, nobody else.
    public func contactVisible(to viewer: Int64?) -> Bool {
        guard let viewer else { return false }
        return viewer == clientID || wasTaken(by: viewer)
    }
}
