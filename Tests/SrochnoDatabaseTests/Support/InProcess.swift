import Glibc
import SrochnoAPI
import SrochnoConfig
import SrochnoCore
import SrochnoTelegramAuth
import SrochnoTestSupport

/// The API built in this process against the stack's database, with settings a test chooses
/// (the running stack's workers have dev recharge on and HMAC auth; these need other settings).
enum InProcess {
    /// An API over `SROCHNO_TEST_DATABASE_URL` with `overrides` on top of the defaults.
    static func api(_ overrides: [String: String] = [:]) throws -> API {
        var values = ["SROCHNO_DATABASE_URL": try TestEnvironment.required("SROCHNO_TEST_DATABASE_URL")]
        values.merge(overrides) { _, override in override }
        return try API(settings: try Settings.parse(values))
    }

    /// An API in the default HMAC mode with the stack's bot token.
    static func hmacAPI(_ overrides: [String: String] = [:]) throws -> API {
        try api(
            ["SROCHNO_BOT_TOKEN": try TestEnvironment.required("SROCHNO_TEST_BOT_TOKEN")].merging(overrides) { _, override in override })
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

extension Ed25519TestKey {
    /// initData for a backend in third-party mode; the hash comes from a bot token the
    /// backend never sees.
    func thirdPartySigned(_ fields: [(String, String)], botID: Int64) throws -> String {
        try thirdPartyInitData(fields, botID: botID, botToken: "\(botID):token-unknown-to-the-backend")
    }
}
