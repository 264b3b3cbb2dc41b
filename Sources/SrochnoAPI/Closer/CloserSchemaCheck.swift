public import SrochnoPostgres

/// The database lacks the tables or functions the closer runs on: it was never migrated, or
/// only partly.
public struct SchemaNotMigrated: Error, Sendable, CustomStringConvertible {
    public var description: String {
        "the database schema is not migrated (no orders or order_counts table, or no apply_due_transitions function): run srochno-migrate first"
    }
}

extension OrderCloser {
    /// Throws `SchemaNotMigrated` when the database lacks what `run` needs, so an unmigrated
    /// database fails with a clear message instead of an SQL error from the first batch.
    public static func verifySchema(_ connection: PostgresConnection) throws {
        let found = try connection.execute(sql: """
            SELECT to_regclass('orders') IS NOT NULL AND to_regclass('order_counts') IS NOT NULL
               AND to_regprocedure('apply_due_transitions(text[], timestamptz)') IS NOT NULL
            """)
        guard found.bool(0, 0) == true else { throw SchemaNotMigrated() }
    }
}
