import SrochnoCore
import Testing

@Suite struct JSONParserTests {
    @Test func parsesNestedDocument() throws {
        let value = try JSONParser.parse(Array(#"{"a": [1, -2.5e1, "x\n\u00e9\ud83d\ude00", true, null], "b": {}}"#.utf8))
        #expect(value["a"] == .array([.int(1), .double(-25), .string("x\né😀"), .bool(true), .null]))
        #expect(value["b"] == .object([]))
    }

    @Test func lastDuplicateKeyWins() throws {
        #expect(try JSONParser.parse(Array(#"{"k":1,"k":2}"#.utf8))["k"] == .int(2))
    }

    @Test(arguments: [
        "", "{", "[1,]", "{\"a\":}", "01", "1.", "-", "\"\u{01}\"", "\"\\x\"", "[1] 2", "tru", "\"\\ud800\"", "{'a':1}", "NaN",
    ])
    func rejectsMalformedDocuments(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(text.utf8)) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError(reason: .invalidUTF8, offset: 0)) {
            try JSONParser.parse([0x22, 0xC3, 0x28, 0x22])
        }
    }

    @Test func boundsNestingDepth() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONParser.parse(Array(deep.utf8)) }
    }
}

@Suite struct JSONWriterTests {
    @Test func escapesAndKeepsKeyOrder() {
        var json = JSONWriter()
        json.beginObject()
        json.key("z"); json.value("a\"b\\c\n\u{1}/é")
        json.key("a"); json.beginArray(); json.value(Int64(1)); json.value(false); json.null(); json.endArray()
        json.key("m"); json.value(nil as String?)
        json.endObject()
        #expect(String(decoding: json.bytes, as: UTF8.self) == #"{"z":"a\"b\\c\n\u0001/é","a":[1,false,null],"m":null}"#)
    }

    /// Every ASCII character alone, doubled, and between other text (the writer copies the
    /// runs between escapes in bulk, so the edges of a run are where it could go wrong).
    @Test func escapesEveryASCIICharacterAtEveryPosition() throws {
        for code in UInt8(0)...0x7F {
            let character = String(UnicodeScalar(code))
            for text in [character, character + character, "ж" + character + "x", "ab" + character, character + "😀"] {
                var json = JSONWriter()
                json.value(text)
                #expect(try JSONParser.parse(json.bytes) == .string(text), "character \(code)")
                let raw = json.bytes.dropFirst().dropLast()
                #expect(!raw.contains { $0 < 0x20 || $0 == 0x7F }, "character \(code) left unescaped")
            }
        }
        var json = JSONWriter()
        json.value("\u{7F}\"\"")
        #expect(String(decoding: json.bytes, as: UTF8.self) == #""\u007f\"\"""#)
    }

    @Test func roundTripsThroughParser() throws {
        let original: JSONValue = .object([("k", .array([.string("😀\t"), .int(-7), .double(0.5)])), ("e", .object([]))])
        var json = JSONWriter()
        json.value(original)
        #expect(try JSONParser.parse(json.bytes) == original)
    }
}
