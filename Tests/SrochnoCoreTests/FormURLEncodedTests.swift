import SrochnoCore
import Testing

@Suite struct FormURLEncodedTests {
    @Test func splitsOnAmpersandAndFirstEquals() throws {
        let pairs = try #require(FormURLEncoded.parse("a=1&b=x=y&&c&d="))
        #expect(pairs.map(\.key) == ["a", "b", "c", "d"])
        #expect(pairs.map(\.value) == ["1", "x=y", "", ""])
    }

    @Test func decodesPlusAndPercentEscapes() throws {
        let pairs = try #require(FormURLEncoded.parse("search=%D0%9C%D0%BE%D1%81%D0%BA%D0%B2%D0%B0+%D0%B3&x=a%2Bb%20c"))
        #expect(pairs[0].value == "Москва г")
        #expect(pairs[1].value == "a+b c")
    }

    @Test(arguments: ["a=%", "a=%2", "a=%zz", "a=%FF", "%C3%28=1"])
    func rejectsBrokenEscapesAndInvalidUTF8(_ text: String) {
        #expect(FormURLEncoded.parse(text) == nil)
    }
}
