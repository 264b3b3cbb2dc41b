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

    public static func percentDecode<Bytes: Collection<UInt8>>(_ raw: Bytes) -> String? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(raw.count)
        var iterator = raw.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                decoded.append(UInt8(ascii: " "))
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                    return nil
                }
                decoded.append(high << 4 | low)
            default:
                decoded.append(byte)
            }
        }
        return String(validating: decoded, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
