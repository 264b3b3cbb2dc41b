import SrochnoCore
import SrochnoTelegramAuth
import Testing

/// Inputs found by scripts/fuzz (libFuzzer), kept as regression tests.
@Suite struct FuzzRegressionTests {
    /// The fuzzer built a signed initData around a name holding NUL, newline and invalid
    /// UTF-8 replacement characters. Inside the user JSON such a name is escaped, so it must
    /// verify and come back exactly.
    @Test(arguments: ["q`\u{0}\u{0}\u{0}\n\u{0}AAH1&user=LLL", "tab\there", "\u{FFFD}\u{FFFD}2\u{FFFD}", "\"quoted\" \\ slash /"])
    func controlCharactersInANameVerify(_ name: String) throws {
        let initData = Fixture.signed([
            ("query_id", "AAH42"), ("user", InitDataSigner.userJSON(id: 42, firstName: name)), ("auth_date", Fixture.authDate),
        ])
        #expect(try Fixture.hmacVerifier().verify(initData, now: Fixture.now).firstName == name)
    }

    /// A raw newline in a field value (e.g. `%0A` in query_id) could pose as a field boundary
    /// in the newline-joined data-check-string; it is refused even when signed.
    @Test func aNewlineInAFieldValueIsRefused() throws {
        let initData = Fixture.signed([("query_id", "AAH\n42"), ("user", Fixture.user), ("auth_date", Fixture.authDate)])
        #expect(Fixture.rejection(of: initData, by: try Fixture.hmacVerifier()) != nil)
    }
}
