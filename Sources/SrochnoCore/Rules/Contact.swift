/// A client's contact in its normalised, stored form: `+7XXXXXXXXXX` or `@username`.
public enum Contact {
    /// Normalises a Telegram username (`@name`, 5–32 of `A–Z a–z 0–9 _`) or a Russian phone
    /// number written with spaces, dashes, dots or parentheses and a `+7`, `7` or `8` prefix.
    /// Returns nil for anything else.
    ///
    /// The first digit after the country code must be 3, 4, 8 or 9 (Russian geographic,
    /// toll-free and mobile ranges); `+7 7…` numbers are Kazakh, and are refused.
    public static func normalize(_ raw: String) -> String? {
        let text = raw.trimmingASCIIWhitespace()
        if text.hasPrefix("@") {
            let name = text.utf8.dropFirst()
            guard (5...32).contains(name.count), name.allSatisfy(isUsernameByte) else { return nil }
            return text
        }
        var digits: [UInt8] = []
        var sawPlus = false
        for (offset, byte) in text.utf8.enumerated() {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digits.append(byte)
            case UInt8(ascii: "+") where offset == 0: sawPlus = true
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "."): continue
            default: return nil
            }
        }
        guard digits.count == 11 else { return nil }
        switch digits[0] {
        case UInt8(ascii: "7"): break
        case UInt8(ascii: "8") where !sawPlus: break
        default: return nil
        }
        guard [UInt8(ascii: "3"), UInt8(ascii: "4"), UInt8(ascii: "8"), UInt8(ascii: "9")].contains(digits[1]) else {
            return nil
        }
        return "+7" + String(decoding: digits.dropFirst(), as: UTF8.self)
    }

    private static func isUsernameByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
            return true
        default:
            return false
        }
    }
}

extension String {
    public func trimmingASCIIWhitespace() -> String {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || (0x09...0x0D).contains($0) }
        let bytes = Array(utf8)
        guard let first = bytes.firstIndex(where: { !isSpace($0) }), let last = bytes.lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(decoding: bytes[first...last], as: UTF8.self)
    }
}
