public import SrochnoPostgres

/// The old database's session: every transaction in it is read-only, so no statement of the
/// import can change the database it reads, even by mistake.
public enum SourceConnection {
    public static let sessionSetup = ["SET default_transaction_read_only = on", "SET TIME ZONE 'UTC'"]

    public static func open(_ conninfo: String, connectTimeout: Int) throws -> PostgresConnection {
        try PostgresConnection(
            conninfo: withConnectionOptions(conninfo, connectTimeout: connectTimeout, applicationName: "srochno-adopt"),
            sessionSetup: sessionSetup)
    }
}
