import SrochnoCore

/// The Telegram account behind a verified initData. `id` is the identity; the rest is profile
/// data the client may change at any time.
public struct TelegramUser: Equatable, Sendable {
    public var id: Int64
    public var firstName: String?
    public var lastName: String?
    public var username: String?
    public var languageCode: String?

    public init(
        id: Int64, firstName: String? = nil, lastName: String? = nil, username: String? = nil,
        languageCode: String? = nil
    ) {
        self.id = id
        self.firstName = firstName
        self.lastName = lastName
        self.username = username
        self.languageCode = languageCode
    }

    /// Reads the `user` field's JSON. Only an object with an integer `id` is a user; optional
    /// profile fields that are not strings are treated as absent.
    init?(json text: String) {
        guard let json = try? JSONParser.parse(Array(text.utf8)), let id = json["id"]?.intValue else { return nil }
        self.init(
            id: id,
            firstName: json["first_name"]?.stringValue,
            lastName: json["last_name"]?.stringValue,
            username: json["username"]?.stringValue,
            languageCode: json["language_code"]?.stringValue
        )
    }
}
