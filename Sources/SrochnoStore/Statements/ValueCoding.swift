public import SrochnoCore
public import SrochnoPostgres

extension Instant: PostgresParameter {
    /// RFC 3339 with microseconds, which `$n::timestamptz` reads exactly.
    public var postgresText: String? {
        let millisText = rfc3339.dropLast()  // "…ss.mmmZ" → "…ss.mmm"
        let extraMicros = ((microseconds % 1000) + 1000) % 1000
        let micros = String(extraMicros)
        return millisText + String(repeating: "0", count: 3 - micros.count) + micros + "Z"
    }
}

extension PostgresRow {
    /// A timestamp the SQL selected as `epoch_us(…)`: whole microseconds since the epoch.
    func instant(_ column: Int) throws(PostgresDecodingError) -> Instant {
        Instant(microseconds: try int(column))
    }

    func optionalInstant(_ column: Int) throws(PostgresDecodingError) -> Instant? {
        try optionalInt(column).map(Instant.init(microseconds:))
    }
}
