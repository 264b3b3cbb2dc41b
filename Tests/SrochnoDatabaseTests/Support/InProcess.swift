import CCrypto
import Glibc
import SrochnoAPI
import SrochnoCore
import SrochnoTelegramAuth

/// The API built in this process against the stack's database, with settings a test chooses
/// (the running stack's workers have dev recharge on and HMAC auth; these need other settings).
enum InProcess {
    struct Missing: Error, CustomStringConvertible {
        let name: String
        var description: String { "\(name) is not set: run the tests through scripts/test, which starts the stack" }
    }

    static func environment(_ name: String) throws -> String {
        guard let value = getenv(name).map({ String(cString: $0) }), !value.isEmpty else { throw Missing(name: name) }
        return value
    }

    /// An API over `SROCHNO_TEST_DATABASE_URL` with `overrides` on top of the defaults.
    static func api(_ overrides: [String: String] = [:]) throws -> API {
        var values = ["SROCHNO_DATABASE_URL": try environment("SROCHNO_TEST_DATABASE_URL")]
        values.merge(overrides) { _, override in override }
        return try API(settings: try Settings.parse(values))
    }

    /// An API in the default HMAC mode with the stack's bot token.
    static func hmacAPI(_ overrides: [String: String] = [:]) throws -> API {
        try api(["SROCHNO_BOT_TOKEN": try environment("SROCHNO_TEST_BOT_TOKEN")].merging(overrides) { _, override in override })
    }

    static func request(_ method: String, _ path: String, initData: String? = nil, body: String? = nil) -> HTTPRequest {
        var headers: [String: String] = [:]
        if let initData { headers["authorization"] = "Bearer " + initData }
        if body != nil { headers["content-type"] = "application/json" }
        return HTTPRequest(method: method, path: path, headers: headers, body: Array((body ?? "").utf8))
    }

    static func json(_ response: HTTPResponse) throws -> JSONValue { try JSONParser.parse(response.body) }

    static func detail(_ response: HTTPResponse) -> String? { (try? json(response))?["detail"]?.stringValue }

    static func header(_ name: String, of response: HTTPResponse) -> String? {
        response.headers.last { $0.name.lowercased() == name.lowercased() }?.value
    }

    static func now() -> Int64 { Int64(time(nil)) }

    /// A Telegram user id nobody else in this run uses.
    static func uniqueUserID() -> Int64 { Int64.random(in: 1_000_000_000...8_000_000_000) }

    static func fields(userID: Int64, firstName: String = "Тест", authDate: Int64 = now()) -> [(String, String)] {
        [
            ("query_id", "AAH\(userID)"),
            ("user", InitDataSigner.userJSON(id: userID, firstName: firstName, username: "u\(userID)", languageCode: "ru")),
            ("auth_date", String(authDate)),
        ]
    }
}

struct InProcessOpenSSLFailure: Error {}

/// A throw-away Ed25519 key pair standing in for Telegram's signing key, made with libcrypto
/// (independently of the verifier under test).
final class InProcessSigningKey {
    private let key: OpaquePointer

    init() throws {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else { throw InProcessOpenSSLFailure() }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_keygen(context, &key) == 1, let key else {
            throw InProcessOpenSSLFailure()
        }
        self.key = key
    }

    deinit { EVP_PKEY_free(key) }

    func publicKeyHex() throws -> String {
        var raw = [UInt8](repeating: 0, count: 32)
        var length = raw.count
        guard EVP_PKEY_get_raw_public_key(key, &raw, &length) == 1, length == 32 else { throw InProcessOpenSSLFailure() }
        return raw.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    func sign(_ message: [UInt8]) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw InProcessOpenSSLFailure() }
        defer { EVP_MD_CTX_free(context) }
        var signature = [UInt8](repeating: 0, count: 64)
        var length = signature.count
        guard EVP_DigestSignInit(context, nil, nil, nil, key) == 1,
              EVP_DigestSign(context, &signature, &length, message, message.count) == 1, length == 64
        else { throw InProcessOpenSSLFailure() }
        return signature
    }

    /// initData as Telegram hands it to a Mini App whose backend validates as a third party:
    /// `signature` over `"<bot_id>:WebAppData\n"` and the sorted `key=value` lines, plus a
    /// `hash` from the bot's token (which this backend never sees).
    func telegramSigned(_ fields: [(String, String)], botID: Int64) throws -> String {
        let lines = fields.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "\n")
        let signature = try sign(Array("\(botID):WebAppData\n\(lines)".utf8))
        return InitDataSigner.hmac(botToken: "\(botID):token-unknown-to-the-backend",
                                   fields: fields + [("signature", unpaddedBase64URL(signature))])
    }
}

/// Unpadded base64url, written separately from the decoder under test.
func unpaddedBase64URL(_ bytes: [UInt8]) -> String {
    let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
    var text = ""
    var index = 0
    while index < bytes.count {
        let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
        let padded = chunk + [UInt8](repeating: 0, count: 3 - chunk.count)
        let bits = UInt32(padded[0]) << 16 | UInt32(padded[1]) << 8 | UInt32(padded[2])
        for position in 0...chunk.count {
            text.append(alphabet[Int(bits >> UInt32(18 - 6 * position) & 0x3F)])
        }
        index += 3
    }
    return text
}
