import SrochnoCore
import SrochnoTelegramAuth
import Testing

@Suite struct AuthDateTests {
    private func signed(authDate: Int64) -> String {
        Fixture.signed([("user", Fixture.user), ("auth_date", String(authDate))])
    }

    private let now = Fixture.now.seconds

    @Test func acceptsAnAuthDateExactlyMaxAgeOld() throws {
        #expect(
            Fixture.rejection(of: signed(authDate: now - 3600), by: try Fixture.hmacVerifier(maxAgeSeconds: 3600))
                == nil)
    }

    @Test func rejectsAnAuthDateOlderThanMaxAge() throws {
        #expect(
            Fixture.rejection(of: signed(authDate: now - 3601), by: try Fixture.hmacVerifier(maxAgeSeconds: 3600))
                == "expired")
    }

    @Test func expiryFollowsTheInjectedClock() throws {
        let verifier = try Fixture.hmacVerifier(maxAgeSeconds: 86_400)
        let initData = signed(authDate: now)
        #expect(Fixture.rejection(of: initData, by: verifier, now: Fixture.now.adding(seconds: 86_400)) == nil)
        #expect(Fixture.rejection(of: initData, by: verifier, now: Fixture.now.adding(seconds: 86_401)) == "expired")
    }

    @Test func acceptsUpToAMinuteOfClockSkew() throws {
        #expect(Fixture.rejection(of: signed(authDate: now + 60), by: try Fixture.hmacVerifier()) == nil)
    }

    @Test(arguments: [61, 3600, 10 * 365 * 86_400] as [Int64])
    func rejectsAnAuthDateInTheFuture(secondsAhead: Int64) throws {
        #expect(
            Fixture.rejection(of: signed(authDate: now + secondsAhead), by: try Fixture.hmacVerifier())
                == "auth_date in the future")
    }

    @Test func maxAgeZeroAcceptsAnyPastAuthDate() throws {
        let verifier = try Fixture.hmacVerifier(maxAgeSeconds: 0)
        #expect(Fixture.rejection(of: signed(authDate: 1), by: verifier) == nil)
        #expect(Fixture.rejection(of: signed(authDate: now - 5 * 365 * 86_400), by: verifier) == nil)
        #expect(Fixture.rejection(of: signed(authDate: now + 61), by: verifier) == "auth_date in the future")
    }

    @Test func extremeValuesDoNotOverflow() throws {
        let verifier = try Fixture.hmacVerifier(maxAgeSeconds: .max)
        #expect(Fixture.rejection(of: signed(authDate: 0), by: verifier) == nil)
        #expect(Fixture.rejection(of: signed(authDate: .max), by: verifier) == "auth_date in the future")
    }

    @Test func checksTheSignatureBeforeTheAge() throws {
        let tampered = signed(authDate: 1).replacingField("auth_date", with: "2")
        #expect(Fixture.rejection(of: tampered, by: try Fixture.hmacVerifier()) == "hash mismatch")
    }
}
