import SrochnoPostgres
import Testing

@Suite struct PostgresErrorTests {
    private func server(_ sqlState: String?) -> PostgresError {
        PostgresError(kind: .server, sqlState: sqlState, message: "m")
    }

    @Test func constraintViolationsByExactSQLState() {
        #expect(server("23505").isUniqueViolation)
        #expect(!server("23505").isCheckViolation)
        #expect(!server("23505").isForeignKeyViolation)
        #expect(server("23514").isCheckViolation)
        #expect(!server("23514").isUniqueViolation)
        #expect(server("23503").isForeignKeyViolation)
        #expect(!server("23503").isUniqueViolation)
        for other in ["23502", "23000", "2350", "235055", "40001", nil] as [String?] {
            #expect(!server(other).isUniqueViolation)
            #expect(!server(other).isCheckViolation)
            #expect(!server(other).isForeignKeyViolation)
        }
    }

    @Test(arguments: [
        ("40001", true),  // serialization_failure
        ("40P01", true),  // deadlock_detected
        ("40002", false),  // transaction_integrity_constraint_violation
        ("40003", false),  // statement_completion_unknown
        ("40000", false),
        ("23505", false),
        ("57014", false),
    ])
    func retryableIsSerializationFailureOrDeadlock(_ sqlState: String, _ expected: Bool) {
        #expect(server(sqlState).isRetryable == expected)
    }

    @Test func noSQLStateIsNeitherRetryableNorAViolation() {
        let error = PostgresError(kind: .connection, message: "connection refused")
        #expect(!error.isRetryable)
        #expect(!error.isUniqueViolation)
        #expect(error.sqlState == nil)
        #expect(error.constraint == nil)
    }

    @Test(arguments: [
        ("57014", true),  // query_canceled
        ("57P01", true),  // admin_shutdown
        ("57P03", true),  // cannot_connect_now
        ("08006", true),  // connection_failure
        ("08P01", true),  // protocol_violation
        ("53300", false),  // too_many_connections, as a server error
        ("40001", false),
        ("23505", false),
        ("5701", true),  // by class prefix only
    ])
    func serverErrorsAreUnavailableByClass(_ sqlState: String, _ expected: Bool) {
        #expect(server(sqlState).isUnavailable == expected)
    }

    @Test func connectionErrorsAreAlwaysUnavailable() {
        #expect(PostgresError(kind: .connection, message: "gone").isUnavailable)
        #expect(PostgresError(kind: .connection, sqlState: "23505", message: "gone").isUnavailable)
        #expect(!server(nil).isUnavailable)
    }

    @Test func queryCanceledIsItsSQLStateAndUnavailable() {
        #expect(PostgresError.queryCanceled == "57014")
        let error = PostgresError(kind: .server, sqlState: PostgresError.queryCanceled, message: "deadline")
        #expect(error.isUnavailable)
        #expect(!error.isRetryable)
    }

    @Test func descriptionNamesStateMessageAndConstraint() {
        #expect(
            PostgresError(kind: .connection, message: "no connection").description
                == "PostgreSQL error: no connection")
        #expect(server("40001").description == "PostgreSQL error 40001: m")
        #expect(
            PostgresError(kind: .server, sqlState: "23505", message: "duplicate key", constraint: "orders_contact_key").description
                == "PostgreSQL error 23505: duplicate key (constraint orders_contact_key)")
        #expect(
            PostgresError(kind: .server, message: "odd", constraint: "c").description
                == "PostgreSQL error: odd (constraint c)")
    }
}
