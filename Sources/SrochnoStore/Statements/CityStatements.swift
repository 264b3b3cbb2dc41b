import SrochnoPostgres

/// Every known city, in list order.
struct AllCities: PostgresStatement {
    static let statement = PreparedStatement("cities_all", "SELECT name FROM cities ORDER BY position")
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> String { try row.string(0) }
}
