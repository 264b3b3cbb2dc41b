import CLibPQ

/// Owns one `PGresult` and frees it when released, so no code path can leak one.
/// Values are read in text format; accessors return nil for SQL NULL.
public final class PostgresResult {
    private let handle: OpaquePointer

    init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit { PQclear(handle) }

    public var rowCount: Int { Int(PQntuples(handle)) }
    public var columnCount: Int { Int(PQnfields(handle)) }
    /// Rows touched by an INSERT/UPDATE/DELETE without RETURNING.
    public var affectedRows: Int { Int(String(cString: PQcmdTuples(handle))) ?? 0 }

    public func isNull(_ row: Int, _ column: Int) -> Bool {
        PQgetisnull(handle, Int32(row), Int32(column)) == 1
    }

    public func string(_ row: Int, _ column: Int) -> String? {
        guard !isNull(row, column), let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return nil }
        return String(cString: value)
    }

    public func int(_ row: Int, _ column: Int) -> Int64? {
        guard !isNull(row, column), let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return nil }
        return parseInt64(value)
    }

    public func bool(_ row: Int, _ column: Int) -> Bool? {
        guard !isNull(row, column), let value = PQgetvalue(handle, Int32(row), Int32(column)) else { return nil }
        return value.pointee == UInt8(ascii: "t")
    }

    /// A `text[]` column in PostgreSQL's array literal format, for simple elements.
    public func stringArray(_ row: Int, _ column: Int) -> [String]? {
        guard let literal = string(row, column) else { return nil }
        return parseTextArray(literal)
    }

    /// Parses digits in place, without going through a `String`.
    private func parseInt64(_ text: UnsafePointer<CChar>) -> Int64? {
        var pointer = text
        var negative = false
        if pointer.pointee == CChar(UInt8(ascii: "-")) {
            negative = true
            pointer += 1
        }
        var value: Int64 = 0
        var sawDigit = false
        while pointer.pointee != 0 {
            let digit = Int64(pointer.pointee) - 48
            guard digit >= 0, digit <= 9 else { return nil }
            let (multiplied, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (added, overflow2) = multiplied.addingReportingOverflow(negative ? -digit : digit)
            guard !overflow1, !overflow2 else { return nil }
            value = added
            sawDigit = true
            pointer += 1
        }
        return sawDigit ? value : nil
    }
}

/// Parses a one-dimensional PostgreSQL array literal of text (`{a,"b c",NULL}`); NULL elements are dropped.
func parseTextArray(_ literal: String) -> [String] {
    var elements: [String] = []
    var scalars = Array(literal.unicodeScalars)
    guard scalars.first == "{", scalars.last == "}" else { return [] }
    scalars = Array(scalars.dropFirst().dropLast())
    var index = 0
    while index < scalars.count {
        var element = String.UnicodeScalarView()
        var quoted = false
        if scalars[index] == "\"" {
            quoted = true
            index += 1
            while index < scalars.count, scalars[index] != "\"" {
                if scalars[index] == "\\", index + 1 < scalars.count { index += 1 }
                element.append(scalars[index])
                index += 1
            }
            index += 1
        } else {
            while index < scalars.count, scalars[index] != "," {
                element.append(scalars[index])
                index += 1
            }
        }
        let text = String(element)
        if quoted || text != "NULL" { elements.append(text) }
        index += 1  // the comma
    }
    return elements
}
