import SrochnoCore
import SrochnoPostgres

/// One order as selected by `OrderQueries.columns`.
struct OrderRow {
    struct Take {
        let executorID: Int64
        let takenAt: Instant
    }

    let id: String
    let clientID: Int64
    let category: String
    let description: String
    let city: String
    let contact: String
    let timeline: OrderTimeline
    let createdAt: Instant
    let lifetimeMinutes: Int64
    let respondedAt: Instant?
    let takeCount: Int64
    let maxExecutors: Int64
    let takes: [Take]
    let reviewRating: Int64?
    let reviewComment: String?

    /// How many columns `OrderQueries.columns` has; statements may add theirs after them.
    static let columnCount = 17

    init(_ result: PostgresResult, row: Int) {
        func instant(_ column: Int) -> Instant? { result.int(row, column).map(Instant.init(microseconds:)) }
        id = result.string(row, 0) ?? ""
        clientID = result.int(row, 1) ?? 0
        category = result.string(row, 2) ?? ""
        description = result.string(row, 3) ?? ""
        city = result.string(row, 4) ?? ""
        contact = result.string(row, 5) ?? ""
        timeline = OrderTimeline(
            storedStatus: OrderStatus(rawValue: result.string(row, 6) ?? "") ?? .active,
            expiresAt: instant(9) ?? Instant(microseconds: 0),
            noResponseAt: instant(10)
        )
        createdAt = instant(7) ?? Instant(microseconds: 0)
        lifetimeMinutes = result.int(row, 8) ?? 0
        respondedAt = instant(11)
        takeCount = result.int(row, 12) ?? 0
        maxExecutors = result.int(row, 13) ?? 0
        takes = result.isNull(row, 14) ? [] : Self.takes(result.string(row, 14) ?? "")
        reviewRating = result.int(row, 15)
        reviewComment = result.string(row, 16)
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

    func wasTaken(by userID: Int64) -> Bool { takes.contains { $0.executorID == userID } }

    /// The contact is for the client and the executors who paid for it, nobody else.
    func contactVisible(to viewer: Int64?) -> Bool {
        guard let viewer else { return false }
        return viewer == clientID || wasTaken(by: viewer)
    }

    /// OrderResponse (SPEC §5). `showContact` false for lists, whoever asks.
    func write(to json: inout JSONWriter, now: Instant, viewer: Int64?, showContact: Bool = true) {
        json.beginObject()
        json.key("id"); json.value(id)
        json.key("category"); json.value(category)
        json.key("description"); json.value(description)
        json.key("city"); json.value(city)
        json.key("contact"); json.value(showContact && contactVisible(to: viewer) ? contact : nil)
        json.key("created_at"); json.value(createdAt.rfc3339)
        json.key("expires_in_minutes"); json.value(lifetimeMinutes)
        json.key("status"); json.value(timeline.effectiveStatus(at: now).rawValue)
        json.key("taken_by")
        json.beginArray()
        for take in takes {
            json.beginObject()
            json.key("executor_id"); json.value(take.executorID)
            json.key("taken_at"); json.value(take.takenAt.rfc3339)
            json.endObject()
        }
        json.endArray()
        json.key("customer_responded_at"); json.value(respondedAt?.rfc3339)
        json.key("city_locked"); json.value(true)
        json.key("rating"); json.value(reviewRating)
        json.key("review_comment"); json.value(reviewComment)
        json.endObject()
    }

    func response(status: Int = 200, now: Instant, viewer: Int64?) -> HTTPResponse {
        .json(status) { json in write(to: &json, now: now, viewer: viewer) }
    }
}
