import SrochnoCore
import SrochnoPostgres
import SrochnoStore  // timestamps as statement parameters

// The import's own tables (sql/0011): the adoption moment, each pass's position, the report's
// counts and the notes the verification reads. Every batch writes them in its own transaction.

/// The adoption moment and the old head, once the first run fixed them.
struct AdoptionMoment: PostgresStatement {
    static let statement = PreparedStatement("adopt_moment", "SELECT epoch_us(moment), source_head FROM adoption")
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> (moment: Instant, head: String) {
        (Instant(microseconds: try row.int(0)), try row.string(1))
    }
}

/// Fixes the adoption moment unless a run before did.
struct FixAdoptionMoment: PostgresCommand {
    static let statement = PreparedStatement(
        "adopt_fix_moment",
        """
        INSERT INTO adoption (moment, source_head) VALUES ($1::timestamptz, $2) ON CONFLICT DO NOTHING
        """)
    let moment: Instant
    let head: String
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [moment, head] }
}

struct PassProgress: PostgresStatement {
    static let statement = PreparedStatement(
        "adopt_pass_progress", "SELECT last_key, done FROM adoption_progress WHERE pass = $1")
    let pass: String
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [pass] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> (lastKey: String, done: Bool) {
        (try row.string(0), try row.bool(1))
    }
}

struct SavePassProgress: PostgresCommand {
    static let statement = PreparedStatement(
        "adopt_save_pass_progress",
        """
        INSERT INTO adoption_progress (pass, last_key, done) VALUES ($1, $2, $3::boolean)
        ON CONFLICT (pass) DO UPDATE SET last_key = excluded.last_key, done = excluded.done
        """)
    let pass: String
    let lastKey: String
    let done: Bool
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [pass, lastKey, done] }
}

/// Adds a batch's counts to the report's.
struct RecordCounts: PostgresCommand {
    static let statement = PreparedStatement(
        "adopt_record_counts",
        """
        INSERT INTO adoption_counts AS c (source, outcome, reason, rows)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bigint[])
        ON CONFLICT (source, outcome, reason) DO UPDATE SET rows = c.rows + excluded.rows
        """)
    let counts: [(Tally.Key, Int64)]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] {
        [
            ArrayParameter(counts.map(\.0.table.rawValue)), ArrayParameter(counts.map(\.0.outcome.rawValue)),
            ArrayParameter(counts.map(\.0.reason)), ArrayParameter(counts.map(\.1)),
        ]
    }
}

struct RecordNotes: PostgresCommand {
    static let statement = PreparedStatement(
        "adopt_record_notes",
        """
        INSERT INTO adoption_notes (source, source_id, outcome, reason, order_id, target_id, status)
        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[])
        ON CONFLICT (source, source_id) DO NOTHING
        """)
    let notes: [Tally.Note]
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] {
        [
            ArrayParameter(notes.map(\.table.rawValue)), ArrayParameter(notes.map(\.sourceID)),
            ArrayParameter(notes.map(\.outcome.rawValue)), ArrayParameter(notes.map(\.reason)), ArrayParameter(notes.map(\.orderID)),
            ArrayParameter(notes.map(\.targetID)), ArrayParameter(notes.map { $0.status?.rawValue }),
        ]
    }
}

/// Every count, for the report.
struct AllCounts: PostgresStatement {
    static let statement = PreparedStatement(
        "adopt_all_counts", "SELECT source, outcome, reason, rows FROM adoption_counts ORDER BY source, outcome, reason")
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> (source: String, outcome: String, reason: String, rows: Int64) {
        (try row.string(0), try row.string(1), try row.string(2), try row.int(3))
    }
}

struct TargetCities: PostgresStatement {
    static let statement = PreparedStatement("adopt_cities", "SELECT name FROM cities ORDER BY position")
    var prepared: PreparedStatement { Self.statement }
    var bindings: [any PostgresParameter] { [] }
    func decode(_ row: PostgresRow) throws(PostgresDecodingError) -> String { try row.string(0) }
}
