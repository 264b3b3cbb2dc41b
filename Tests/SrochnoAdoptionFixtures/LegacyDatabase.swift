import Glibc
public import SrochnoPostgres
import SrochnoTestSupport

/// A database of the old backend's schema (Tests/Fixtures/legacy-0c7e1efbbe2a.sql) of one
/// test's own, created through the test cluster's admin connection and dropped afterwards.
public struct LegacyDatabase: Sendable {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let name: String
    /// libpq conninfo of this database.
    public let conninfo: String

    public func connect() throws -> PostgresConnection {
        try PostgresConnection(conninfo: conninfo, sessionSetup: ["SET TIME ZONE 'UTC'"])
    }

    /// Creates the old schema in a new database, runs `body` and drops the database.
    /// `adminURL` is the test cluster's `dbname=postgres` conninfo.
    public static func with<T>(adminURL: String, _ body: (LegacyDatabase) throws -> T) throws -> T {
        guard adminURL.contains("dbname=postgres") else { throw Failure(description: "the admin URL must name dbname=postgres") }
        let name = "legacy_" + String(UInt64.random(in: 0...UInt64.max), radix: 16)
        let admin = try PostgresConnection(conninfo: adminURL)
        try admin.execute(sql: "CREATE DATABASE \"\(name)\"")
        defer { _ = try? admin.execute(sql: "DROP DATABASE IF EXISTS \"\(name)\" WITH (FORCE)") }
        let database = LegacyDatabase(name: name, conninfo: adminURL.replacingFirst("dbname=postgres", with: "dbname=\(name)"))
        try database.connect().execute(sql: try schema())
        return try body(database)
    }

    /// The old schema's DDL, read from the fixtures folder next to this target.
    public static func schema() throws -> String {
        let path = fixturesDirectory() + "/legacy-0c7e1efbbe2a.sql"
        guard let bytes = readWholeFile(path) else { throw Failure(description: "cannot read \(path)") }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func fixturesDirectory(file: String = #filePath) -> String {
        var parts = file.split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)  // SrochnoAdoptionFixtures/LegacyDatabase.swift
        return parts.joined(separator: "/") + "/Fixtures"
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = firstRange(of: target) else { return self }
        return self[..<range.lowerBound] + replacement + self[range.upperBound...]
    }
}
