import SrochnoCore
import SrochnoSystem

/// Builds correctly signed initData for tests, benchmarks and dev tools; production never signs.
public enum InitDataSigner {
    /// Signs `fields` (any `hash` among them is dropped) with the bot-token HMAC and returns them
    /// percent-encoded in the given order with `hash=` appended.
    public static func hmac(botToken: String, fields: [(String, String)]) -> String {
        let unsigned = fields.filter { $0.0 != "hash" }.map { (key: $0.0, value: $0.1) }
        guard let secret = BotTokenCheck.secret(botToken: botToken),
            let digest = hmacSHA256(key: secret, message: InitData.dataCheckString(unsigned))
        else { preconditionFailure("libcrypto HMAC-SHA256 failed") }
        var parts = unsigned.map { PercentEncoding.encode($0.key) + "=" + PercentEncoding.encode($0.value) }
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
}
