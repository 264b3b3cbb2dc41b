import SrochnoCore
import Testing

@Suite struct OrderIDTests {
    @Test func mapsEveryByteIntoTheURLSafeAlphabet() {
        let id = OrderID.make(randomBytes: Array(0...11).map { UInt8($0 * 21) })
        #expect(id.count == 12)
        #expect(OrderID.isWellFormed(id))
        #expect(OrderID.make(randomBytes: Array(repeating: 0, count: 12)) == "AAAAAAAAAAAA")
        #expect(OrderID.make(randomBytes: Array(repeating: 255, count: 12)) == "____________")
    }

    @Test(arguments: ["", "abc", "abcdefghijk!", "abcdefghijklm", "abcdefghijk/", "абвгдеёжзийк"])
    func rejectsMalformedIDs(_ text: String) {
        #expect(!OrderID.isWellFormed(text))
    }
}
