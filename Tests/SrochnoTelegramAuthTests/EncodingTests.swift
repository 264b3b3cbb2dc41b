@testable import SrochnoTelegramAuth
import SrochnoCore
import SrochnoTestSupport
import Testing

@Suite struct HexTests {
    @Test func roundTripsAndAcceptsBothCases() {
        let bytes: [UInt8] = [0x00, 0x0f, 0xa5, 0xff]
        #expect(Hex.encode(bytes) == "000fa5ff")
        #expect(Hex.decode("000fa5ff") == bytes)
        #expect(Hex.decode("000FA5FF") == bytes)
        #expect(Hex.decode("") == [])
    }

    @Test(arguments: ["0", "abc", "0g", "  ", "0x00"])
    func rejectsInvalidText(_ text: String) {
        #expect(Hex.decode(text) == nil)
    }
}

@Suite struct Base64URLTests {
    @Test(arguments: [
        ("", [UInt8]()), ("Zg", Array("f".utf8)), ("Zm8", Array("fo".utf8)), ("Zm9v", Array("foo".utf8)),
        ("Zm9vYg", Array("foob".utf8)), ("-_-_", [0xfb, 0xff, 0xbf]),
    ])
    func decodesUnpaddedURLSafeText(text: String, bytes: [UInt8]) {
        #expect(Base64URL.decode(text) == bytes)
    }

    @Test func roundTripsEveryByteValue() {
        let bytes = (0...255).map { UInt8($0) }
        #expect(Base64URL.decode(base64URLEncoded(bytes)) == bytes)
    }

    /// Padding, the standard alphabet's `+` and `/`, impossible lengths, and non-zero spare bits.
    @Test(arguments: ["Zg==", "Zm8=", "+/+/", "Z", "Zm9vY", "Zh", "Zm9", "Zm!v"])
    func rejectsOtherSpellings(_ text: String) {
        #expect(Base64URL.decode(text) == nil)
    }
}
