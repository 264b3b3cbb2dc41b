import SrochnoCore
import SrochnoTelegramAuth
import SrochnoTestSupport
import Testing

@Suite struct EitherModeTests {
    private let key: Ed25519TestKey
    private let publicKeyHex: String

    init() throws {
        key = try Ed25519TestKey()
        publicKeyHex = try key.publicKeyHex()
    }

    private func verifier(botToken: String?, botID: Int64?) throws -> InitDataVerifier {
        try InitDataVerifier(
            mode: .either, botToken: botToken, botID: botID, publicKeyHex: publicKeyHex, maxAgeSeconds: 86_400)
    }

    @Test func withBothConfiguredAcceptsAValidHashAlone() throws {
        let verifier = try verifier(botToken: Fixture.botToken, botID: Fixture.botID)
        #expect(try verifier.verify(Fixture.signed(), now: Fixture.now) == Fixture.expectedUser)
        let badSignature = Fixture.signed(Fixture.fields + [("signature", String(repeating: "A", count: 86))])
        #expect(Fixture.rejection(of: badSignature, by: verifier) == nil)
    }

    @Test func withBothConfiguredAcceptsAValidSignatureAlone() throws {
        let verifier = try verifier(botToken: Fixture.botToken, botID: Fixture.botID)
        let signedByOtherToken = try key.telegramSigned(Fixture.fields, botToken: "7000000001:AAWrongToken")
        #expect(try verifier.verify(signedByOtherToken, now: Fixture.now) == Fixture.expectedUser)
    }

    @Test func withBothConfiguredRejectsWhenBothFail() throws {
        let verifier = try verifier(botToken: Fixture.botToken, botID: Fixture.botID)
        let otherKey = try Ed25519TestKey()
        let initData = try otherKey.telegramSigned(Fixture.fields, botToken: "7000000001:AAWrongToken")
        #expect(Fixture.rejection(of: initData, by: verifier) == "hash mismatch")
        let unsignedForThirdParty = InitDataSigner.hmac(botToken: "7000000001:AAWrongToken", fields: Fixture.fields)
        #expect(Fixture.rejection(of: unsignedForThirdParty, by: verifier) == "hash mismatch")
    }

    @Test func withOnlyATokenChecksTheHash() throws {
        let verifier = try verifier(botToken: Fixture.botToken, botID: nil)
        #expect(Fixture.rejection(of: Fixture.signed(), by: verifier) == nil)
        let validSignatureWrongToken = try key.telegramSigned(Fixture.fields, botToken: "7000000001:AAWrongToken")
        #expect(Fixture.rejection(of: validSignatureWrongToken, by: verifier) == "hash mismatch")
    }

    @Test func withOnlyABotIDChecksTheSignature() throws {
        let verifier = try verifier(botToken: nil, botID: Fixture.botID)
        #expect(Fixture.rejection(of: try key.telegramSigned(Fixture.fields), by: verifier) == nil)
        #expect(Fixture.rejection(of: Fixture.signed(), by: verifier) == "missing signature")
    }

    @Test func tamperingBreaksBothChecks() throws {
        let verifier = try verifier(botToken: Fixture.botToken, botID: Fixture.botID)
        let tampered = try key.telegramSigned(Fixture.fields).replacingField("auth_date", with: "1759999500")
        #expect(Fixture.rejection(of: tampered, by: verifier) == "hash mismatch")
    }
}
