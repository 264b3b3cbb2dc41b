import SrochnoCore

/// What one batch did with the old rows: counts per table, outcome and reason, and a note for
/// each row the verification must not expect as the old database has it. Written with the
/// batch, so the report of a resumed run is the report of the whole import.
struct Tally: Sendable {
    struct Key: Hashable, Sendable {
        let table: LegacyTable
        let outcome: RowOutcome
        let reason: String
    }

    struct Note: Sendable, Equatable {
        let table: LegacyTable
        let sourceID: String
        let outcome: RowOutcome
        let reason: String
        /// The old order a take, review or complaint belongs to.
        var orderID: String?
        /// An order's id when it is stored under another one.
        var targetID: String?
        /// An order's status when it is stored other than the old one maps to.
        var status: OrderStatus?
    }

    private(set) var counts: [Key: Int64] = [:]
    private(set) var notes: [Note] = []

    mutating func count(_ table: LegacyTable, _ outcome: RowOutcome, _ reason: String = "", _ rows: Int64 = 1) {
        guard rows > 0 else { return }
        counts[Key(table: table, outcome: outcome, reason: reason), default: 0] += rows
    }

    mutating func read(_ table: LegacyTable, _ rows: Int) { count(table, .read, "", Int64(rows)) }

    mutating func imported(_ table: LegacyTable, _ rows: Int = 1) { count(table, .imported, "", Int64(rows)) }

    /// An imported row stored otherwise than the old one, for each of `reasons`.
    mutating func changed(_ table: LegacyTable, _ reasons: [String]) {
        for reason in reasons { count(table, .changed, reason) }
    }

    mutating func skipped(_ table: LegacyTable, _ sourceID: String, _ reason: String, orderID: String? = nil) {
        count(table, .skipped, reason)
        notes.append(Note(table: table, sourceID: sourceID, outcome: .skipped, reason: reason, orderID: orderID))
    }

    mutating func refused(_ table: LegacyTable, _ sourceID: String, _ reason: String, orderID: String? = nil) {
        count(table, .refused, reason)
        notes.append(Note(table: table, sourceID: sourceID, outcome: .refused, reason: reason, orderID: orderID))
    }

    /// An imported order stored under another id or status than the old row has.
    mutating func noteOrder(_ sourceID: String, reason: String, targetID: String?, status: OrderStatus?) {
        notes.append(Note(table: .orders, sourceID: sourceID, outcome: .changed, reason: reason, targetID: targetID, status: status))
    }
}
