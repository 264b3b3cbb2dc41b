import SrochnoCore
@testable import SrochnoTelegramAuth
import Testing

@Suite struct HMACVerificationTests {
    @Test func acceptsCorrectlySignedDataAndReturnsTheUser() throws {
        let user = try Fixture.hmacVerifier().verify(Fixture.signed(), now: Fixture.now)
        #expect(user == Fixture.expectedUser)
    }

    /// Signed with Python's hmac/hashlib and urllib.parse.quote, not with this package.
    @Test func matchesAnIndependentlyComputedHash() throws {
        let initData =
            "query_id=AAHdF6IQAAAAAN0XohDhrOrc&user=%7B%22id%22%3A279058397%2C%22first_name%22%3A%22Vlad%20K%22%2C%22last_name%22%3A%22%D0%9A%D0%B8%D0%B1%D0%B5%D0%BD%D0%BA%D0%BE%22%2C%22username%22%3A%22vdkfrost%22%2C%22language_code%22%3A%22ru%22%2C%22photo_url%22%3A%22https%3A%5C%2F%5C%2Ft.me%5C%2Fi%5C%2Fuserpic%5C%2F320%5C%2Fabc.svg%22%7D&auth_date=1662771648&hash=5919472207073ec1b9e772316b32f2a71a0acbad153abe070d85af01ed2d234e"
        let verifier = try InitDataVerifier(
            mode: .hmac, botToken: "123456789:AAFake-known-answer_token", botID: nil, publicKeyHex: "",
            maxAgeSeconds: 0)
        let user = try verifier.verify(initData, now: Instant(seconds: 1_662_771_700))
        #expect(
            user
                == TelegramUser(
                    id: 279_058_397, firstName: "Vlad K", lastName: "Кибенко", username: "vdkfrost", languageCode: "ru"))
    }

    @Test func signerOutputIsTheSameHashAsTheIndependentVector() {
        let signed = InitDataSigner.hmac(
            botToken: "123456789:AAFake-known-answer_token",
            fields: [
                ("query_id", "AAHdF6IQAAAAAN0XohDhrOrc"),
                (
                    "user",
                    #"{"id":279058397,"first_name":"Vlad K","last_name":"Кибенко","username":"vdkfrost","language_code":"ru","photo_url":"https:\/\/t.me\/i\/userpic\/320\/abc.svg"}"#
                ),
                ("auth_date", "1662771648"),
            ])
        #expect(signed.encodedValue(of: "hash") == "5919472207073ec1b9e772316b32f2a71a0acbad153abe070d85af01ed2d234e")
    }

    @Test(arguments: [
        ("user", InitDataSigner.userJSON(id: 43, firstName: "Ada", lastName: "Lovelace", username: "ada", languageCode: "en")),
        ("user", Fixture.user + " "),
        ("auth_date", "1759999001"),
        ("query_id", "AAHdF6IQAAAAAN0Y"),
    ])
    func rejectsATamperedField(field: String, value: String) throws {
        let tampered = Fixture.signed().replacingField(field, with: value)
        #expect(Fixture.rejection(of: tampered, by: try Fixture.hmacVerifier()) == "hash mismatch")
    }

    @Test func rejectsATamperedHash() throws {
        let signed = Fixture.signed()
        let hash = try #require(signed.encodedValue(of: "hash"))
        let flipped = String(hash.dropLast()) + (hash.hasSuffix("0") ? "1" : "0")
        #expect(
            Fixture.rejection(of: signed.replacingField("hash", withEncoded: flipped), by: try Fixture.hmacVerifier())
                == "hash mismatch")
    }

    @Test func rejectsAnExtraField() throws {
        let extended = Fixture.signed() + "&start_param=promo"
        #expect(Fixture.rejection(of: extended, by: try Fixture.hmacVerifier()) == "hash mismatch")
    }

    @Test func rejectsDataSignedWithAnotherBotsToken() throws {
        let foreign = InitDataSigner.hmac(botToken: "7000000002:AAOtherBot", fields: Fixture.fields)
        #expect(Fixture.rejection(of: foreign, by: try Fixture.hmacVerifier()) == "hash mismatch")
    }

    @Test func acceptsFieldsInAnyOrderAndAnUppercaseHash() throws {
        let signed = Fixture.signed()
        let hash = try #require(signed.encodedValue(of: "hash"))
        let reordered =
            "hash=\(hash.uppercased())&"
            + signed.removingField("hash").split(separator: "&").reversed()
            .joined(separator: "&")
        #expect(try Fixture.hmacVerifier().verify(reordered, now: Fixture.now) == Fixture.expectedUser)
    }

    @Test(arguments: ["", "abc", String(repeating: "g", count: 64), String(repeating: "a", count: 65)])
    func rejectsAMalformedHash(hash: String) throws {
        let initData = Fixture.signed().replacingField("hash", withEncoded: hash)
        #expect(Fixture.rejection(of: initData, by: try Fixture.hmacVerifier()) == "malformed hash")
    }

    @Test func signatureFieldIsPartOfTheSignedData() throws {
        let verifier = try Fixture.hmacVerifier()
        let withSignature = Fixture.signed(Fixture.fields + [("signature", "c2lnbmF0dXJl")])
        #expect(Fixture.rejection(of: withSignature, by: verifier) == nil)
        #expect(Fixture.rejection(of: withSignature.removingField("signature"), by: verifier) == "hash mismatch")
        #expect(
            Fixture.rejection(of: withSignature.replacingField("signature", with: "c2lnbmF0dXJm"), by: verifier)
                == "hash mismatch")
        #expect(Fixture.rejection(of: Fixture.signed() + "&signature=c2lnbmF0dXJl", by: verifier) == "hash mismatch")
    }

    @Test func hmacModeIgnoresTheEd25519Signature() throws {
        // The signature value is not valid Ed25519 at all; only the hash counts in hmac mode.
        let initData = Fixture.signed(Fixture.fields + [("signature", "not-a-real-signature")])
        #expect(try Fixture.hmacVerifier().verify(initData, now: Fixture.now) == Fixture.expectedUser)
    }
}
