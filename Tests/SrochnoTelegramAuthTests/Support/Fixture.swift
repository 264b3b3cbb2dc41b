import SrochnoTestSupport
import SrochnoCore
@testable import SrochnoTelegramAuth

/// Shared inputs: a made-up bot, a fixed clock, and an initData signed 1000 s before it.
enum Fixture {
    static let botToken = "7000000001:AAFakeTokenForUnitTests_only-1"
    static let botID: Int64 = 7_000_000_001
    static let now = Instant(seconds: 1_760_000_000)
    static let authDate = "1759999000"
    static let user = InitDataSigner.userJSON(
        id: 42, firstName: "Ada", lastName: "Lovelace", username: "ada", languageCode: "en")
    static let expectedUser = TelegramUser(
        id: 42, firstName: "Ada", lastName: "Lovelace", username: "ada", languageCode: "en")
    static let fields: [(String, String)] = [("query_id", "AAHdF6IQAAAAAN0X"), ("user", user), ("auth_date", authDate)]

    static func hmacVerifier(maxAgeSeconds: Int64 = 86_400) throws -> InitDataVerifier {
        try InitDataVerifier(
            mode: .hmac, botToken: botToken, botID: nil, publicKeyHex: "", maxAgeSeconds: maxAgeSeconds)
    }

    static func signed(_ fields: [(String, String)] = fields) -> String {
        InitDataSigner.hmac(botToken: botToken, fields: fields)
    }

    /// Verifies and returns the rejection reason, or nil when the data was accepted.
    static func rejection(
        of initData: String, by verifier: InitDataVerifier, now: Instant = now
    ) -> String? {
        do {
            _ = try verifier.verify(initData, now: now)
            return nil
        } catch {
            return error.reason
        }
    }
}

/// Edits an encoded initData the way an attacker would: raw segments, everything else as sent.
extension String {
    func replacingField(_ key: String, withEncoded value: String) -> String {
        split(separator: "&", omittingEmptySubsequences: false)
            .map { $0.hasPrefix(key + "=") ? key + "=" + value : String($0) }
            .joined(separator: "&")
    }

    func replacingField(_ key: String, with value: String) -> String {
        replacingField(key, withEncoded: PercentEncoding.encode(value))
    }

    func removingField(_ key: String) -> String {
        split(separator: "&", omittingEmptySubsequences: false)
            .filter { !$0.hasPrefix(key + "=") }
            .joined(separator: "&")
    }

    func encodedValue(of key: String) -> String? {
        split(separator: "&").first { $0.hasPrefix(key + "=") }.map { String($0.dropFirst(key.utf8.count + 1)) }
    }
}

extension Ed25519TestKey {
    /// Signed for the fixture's bot unless told otherwise.
    func telegramSigned(
        _ fields: [(String, String)], botID: Int64 = Fixture.botID, botToken: String = Fixture.botToken
    ) throws -> String {
        try thirdPartyInitData(fields, botID: botID, botToken: botToken)
    }
}
