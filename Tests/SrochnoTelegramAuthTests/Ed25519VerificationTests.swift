import SrochnoCore
@testable import SrochnoTelegramAuth
import SrochnoTestSupport
import Testing

@Suite struct Ed25519VerificationTests {
    private let key: Ed25519TestKey
    private let verifier: InitDataVerifier

    init() throws {
        key = try Ed25519TestKey()
        verifier = try InitDataVerifier(
            mode: .ed25519, botToken: nil, botID: Fixture.botID, publicKeyHex: try key.publicKeyHex(),
            maxAgeSeconds: 86_400)
    }

    @Test func acceptsDataSignedByTheConfiguredKey() throws {
        let initData = try key.telegramSigned(Fixture.fields)
        #expect(try verifier.verify(initData, now: Fixture.now) == Fixture.expectedUser)
    }

    @Test func doesNotNeedAValidHash() throws {
        let initData = try key.telegramSigned(Fixture.fields).replacingField("hash", withEncoded: "00")
        #expect(try verifier.verify(initData, now: Fixture.now) == Fixture.expectedUser)
    }

    @Test(arguments: [
        ("user", InitDataSigner.userJSON(id: 43, firstName: "Ada", lastName: "Lovelace", username: "ada", languageCode: "en")),
        ("auth_date", "1759999001"),
        ("query_id", "AAHdF6IQAAAAAN0Y"),
    ])
    func rejectsATamperedField(field: String, value: String) throws {
        let tampered = try key.telegramSigned(Fixture.fields).replacingField(field, with: value)
        #expect(Fixture.rejection(of: tampered, by: verifier) == "signature mismatch")
    }

    @Test func rejectsAnExtraField() throws {
        let extended = try key.telegramSigned(Fixture.fields) + "&start_param=promo"
        #expect(Fixture.rejection(of: extended, by: verifier) == "signature mismatch")
    }

    @Test func rejectsATamperedSignature() throws {
        let initData = try key.telegramSigned(Fixture.fields)
        let signature = try #require(initData.encodedValue(of: "signature"))
        var bytes = try #require(Base64URL.decode(signature))
        bytes[10] ^= 0x01
        #expect(
            Fixture.rejection(of: initData.replacingField("signature", withEncoded: base64URLEncoded(bytes)), by: verifier)
                == "signature mismatch")
    }

    @Test func rejectsASignatureFromAnotherKey() throws {
        let otherKey = try Ed25519TestKey()
        #expect(Fixture.rejection(of: try otherKey.telegramSigned(Fixture.fields), by: verifier) == "signature mismatch")
    }

    @Test func rejectsDataSignedForAnotherBot() throws {
        let initData = try key.telegramSigned(Fixture.fields, botID: Fixture.botID + 1)
        #expect(Fixture.rejection(of: initData, by: verifier) == "signature mismatch")
    }

    @Test func rejectsAMissingSignature() throws {
        #expect(Fixture.rejection(of: Fixture.signed(), by: verifier) == "missing signature")
    }

    @Test(arguments: [
        "", "abc", "AAAA====", String(repeating: "A", count: 85), String(repeating: "A", count: 87),
        String(repeating: "+", count: 86), String(repeating: "A", count: 85) + "B",
    ])
    func rejectsAMalformedSignature(signature: String) throws {
        let initData = try key.telegramSigned(Fixture.fields).replacingField("signature", with: signature)
        #expect(Fixture.rejection(of: initData, by: verifier) == "malformed signature")
    }

    @Test func stillChecksFreshness() throws {
        let fields = [("user", Fixture.user), ("auth_date", "1000")]
        #expect(Fixture.rejection(of: try key.telegramSigned(fields), by: verifier) == "expired")
    }
}

/// The primitive on its own, against RFC 8032 §7.1 test vectors.
@Suite struct Ed25519PublicKeyTests {
    @Test(arguments: [
        (
            "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
            "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
        ),
        (
            "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
            "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"
        ),
    ])
    func verifiesRFC8032Vectors(publicKey: String, message: String, signature: String) throws {
        let rawKey = try #require(Hex.decode(publicKey))
        let key = try #require(Ed25519PublicKey(rawBytes: rawKey))
        let message = try #require(Hex.decode(message))
        let signature = try #require(Hex.decode(signature))
        #expect(key.isValidSignature(signature, for: message))
        #expect(!key.isValidSignature(signature, for: message + [0]))
        #expect(!key.isValidSignature(Array(signature.dropLast()), for: message))
    }

    @Test func rejectsKeysOfTheWrongLength() {
        #expect(Ed25519PublicKey(rawBytes: []) == nil)
        #expect(Ed25519PublicKey(rawBytes: [UInt8](repeating: 1, count: 31)) == nil)
        #expect(Ed25519PublicKey(rawBytes: [UInt8](repeating: 1, count: 33)) == nil)
    }
}
