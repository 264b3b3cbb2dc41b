import Glibc
import SrochnoConfig
import SrochnoCore
import SrochnoMigrations
import SrochnoPostgres
import SrochnoSystem

// srochno-migrate [--dir DIR] | --version: applies pending sql/ migrations to SROCHNO_MIGRATE_DATABASE_URL
// (the schema owner's role), or SROCHNO_DATABASE_URL without it.

var directory = "sql"
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--dir":
        guard let value = arguments.popFirst() else {
            StandardError.write(line: "srochno-migrate: --dir needs a directory")
            exit(2)
        }
        directory = value
    case "-h", "--help":
        print(
            "usage: srochno-migrate [--dir DIR] | --version   (default DIR: sql; database from SROCHNO_MIGRATE_DATABASE_URL, "
                + "else SROCHNO_DATABASE_URL, or SROCHNO_CONFIG)")
        exit(0)
    case "--version":
        print(BuildVersion.line(program: "srochno-migrate"))
        exit(0)
    default:
        StandardError.write(line: "srochno-migrate: unknown argument \(argument)")
        exit(2)
    }
}

do {
    let databaseURL = try ConfigLoader.migrateDatabaseURL()
    let connection = try PostgresConnection(conninfo: databaseURL)
    let applied = try Migrator(directory: directory).migrate(connection)
    print(applied.isEmpty ? "srochno-migrate: up to date" : "srochno-migrate: applied \(applied.joined(separator: ", "))")
} catch {
    // The usual cause: the migrations connected as the runtime role, which may not change the
    // schema (sql/setup/roles.sql), because SROCHNO_MIGRATE_DATABASE_URL is missing.
    let text = "\(error)"
    let hint =
        text.contains("permission denied") || text.contains("must be owner")
        ? " (migrations must connect as the schema owner, srochno_owner: set SROCHNO_MIGRATE_DATABASE_URL; README, Operations, step 3)"
        : ""
    StandardError.write(line: "srochno-migrate: \(text)\(hint)")
    exit(1)
}
