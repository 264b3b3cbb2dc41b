import SrochnoCore

/// Builds correctly signed initData for tests, benchmarks and dev tools; production never signs.
public enum InitDataSigner {
    /// Signs `fields` (any `hash` among them is dropped) with the bot-token HMAC and returns them
    /// percent-encoded in the given order with `hash=` appended.
    public static func hmac(botToken: String, fields: [(String, String)]) -> String {
        let unsigned = fields.filter { $0.0 != "hash" }.map { (key: $0.0, value: $0.1) }
        guard let secret = BotTokenCheck.secret(botToken: botToken),
              let digest = hmacSHA256(key: secret, message: InitData.dataCheckString(unsigned))
        else { preconditionFailure("libcrypto HMAC-SHA256 failed") }
        var parts = unsigned.map { percentEncode($0.key) + "=" + percentEncode($0.value) }
        parts.append("hash=" + Hex.encode(digest))
        return parts.joined(separator: "&")
    }

    /// A `user` field value shaped like Telegram's; absent optionals are left out.
    public static func userJSON(
        id: Int64, firstName: String, lastName: String? = nil, username: String? = nil, languageCode: String? = nil
    ) -> String {
        var json = JSONWriter()
        json.beginObject()
        json.key("id"); json.value(id)
        json.key("first_name"); json.value(firstName)
        if let lastName { json.key("last_name"); json.value(lastName) }
        if let username { json.key("username"); json.value(username) }
        if let languageCode { json.key("language_code"); json.value(languageCode) }
        json.endObject()
        return String(decoding: json.bytes, as: UTF8.self)
    }

    /// Escapes every byte except the RFC 3986 unreserved characters `A-Za-z0-9-._~`.
    static func percentEncode(_ text: String) -> String {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        encoded.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.append(byte)
            default:
                encoded.append(UInt8(ascii: "%"))
                encoded.append(hexDigits[Int(byte >> 4)])
                encoded.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }
}
