public import SrochnoCore
import SrochnoPostgres

/// What the import did with the old rows, per old table: read, imported (changed ones among
/// them, with why), skipped by design and refused, with why. Read from the bookkeeping the
/// batches wrote, so it covers every run of the import, and two runs print the same.
public struct AdoptionReport: Sendable, Equatable {
    public struct Reason: Sendable, Equatable {
        public let text: String
        public let rows: Int64
    }

    public struct Table: Sendable, Equatable {
        public let name: String
        public var read: Int64 = 0
        public var imported: Int64 = 0
        public var skipped: Int64 = 0
        public var refused: Int64 = 0
        /// Each change of an imported row, by kind (a row changed two ways counts in both).
        public var changes: [Reason] = []
        public var skips: [Reason] = []
        public var refusals: [Reason] = []
    }

    public let moment: Instant
    public var tables: [Table]

    public func table(_ name: String) -> Table? { tables.first { $0.name == name } }

    static func read(_ db: PostgresConnection, moment: Instant) throws -> AdoptionReport {
        var tables = LegacyTable.allCases.map { Table(name: $0.rawValue) }
        for count in try db.query(AllCounts()) {
            guard let index = tables.firstIndex(where: { $0.name == count.source }) else { continue }
            let reason = Reason(text: count.reason, rows: count.rows)
            switch RowOutcome(rawValue: count.outcome) {
            case .read: tables[index].read += count.rows
            case .imported: tables[index].imported += count.rows
            case .changed: tables[index].changes.append(reason)
            case .skipped:
                tables[index].skipped += count.rows
                tables[index].skips.append(reason)
            case .refused:
                tables[index].refused += count.rows
                tables[index].refusals.append(reason)
            case nil: continue
            }
        }
        return AdoptionReport(moment: moment, tables: tables)
    }

    /// The report as printed: one line per table, then one per reason.
    public var lines: [String] {
        func column(_ text: String, _ width: Int) -> String {
            String(repeating: " ", count: max(0, width - text.count)) + text
        }
        var lines = [
            "report (adoption moment \(moment.rfc3339))",
            "  " + "table".padding(22) + ["read", "imported", "changes", "skipped", "refused"].map { column($0, 10) }.joined(),
        ]
        for table in tables {
            let changes = table.changes.reduce(0) { $0 + $1.rows }
            lines.append(
                "  " + table.name.padding(22)
                    + [table.read, table.imported, changes, table.skipped, table.refused].map { column(String($0), 10) }.joined())
            for (label, reasons) in [("changed", table.changes), ("skipped", table.skips), ("refused", table.refusals)] {
                for reason in reasons { lines.append("      \(label.padding(8)) \(column(String(reason.rows), 8))  \(reason.text)") }
            }
        }
        return lines
    }
}

extension String {
    /// This text followed by spaces up to `width` characters.
    fileprivate func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
