/// `application/x-www-form-urlencoded` decoding, shared by query strings and Telegram initData.
public enum FormURLEncoded {
    /// Splits on `&`, then on the first `=`, and percent-decodes keys and values with `+` as a
    /// space. Returns nil when an escape is malformed or decodes to invalid UTF-8. Empty
    /// segments (`a=1&&b=2`) are skipped, as Python's `parse_qsl` does.
    public static func parse(_ text: String) -> [(key: String, value: String)]? {
        var pairs: [(key: String, value: String)] = []
        for segment in text.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = segment.firstIndex(of: UInt8(ascii: "="))
            let rawKey = equals.map { segment[segment.startIndex..<$0] } ?? segment[...]
            let rawValue = equals.map { segment[segment.index(after: $0)...] } ?? segment[segment.endIndex...]
            guard let key = percentDecode(rawKey), let value = percentDecode(rawValue) else { return nil }
            pairs.append((key, value))
        }
        return pairs
    }

    /// Decodes one key or value: `+` is a space, `%XX` an escaped byte.
    public static func percentDecode<Bytes: Collection<UInt8>>(_ raw: Bytes) -> String? {
        PercentEncoding.decode(raw, plusAsSpace: true)
    }
}
