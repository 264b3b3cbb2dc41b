import SrochnoCore
@testable import SrochnoTelegramAuth
import Testing

@Suite struct InitDataSignerTests {
    @Test func userJSONHasTelegramsKeysAndLeavesOutAbsentOnes() {
        #expect(InitDataSigner.userJSON(id: 1, firstName: "A") == #"{"id":1,"first_name":"A"}"#)
        #expect(
            InitDataSigner.userJSON(id: -2, firstName: "A \"B\"", lastName: "C", username: "d", languageCode: "ru")
                == #"{"id":-2,"first_name":"A \"B\"","last_name":"C","username":"d","language_code":"ru"}"#)
    }

    @Test func percentEncodesEverythingButUnreservedCharacters() {
        #expect(PercentEncoding.encode("Az09-._~") == "Az09-._~")
        #expect(PercentEncoding.encode(#" +&=/\"{}%"#) == "%20%2B%26%3D%2F%5C%22%7B%7D%25")
        #expect(PercentEncoding.encode("Я😀") == "%D0%AF%F0%9F%98%80")
    }

    @Test func keepsFieldOrderAndAppendsTheHash() throws {
        let signed = InitDataSigner.hmac(botToken: "1:a", fields: [("z", "1"), ("a", "x y")])
        #expect(signed.hasPrefix("z=1&a=x%20y&hash="))
        let hash = try #require(signed.encodedValue(of: "hash"))
        #expect(hash.utf8.count == 64)
        #expect(hash == hash.lowercased())
    }

    @Test func replacesAHashAlreadyAmongTheFields() {
        let signed = InitDataSigner.hmac(botToken: "1:a", fields: [("a", "1"), ("hash", "stale")])
        #expect(!signed.contains("stale"))
        #expect(signed == InitDataSigner.hmac(botToken: "1:a", fields: [("a", "1")]))
    }
}
