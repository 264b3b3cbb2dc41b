import Glibc

/// Settings that scripts/test exports for the database suites. A missing one fails the test
/// with a hint; nothing here ever skips.
enum TestEnvironment {
    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "\(name) is not set: run the tests through scripts/test, which starts the stack" }
    }

    static func required(_ name: String) throws -> String {
        guard let value = getenv(name).map({ String(cString: $0) }), !value.isEmpty else { throw Missing(name: name) }
        return value
    }

    /// libpq conninfo of the `postgres` database, for creating and dropping scratch databases.
    static func adminDatabaseURL() throws -> String { try required("SROCHNO_TEST_ADMIN_DATABASE_URL") }

    /// A migrated database nobody connects to, cloned by `ScratchDatabase`.
    static func templateDatabase() throws -> String { try required("SROCHNO_TEST_TEMPLATE_DATABASE") }

    /// The release build of `srochno-autoclose`.
    static func autocloseBinary() throws -> String { try required("SROCHNO_TEST_AUTOCLOSE_BIN") }

    /// The release build of `srochno-reconcile`.
    static func reconcileBinary() throws -> String { try required("SROCHNO_TEST_RECONCILE_BIN") }

    /// The release build of `srochno-adopt`.
    static func adoptBinary() throws -> String { try required("SROCHNO_TEST_ADOPT_BIN") }
}
