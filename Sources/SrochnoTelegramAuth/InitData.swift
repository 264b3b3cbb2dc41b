import SrochnoCore

/// Why an initData string cannot be read at all, before any signature is looked at.
/// `reason` is short and lower-case because clients see it after "Invalid Telegram initData: ".
public struct InitDataFormatError: Error, Equatable, Sendable {
    public let reason: String

    public init(reason: String) { self.reason = reason }
}

/// The fields of a Telegram Mini App initData query string, and the exact bytes each of
/// Telegram's two signatures covers. Parsing checks structure only; nothing here is trusted
/// until a signature over `hmacDataCheckString` or `ed25519DataCheckString(botID:)` is verified.
public struct InitData: Sendable {
    /// Every field except `hash` (so including `signature`), decoded, sorted by key bytes.
    public let sortedFields: [(key: String, value: String)]
    public let hash: String
    public let signature: String?
    /// Seconds since the Unix epoch.
    public let authDate: Int64
    /// The `user` JSON text exactly as sent; escapes such as `\/` are still in it.
    public let userJSON: String

    public static func parse(_ text: String) throws(InitDataFormatError) -> InitData {
        guard let pairs = FormURLEncoded.parse(text) else { throw InitDataFormatError(reason: "malformed") }
        var fields: [(key: String, value: String)] = []
        var hash: String?
        var seenKeys = Set<String>()
        for pair in pairs {
            // A newline inside a key or value would let one field pose as several in the
            // newline-joined data-check-string; Telegram never sends one.
            guard !pair.key.utf8.contains(newline), !pair.value.utf8.contains(newline) else {
                throw InitDataFormatError(reason: "malformed")
            }
            guard seenKeys.insert(pair.key).inserted else { throw InitDataFormatError(reason: "duplicate field") }
            if pair.key == "hash" { hash = pair.value } else { fields.append(pair) }
        }
        guard let hash else { throw InitDataFormatError(reason: "missing hash") }
        guard let authDateText = fields.first(where: { $0.key == "auth_date" })?.value else {
            throw InitDataFormatError(reason: "missing auth_date")
        }
        guard let authDate = parseSeconds(authDateText) else { throw InitDataFormatError(reason: "invalid auth_date") }
        guard let userJSON = fields.first(where: { $0.key == "user" })?.value else {
            throw InitDataFormatError(reason: "missing user")
        }
        return InitData(
            sortedFields: sortedByKeyBytes(fields),
            hash: hash,
            signature: fields.first(where: { $0.key == "signature" })?.value,
            authDate: authDate,
            userJSON: userJSON
        )
    }

    /// What the bot-token HMAC signs: all fields but `hash`, as sorted `key=value` lines.
    public var hmacDataCheckString: [UInt8] {
        Self.joinedLines(sortedFields)
    }

    /// What Telegram's Ed25519 signature signs: `"<bot_id>:WebAppData"`, then every field but
    /// `hash` and `signature` as sorted `key=value` lines, all joined with `\n`.
    public func ed25519DataCheckString(botID: Int64) -> [UInt8] {
        var bytes = Array("\(botID):WebAppData\n".utf8)
        bytes.append(contentsOf: Self.joinedLines(sortedFields.filter { $0.key != "signature" }))
        return bytes
    }

    /// The HMAC data-check-string for fields given in any order, e.g. by a signer. It leaves
    /// out nothing: callers drop `hash` first.
    public static func dataCheckString(_ fields: [(key: String, value: String)]) -> [UInt8] {
        joinedLines(sortedByKeyBytes(fields))
    }

    private static func sortedByKeyBytes(_ fields: [(key: String, value: String)]) -> [(key: String, value: String)] {
        // String's own `<` compares by Unicode canonical order; signatures need plain byte order.
        fields.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
    }

    private static func joinedLines(_ fields: [(key: String, value: String)]) -> [UInt8] {
        var bytes: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(newline) }
            bytes.append(contentsOf: field.key.utf8)
            bytes.append(UInt8(ascii: "="))
            bytes.append(contentsOf: field.value.utf8)
        }
        return bytes
    }

    /// Plain decimal digits only: no sign, no spaces, fits in Int64.
    private static func parseSeconds(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
            return nil
        }
        return Int64(text)
    }
}

private let newline = UInt8(ascii: "\n")
