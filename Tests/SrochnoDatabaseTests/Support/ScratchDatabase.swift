import SrochnoPostgres
import Testing

/// A database of one test's own, cloned from the migrated template scripts/test prepares.
/// The closer settles every due order it can find, so a test that runs it must not share a
/// database with other tests. `with` drops the database afterwards, whatever happened.
struct ScratchDatabase: Sendable {
    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let name: String
    /// libpq conninfo of this database.
    let conninfo: String

    /// Creates a fresh copy of the migrated template, runs `body` and drops the copy.
    static func with<T>(_ body: (ScratchDatabase) throws -> T) throws -> T {
        try withDatabase(template: TestEnvironment.templateDatabase(), body)
    }

    /// The same with an empty, unmigrated database (PostgreSQL's default template).
    static func withUnmigrated<T>(_ body: (ScratchDatabase) throws -> T) throws -> T {
        try withDatabase(template: nil, body)
    }

    /// A new connection to this database; `statements` are prepared on connect.
    func connect(statements: [PreparedStatement] = []) throws -> PostgresConnection {
        try PostgresConnection(conninfo: conninfo, statements: statements)
    }

    private static func withDatabase<T>(template: String?, _ body: (ScratchDatabase) throws -> T) throws -> T {
        let adminURL = try TestEnvironment.adminDatabaseURL()
        let name = "scratch_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        guard adminURL.contains("dbname=postgres") else {
            throw Failure(description: "SROCHNO_TEST_ADMIN_DATABASE_URL must name dbname=postgres, got \(adminURL)")
        }
        let admin = try PostgresConnection(conninfo: adminURL)
        let templateClause = template.map { " TEMPLATE \(quoted($0))" } ?? ""
        try admin.execute(sql: "CREATE DATABASE \(quoted(name))\(templateClause)")
        defer {
            do {
                try admin.execute(sql: "DROP DATABASE IF EXISTS \(quoted(name)) WITH (FORCE)")
            } catch {
                Issue.record("could not drop scratch database \(name): \(error)")
            }
        }
        let scratch = ScratchDatabase(name: name, conninfo: adminURL.replacingFirst("dbname=postgres", with: "dbname=\(name)"))
        return try body(scratch)
    }

    /// An SQL identifier in double quotes (names here are generated or come from scripts/test).
    private static func quoted(_ identifier: String) -> String {
        "\"" + identifier.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
    }
}

extension String {
    /// This string with the first occurrence of `target` replaced.
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        return self[..<range.lowerBound] + replacement + self[range.upperBound...]
    }
}
