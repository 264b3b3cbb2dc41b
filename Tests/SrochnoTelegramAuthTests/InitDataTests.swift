import SrochnoCore
import SrochnoTelegramAuth
import Testing

@Suite struct InitDataTests {
    private func parse(_ text: String) throws(InitDataFormatError) -> InitData { try InitData.parse(text) }

    @Test func separatesHashAndSortsTheRestByKey() throws {
        let data = try parse("user=%7B%7D&auth_date=1700000000&signature=c2ln&query_id=Q+1&hash=abc")
        #expect(data.hash == "abc")
        #expect(data.signature == "c2ln")
        #expect(data.authDate == 1_700_000_000)
        #expect(data.userJSON == "{}")
        #expect(data.sortedFields.map(\.key) == ["auth_date", "query_id", "signature", "user"])
        #expect(data.sortedFields.map(\.value) == ["1700000000", "Q 1", "c2ln", "{}"])
    }

    @Test func hmacDataCheckStringKeepsTheSignature() throws {
        let data = try parse("user=u&auth_date=5&signature=s&hash=h")
        #expect(String(decoding: data.hmacDataCheckString, as: UTF8.self) == "auth_date=5\nsignature=s\nuser=u")
    }

    @Test func ed25519DataCheckStringStartsWithTheBotIDAndDropsTheSignature() throws {
        let data = try parse("user=u&auth_date=5&signature=s&hash=h&chat_type=sender")
        #expect(
            String(decoding: data.ed25519DataCheckString(botID: 12345), as: UTF8.self)
                == "12345:WebAppData\nauth_date=5\nchat_type=sender\nuser=u")
    }

    @Test func sortsByBytesNotByUnicodeCollation() {
        let text = InitData.dataCheckString([("b", "1"), ("B", "2"), ("a_b", "3"), ("a", "4"), ("é", "5"), ("z", "6")])
        #expect(String(decoding: text, as: UTF8.self) == "B=2\na=4\na_b=3\nb=1\nz=6\né=5")
        // Swift's String `<` compares normalized text: a decomposed "é" would sort after "f".
        let decomposed = InitData.dataCheckString([("f", "1"), ("e\u{301}", "2")])
        #expect(decomposed == Array("e\u{301}=2\nf=1".utf8))
    }

    @Test func keepsValuesExactlyAsDecoded() throws {
        let data = try parse(#"user=%7B%22u%22%3A%22a%5C%2Fb%22%7D&auth_date=1&hash=h"#)
        #expect(data.userJSON == #"{"u":"a\/b"}"#)
    }

    @Test(arguments: [
        ("user=u&auth_date=1", "missing hash"),
        ("user=u&hash=h", "missing auth_date"),
        ("auth_date=1&hash=h", "missing user"),
        ("user=u&auth_date=1x&hash=h", "invalid auth_date"),
        ("user=u&auth_date=-1&hash=h", "invalid auth_date"),
        ("user=u&auth_date=&hash=h", "invalid auth_date"),
        ("user=u&auth_date=1&hash=h&hash=h", "duplicate field"),
        ("user=u&user=u&auth_date=1&hash=h", "duplicate field"),
        ("user=%ZZ&auth_date=1&hash=h", "malformed"),
        ("user=%C3%28&auth_date=1&hash=h", "malformed"),
        ("user=a%0Ab&auth_date=1&hash=h", "malformed"),
        ("us%0Aer=u&auth_date=1&hash=h", "malformed"),
        ("", "missing hash"),
    ])
    func rejectsBrokenStructure(text: String, reason: String) {
        #expect(throws: InitDataFormatError(reason: reason)) { try InitData.parse(text) }
    }

    @Test func signatureIsOptional() throws {
        #expect(try parse("user=u&auth_date=1&hash=h").signature == nil)
    }
}
