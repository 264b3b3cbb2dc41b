/// A libpq failure. `sqlState` is the five-character SQLSTATE for server errors
/// (e.g. `23505` unique violation), nil when the connection itself failed.
public struct PostgresError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable {
        /// The connection is unusable (refused, reset, server gone); a reconnect may help.
        case connection
        /// The server rejected the statement; the connection is still fine.
        case server
    }

    public let kind: Kind
    public let sqlState: String?
    public let message: String
    public let constraint: String?

    public init(kind: Kind, sqlState: String? = nil, message: String, constraint: String? = nil) {
        self.kind = kind
        self.sqlState = sqlState
        self.message = message
        self.constraint = constraint
    }

    /// SQLSTATE of a cancelled statement (statement_timeout, a cancel request, a passed
    /// deadline); class 57, so `isUnavailable`.
    public static let queryCanceled = "57014"

    public var isUniqueViolation: Bool { sqlState == "23505" }
    public var isCheckViolation: Bool { sqlState == "23514" }
    public var isForeignKeyViolation: Bool { sqlState == "23503" }
    /// Serialization failure or deadlock: the transaction may simply be retried.
    public var isRetryable: Bool { sqlState == "40001" || sqlState == "40P01" }
    /// The server is shutting down or otherwise cannot serve (class 57, 08).
    public var isUnavailable: Bool {
        kind == .connection || (sqlState.map { $0.hasPrefix("57") || $0.hasPrefix("08") } ?? false)
    }

    public var description: String {
        var text = "PostgreSQL error"
        if let sqlState { text += " \(sqlState)" }
        text += ": \(message)"
        if let constraint { text += " (constraint \(constraint))" }
        return text
    }
}
