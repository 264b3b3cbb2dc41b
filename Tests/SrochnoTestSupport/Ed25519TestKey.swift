import CCrypto
import SrochnoTelegramAuth

public struct OpenSSLFailure: Error {}

/// A throw-away Ed25519 key pair standing in for Telegram's signing key.
public final class Ed25519TestKey {
    private let key: OpaquePointer

    public init() throws {
        guard let context = EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nil) else { throw OpenSSLFailure() }
        defer { EVP_PKEY_CTX_free(context) }
        var key: OpaquePointer?
        guard EVP_PKEY_keygen_init(context) == 1, EVP_PKEY_keygen(context, &key) == 1, let key else {
            throw OpenSSLFailure()
        }
        self.key = key
    }

    deinit { EVP_PKEY_free(key) }

    public func publicKeyHex() throws -> String {
        var raw = [UInt8](repeating: 0, count: 32)
        var length = raw.count
        guard EVP_PKEY_get_raw_public_key(key, &raw, &length) == 1, length == 32 else { throw OpenSSLFailure() }
        return raw.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }

    public func sign(_ message: [UInt8]) throws -> [UInt8] {
        guard let context = EVP_MD_CTX_new() else { throw OpenSSLFailure() }
        defer { EVP_MD_CTX_free(context) }
        var signature = [UInt8](repeating: 0, count: 64)
        var length = signature.count
        guard EVP_DigestSignInit(context, nil, nil, nil, key) == 1,
            EVP_DigestSign(context, &signature, &length, message, message.count) == 1, length == 64
        else { throw OpenSSLFailure() }
        return signature
    }

    /// initData as Telegram sends it to a third party: `signature` over the bot id line and the
    /// fields sorted by key bytes (built here independently of the code under test), and a
    /// `hash` from the bot's token, which covers the signature too.
    public func thirdPartyInitData(_ fields: [(String, String)], botID: Int64, botToken: String) throws -> String {
        let lines = fields.sorted { Array($0.0.utf8).lexicographicallyPrecedes(Array($1.0.utf8)) }
            .map { "\($0.0)=\($0.1)" }.joined(separator: "\n")
        let signature = try sign(Array("\(botID):WebAppData\n\(lines)".utf8))
        return InitDataSigner.hmac(botToken: botToken, fields: fields + [("signature", base64URLEncoded(signature))])
    }
}

/// Unpadded base64url, written separately from the decoder under test.
public func base64URLEncoded(_ bytes: [UInt8]) -> String {
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
