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
