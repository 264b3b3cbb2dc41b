/// One row of a result, read by the statement that knows its columns. Required values throw
/// `PostgresDecodingError` when NULL or unreadable; optional ones return nil only for NULL.
public struct PostgresRow {
    private let result: PostgresResult
    public let index: Int
    /// The statement's name, for decoding errors.
    private let statement: String

    init(_ result: PostgresResult, _ index: Int, statement: String) {
        self.result = result
        self.index = index
        self.statement = statement
    }

    public func isNull(_ column: Int) -> Bool { result.isNull(index, column) }

    public func int(_ column: Int) throws(PostgresDecodingError) -> Int64 {
        guard let value = try optionalInt(column) else { throw failure(column, "an integer, got NULL") }
        return value
    }

    public func optionalInt(_ column: Int) throws(PostgresDecodingError) -> Int64? {
        if result.isNull(index, column) { return nil }
        guard let value = result.int(index, column) else { throw failure(column, "an integer") }
        return value
    }

    public func string(_ column: Int) throws(PostgresDecodingError) -> String {
        guard let value = optionalString(column) else { throw failure(column, "text, got NULL") }
        return value
    }

    public func optionalString(_ column: Int) -> String? { result.string(index, column) }

    public func bool(_ column: Int) throws(PostgresDecodingError) -> Bool {
        guard let value = result.bool(index, column) else { throw failure(column, "a boolean, got NULL") }
        return value
    }

    public func optionalBool(_ column: Int) -> Bool? { result.bool(index, column) }

    /// A `text[]` column.
    public func stringArray(_ column: Int) throws(PostgresDecodingError) -> [String] {
        guard let value = result.stringArray(index, column) else { throw failure(column, "a text array, got NULL") }
        return value
    }

    private func failure(_ column: Int, _ expected: String) -> PostgresDecodingError {
        PostgresDecodingError(statement: statement, column: column, expected: expected)
    }
}

/// A column a statement's decoding did not find as it expects: a schema and code that
/// disagree, never a condition to paper over with a default.
public struct PostgresDecodingError: Error, Sendable, CustomStringConvertible {
    public let statement: String
    public let column: Int
    public let expected: String

    public init(statement: String, column: Int, expected: String) {
        self.statement = statement
        self.column = column
        self.expected = expected
    }

    public var description: String { "statement \(statement), column \(column): expected \(expected)" }
}
