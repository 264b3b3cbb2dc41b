import CLibPQ
import Glibc
@testable import SrochnoPostgres
import Testing

/// A `PostgresResult` with the given text values (nil: SQL NULL), built with libpq's own
/// result constructors, as the server's would be read: text format, no server needed.
func makeResult(columns: [String], rows: [[String?]]) -> PostgresResult {
    let handle = PQmakeEmptyPGresult(nil, PGRES_TUPLES_OK)!
    let names = columns.map { strdup($0) }
    defer { names.forEach { free($0) } }
    var attributes = names.map { name in
        PGresAttDesc(name: name, tableid: 0, columnid: 0, format: 0, typid: 25, typlen: -1, atttypmod: -1)
    }
    precondition(PQsetResultAttrs(handle, Int32(attributes.count), &attributes) == 1)
    for (rowIndex, row) in rows.enumerated() {
        for (columnIndex, value) in row.enumerated() {
            let stored: Int32
            if let value {
                var bytes = Array(value.utf8CString)
                stored = PQsetvalue(handle, Int32(rowIndex), Int32(columnIndex), &bytes, Int32(bytes.count - 1))
            } else {
                stored = PQsetvalue(handle, Int32(rowIndex), Int32(columnIndex), nil, -1)
            }
            precondition(stored == 1)
        }
    }
    return PostgresResult(handle: handle)
}

@Suite struct PostgresResultTests {
    @Test func countsRowsAndColumns() {
        let result = makeResult(columns: ["id", "name", "active"], rows: [["1", "a", "t"], ["2", "b", "f"]])
        #expect(result.rowCount == 2)
        #expect(result.columnCount == 3)
        // A SELECT's result has no affected-row count; PQcmdTuples gives "".
        #expect(result.affectedRows == 0)

        let empty = makeResult(columns: ["id"], rows: [])
        #expect(empty.rowCount == 0)
        #expect(empty.columnCount == 1)
    }

    @Test func readsTextAndTellsNullFromEmpty() {
        let result = makeResult(columns: ["a", "b", "c", "d"], rows: [["hello", "", nil, "Иван \"q\" \\ ,{}"]])
        #expect(result.string(0, 0) == "hello")
        #expect(result.string(0, 1) == "")
        #expect(result.isNull(0, 1) == false)
        #expect(result.string(0, 2) == nil)
        #expect(result.isNull(0, 2) == true)
        #expect(result.string(0, 3) == "Иван \"q\" \\ ,{}")
    }

    @Test(arguments: [
        ("0", 0 as Int64?),
        ("42", 42),
        ("-17", -17),
        ("007", 7),
        ("-0", 0),
        ("9223372036854775807", Int64.max),
        ("-9223372036854775808", Int64.min),
        ("9223372036854775808", nil),
        ("-9223372036854775809", nil),
        ("99999999999999999999", nil),
        ("", nil),
        ("-", nil),
        ("+5", nil),
        (" 5", nil),
        ("5 ", nil),
        ("1.5", nil),
        ("1e3", nil),
        ("12a", nil),
        ("٣", nil),
        ("t", nil),
    ])
    func readsIntegers(_ text: String, _ expected: Int64?) {
        let result = makeResult(columns: ["n"], rows: [[text]])
        #expect(result.int(0, 0) == expected)
    }

    @Test func readsNullIntegerAsNil() {
        let result = makeResult(columns: ["n"], rows: [[nil]])
        #expect(result.int(0, 0) == nil)
    }

    @Test func readsBooleans() {
        // PostgreSQL's text output of boolean is exactly "t" or "f".
        let result = makeResult(columns: ["a", "b", "c"], rows: [["t", "f", nil]])
        #expect(result.bool(0, 0) == true)
        #expect(result.bool(0, 1) == false)
        #expect(result.bool(0, 2) == nil)
    }

    @Test func readsCellsByRowAndColumn() {
        let result = makeResult(columns: ["id", "note"], rows: [["1", nil], ["2", "second"], [nil, "third"]])
        #expect(result.int(0, 0) == 1)
        #expect(result.string(0, 1) == nil)
        #expect(result.int(1, 0) == 2)
        #expect(result.string(1, 1) == "second")
        #expect(result.int(2, 0) == nil)
        #expect(result.isNull(2, 0))
        #expect(result.string(2, 1) == "third")
        // The same text read as text and as an integer.
        #expect(result.string(1, 0) == "2")
    }

    @Test(arguments: [
        ("{}", [String]()),
        ("{a}", ["a"]),
        ("{a,b,c}", ["a", "b", "c"]),
        (#"{a,"b c",NULL}"#, ["a", "b c"]),
        (#"{"NULL",NULL}"#, ["NULL"]),
        (#"{""}"#, [""]),
        (#"{"",x}"#, ["", "x"]),
        (#"{"say \"hi\"","back\\slash","a,b","{x}"}"#, [#"say "hi""#, #"back\slash"#, "a,b", "{x}"]),
        ("{Иван,Пётр}", ["Иван", "Пётр"]),
        ("not an array", []),
        ("", []),
    ])
    func readsTextArrays(_ literal: String, _ expected: [String]) {
        #expect(parseTextArray(literal) == expected)
        let result = makeResult(columns: ["list"], rows: [[literal]])
        #expect(result.stringArray(0, 0) == expected)
    }

    @Test func readsNullArrayAsNil() {
        let result = makeResult(columns: ["list"], rows: [[nil]])
        #expect(result.stringArray(0, 0) == nil)
    }

    @Test func arrayParameterTextReadsBackAsTheSameElements() {
        let elements = ["plain", "with space", #"quote " inside"#, #"back\slash"#, "comma,brace}{", "NULL", "", "Иван"]
        #expect(elements.postgresText.map(parseTextArray) == elements)
    }
}
