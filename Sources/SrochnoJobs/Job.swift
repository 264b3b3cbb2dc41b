public import SrochnoCore
public import SrochnoPostgres

/// A oneshot job, started by a systemd timer (or by hand): it works against one connection at
/// one moment and says in one line what it did. `JobRunner` gives every job the same command
/// line, configuration, exit codes and summary line.
public protocol Job {
    /// The executable's name, which starts every line it prints.
    static var name: String { get }
    /// The options it takes, each `--name N` with a range and a default.
    static var options: [JobOption] { get }
    /// Builds the job from its parsed options (`options[name]` is always set), before any
    /// connection. A job that needs more settings than the database URL loads them here
    /// (`ConfigLoader.load()`), so a bad configuration ends the run before it starts.
    init(options: [String: Int]) throws
    /// Throws `SchemaNotMigrated` when the database lacks what `run` needs.
    func verifySchema(_ connection: PostgresConnection) throws
    /// Does the work; returns the summary's `key=value` fields, in order.
    func perform(_ connection: PostgresConnection, now: Instant) throws -> [(String, String)]
}

/// A numeric command-line option of a job.
public struct JobOption: Sendable {
    public let name: String
    public let range: ClosedRange<Int>
    public let defaultValue: Int
    public let help: String

    public init(name: String, range: ClosedRange<Int>, defaultValue: Int, help: String) {
        self.name = name
        self.range = range
        self.defaultValue = defaultValue
        self.help = help
    }
}

/// The database lacks the tables or functions a job runs on: it was never migrated, or only
/// partly.
public struct SchemaNotMigrated: Error, Sendable, CustomStringConvertible {
    public let missing: String

    public init(missing: String) { self.missing = missing }

    public var description: String { "the database schema is not migrated (no \(missing)): run srochno-migrate first" }
}
