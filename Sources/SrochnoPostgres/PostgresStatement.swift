/// One prepared statement with everything that belongs to it in one place, as postgres-nio's
/// `PostgresPreparedStatement` has it: its name and SQL, how its inputs bind to `$n`, and how
/// one result row decodes. Callers never read rows by position or assemble parameter lists;
/// an unexpected NULL or an unreadable value is a `PostgresDecodingError`, never a default.
public protocol PostgresStatement {
    associatedtype Row

    /// Name and SQL; a connection prepares it once per session and then executes it by name.
    var prepared: PreparedStatement { get }
    /// The values of `$1`, `$2`, … in order.
    var bindings: [any PostgresParameter] { get }
    /// One row of the result.
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> Row
}

/// A statement whose result has no rows to read (or whose rows nobody reads).
public protocol PostgresCommand: PostgresStatement where Row == Void {}

extension PostgresCommand {
    public func decode(_ row: PostgresRow) throws(PostgresDecodingError) {}
}

extension PostgresConnection {
    /// Every row of `statement`'s result, decoded.
    public func query<Statement: PostgresStatement>(_ statement: Statement) throws -> [Statement.Row] {
        let result = try execute(statement.prepared, statement.bindings)
        var rows: [Statement.Row] = []
        rows.reserveCapacity(result.rowCount)
        for index in 0..<result.rowCount {
            rows.append(try statement.decode(PostgresRow(result, index, statement: statement.prepared.name)))
        }
        return rows
    }

    /// The first row of `statement`'s result, decoded; nil when there is none.
    public func queryFirst<Statement: PostgresStatement>(_ statement: Statement) throws -> Statement.Row? {
        let result = try execute(statement.prepared, statement.bindings)
        guard result.rowCount > 0 else { return nil }
        return try statement.decode(PostgresRow(result, 0, statement: statement.prepared.name))
    }

    /// The one row `statement` must return; none is a `PostgresDecodingError`.
    public func queryOne<Statement: PostgresStatement>(_ statement: Statement) throws -> Statement.Row {
        guard let row = try queryFirst(statement) else {
            throw PostgresDecodingError(statement: statement.prepared.name, column: 0, expected: "one row, got none")
        }
        return row
    }

    /// Runs `statement`; returns the number of rows it returned or, without RETURNING, changed.
    @discardableResult
    public func run<Statement: PostgresCommand>(_ statement: Statement) throws -> Int {
        let result = try execute(statement.prepared, statement.bindings)
        return result.rowCount > 0 ? result.rowCount : result.affectedRows
    }
}
