import SrochnoCore
import SrochnoTelegramAuth
import Testing

@Suite struct InitDataParsingTests {
    @Test func plusAndPercentTwentyBothDecodeToASpace() throws {
        let fields = [
            ("query_id", "AAH"), ("user", InitDataSigner.userJSON(id: 7, firstName: "Mary Ann")),
            ("auth_date", Fixture.authDate),
        ]
        let percentEncoded = Fixture.signed(fields)
        #expect(percentEncoded.contains("Mary%20Ann"))
        let plusEncoded = percentEncoded.replacingAll("%20", with: "+")
        #expect(plusEncoded.contains("Mary+Ann"))
        let verifier = try Fixture.hmacVerifier()
        #expect(try verifier.verify(percentEncoded, now: Fixture.now).firstName == "Mary Ann")
        #expect(try verifier.verify(plusEncoded, now: Fixture.now).firstName == "Mary Ann")
    }

    @Test func literalPlusMustBeEncodedToSurvive() throws {
        // `+` in the raw string is a space, so a name with a real plus only verifies as %2B.
        let fields = [("user", InitDataSigner.userJSON(id: 7, firstName: "C++")), ("auth_date", Fixture.authDate)]
        let signed = Fixture.signed(fields)
        let verifier = try Fixture.hmacVerifier()
        #expect(try verifier.verify(signed, now: Fixture.now).firstName == "C++")
        #expect(Fixture.rejection(of: signed.replacingAll("%2B", with: "+"), by: verifier) == "hash mismatch")
    }

    @Test(arguments: ["Дмитрий", "Ёжик 🦔", "👩‍💻", "مريم", "Zoë"])
    func nonASCIINamesRoundTrip(name: String) throws {
        let fields = [
            ("user", InitDataSigner.userJSON(id: 9, firstName: name, lastName: "Соколов-Ёлкин 🚀")),
            ("auth_date", Fixture.authDate),
        ]
        let user = try Fixture.hmacVerifier().verify(Fixture.signed(fields), now: Fixture.now)
        #expect(user == TelegramUser(id: 9, firstName: name, lastName: "Соколов-Ёлкин 🚀"))
    }

    @Test func userJSONWithEscapedSlashesVerifiesAsSent() throws {
        let userJSON = #"{"id":5,"first_name":"Ann","photo_url":"https:\/\/t.me\/i\/userpic\/320\/x.svg"}"#
        let signed = Fixture.signed([("user", userJSON), ("auth_date", Fixture.authDate)])
        #expect(signed.contains("%5C%2F"))
        let verifier = try Fixture.hmacVerifier()
        #expect(try verifier.verify(signed, now: Fixture.now) == TelegramUser(id: 5, firstName: "Ann"))
        // The same JSON without the escapes means the same thing but is not what was signed.
        let unescaped = signed.replacingAll("%5C%2F", with: "%2F")
        #expect(Fixture.rejection(of: unescaped, by: verifier) == "hash mismatch")
    }

    @Test func lowercasePercentEscapesDecodeTheSame() throws {
        let signed = Fixture.signed()
        let lowercased = signed.replacingAll("%7B", with: "%7b")
        #expect(lowercased != signed)
        #expect(try Fixture.hmacVerifier().verify(lowercased, now: Fixture.now) == Fixture.expectedUser)
    }

    @Test(arguments: [("hash", "missing hash"), ("auth_date", "missing auth_date"), ("user", "missing user")])
    func rejectsAMissingField(field: String, reason: String) throws {
        let initData = Fixture.signed().removingField(field)
        #expect(Fixture.rejection(of: initData, by: try Fixture.hmacVerifier()) == reason)
    }

    @Test(arguments: ["", "   ", "garbage", "%", "a=%zz", "user=%FF%FE&auth_date=1&hash=00"])
    func rejectsUnparsableStrings(initData: String) throws {
        #expect(Fixture.rejection(of: initData, by: try Fixture.hmacVerifier()) != nil)
    }

    @Test func rejectsBadPercentEscapesAsMalformed() throws {
        #expect(Fixture.rejection(of: Fixture.signed() + "&x=%G1", by: try Fixture.hmacVerifier()) == "malformed")
    }

    @Test(arguments: ["", "-1", "+1759999000", "1759999000.0", "1e9", " 1759999000", "99999999999999999999", "abc"])
    func rejectsANonIntegerAuthDate(authDate: String) throws {
        let fields = [("user", Fixture.user), ("auth_date", authDate)]
        #expect(Fixture.rejection(of: Fixture.signed(fields), by: try Fixture.hmacVerifier()) == "invalid auth_date")
    }

    @Test(arguments: [
        "[]", "42", #""user""#, "{}", #"{"id":"42"}"#, #"{"id":4.2}"#, #"{"id":null}"#, #"{"first_name":"A"}"#,
        #"{"id":1"#, "not json", #"{"id":1}x"#, #"{"id":99999999999999999999}"#,
    ])
    func rejectsAMalformedUser(userJSON: String) throws {
        let fields = [("user", userJSON), ("auth_date", Fixture.authDate)]
        #expect(Fixture.rejection(of: Fixture.signed(fields), by: try Fixture.hmacVerifier()) == "malformed user")
    }

    @Test func ignoresProfileFieldsOfTheWrongType() throws {
        let userJSON = #"{"id":12,"first_name":null,"last_name":7,"username":"u","language_code":["en"],"is_premium":true}"#
        let signed = Fixture.signed([("user", userJSON), ("auth_date", Fixture.authDate)])
        #expect(try Fixture.hmacVerifier().verify(signed, now: Fixture.now) == TelegramUser(id: 12, username: "u"))
    }

    @Test func rejectsDuplicateFieldsEvenWhenSigned() throws {
        let duplicated = Fixture.signed(Fixture.fields + [("query_id", "second")])
        #expect(Fixture.rejection(of: duplicated, by: try Fixture.hmacVerifier()) == "duplicate field")
        let twoHashes = Fixture.signed() + "&hash=00"
        #expect(Fixture.rejection(of: twoHashes, by: try Fixture.hmacVerifier()) == "duplicate field")
    }

    @Test func rejectsNewlinesThatCouldSplitOneFieldIntoSeveral() throws {
        let fields = [("query_id", "x\nauth_date=1"), ("user", Fixture.user), ("auth_date", Fixture.authDate)]
        #expect(Fixture.rejection(of: Fixture.signed(fields), by: try Fixture.hmacVerifier()) == "malformed")
    }
}

extension String {
    func replacingAll(_ target: String, with replacement: String) -> String {
        split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
    }
}
