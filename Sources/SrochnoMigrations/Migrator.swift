import Glibc
import SrochnoCore
public import SrochnoPostgres
import SrochnoSystem

/// Applies `sql/NNNN_name.sql` files in order, each in its own transaction together with its
/// row in `schema_migrations`, so a failed file leaves nothing behind and a second run applies
/// nothing. An advisory lock makes concurrent runs (two hosts deploying at once) wait for
/// each other instead of racing.
public struct Migrator {
    public struct Migration: Sendable {
        public let version: String
        public let sql: String
    }

    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The migration files of `directory`, sorted by name; other files are ignored.
    public func migrations() throws(MigrationError) -> [Migration] {
        guard let handle = opendir(directory) else {
            throw MigrationError("cannot open migrations directory \(directory)")
        }
        defer { closedir(handle) }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasSuffix(".sql"), name.first?.isNumber == true { names.append(name) }
        }
        return try names.sorted().map { name throws(MigrationError) in
            guard let sql = readTextFile(directory + "/" + name) else {
                throw MigrationError("cannot read \(directory)/\(name) as UTF-8")
            }
            return Migration(version: String(name.dropLast(4)), sql: sql)
        }
    }

    /// Applies what is pending; returns the versions applied now.
    public func migrate(_ connection: PostgresConnection) throws -> [String] {
        let files = try migrations()
        try connection.execute(sql: "SET client_min_messages = warning")
        try connection.execute(
            sql: """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version text PRIMARY KEY,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """)
        try connection.execute(sql: "SELECT pg_advisory_lock(\(AdvisoryLock.migrations.rawValue))")
        defer { _ = try? connection.execute(sql: "SELECT pg_advisory_unlock(\(AdvisoryLock.migrations.rawValue))") }
        let applied = try connection.execute(sql: "SELECT version FROM schema_migrations")
        let done = Set((0..<applied.rowCount).compactMap { applied.string($0, 0) })
        var appliedNow: [String] = []
        for migration in files where !done.contains(migration.version) {
            try connection.transaction {
                try connection.execute(sql: migration.sql)
                try connection.execute(sql: "INSERT INTO schema_migrations (version) VALUES ($1)", [migration.version])
            }
            appliedNow.append(migration.version)
        }
        return appliedNow
    }
}

public struct MigrationError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
