import SrochnoPostgres
import Testing

@Suite struct PostgresParameterTests {
    @Test func stringsAreSentAsThemselves() {
        #expect("abc".postgresText == "abc")
        #expect("".postgresText == "")
        #expect("Иван, \"q\" \\ {}".postgresText == "Иван, \"q\" \\ {}")
        #expect("NULL".postgresText == "NULL")
    }

    @Test func integersAreDecimal() {
        #expect(0.postgresText == "0")
        #expect(42.postgresText == "42")
        #expect((-7).postgresText == "-7")
        #expect(Int.max.postgresText == "9223372036854775807")
        #expect(Int.min.postgresText == "-9223372036854775808")
        #expect(Int64.max.postgresText == "9223372036854775807")
        #expect(Int64(-1).postgresText == "-1")
        #expect(Int32.max.postgresText == "2147483647")
        #expect(Int32.min.postgresText == "-2147483648")
    }

    @Test func booleansAreTOrF() {
        #expect(true.postgresText == "t")
        #expect(false.postgresText == "f")
    }

    @Test func optionalsAreNullWhenNone() {
        #expect((nil as Int?).postgresText == nil)
        #expect((5 as Int?).postgresText == "5")
        #expect((nil as String?).postgresText == nil)
        #expect(("" as String?).postgresText == "")
        #expect((nil as Bool?).postgresText == nil)
        #expect((false as Bool?).postgresText == "f")
        #expect((nil as Int64?).postgresText == nil)
        #expect((Int32(3) as Int32?).postgresText == "3")
        #expect((.some(nil) as Int??).postgresText == nil)
        #expect((nil as [String]?).postgresText == nil)
    }

    @Test func stringArraysAreQuotedLiterals() {
        #expect([String]().postgresText == "{}")
        #expect(["a"].postgresText == #"{"a"}"#)
        #expect(["a", "b c"].postgresText == #"{"a","b c"}"#)
        #expect([#"say "hi""#, #"back\slash"#].postgresText == #"{"say \"hi\"","back\\slash"}"#)
        // Quoted, so an element spelled NULL stays a string and an empty one stays empty.
        #expect(["NULL", ""].postgresText == #"{"NULL",""}"#)
        #expect(["a,b", "{x}", "Иван"].postgresText == #"{"a,b","{x}","Иван"}"#)
    }

    /// What `PostgresConnection.execute` sends for a mixed parameter list.
    @Test func mixedParameterListsMapElementwise() {
        let parameters: [any PostgresParameter] = [1, "x", nil as Int64?, true, ["a"], Int32(2)]
        #expect(parameters.map(\.postgresText) == ["1", "x", nil, "t", #"{"a"}"#, "2"])
    }
}
