/// Order ids: 12 characters of the URL-safe alphabet, 72 bits from a cryptographic source.
public enum OrderID {
    public static let length = 12
    public static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Maps random bytes to an id; each byte contributes its low 6 bits, and 64 divides 256,
    /// so every character is uniform.
    public static func make(randomBytes: [UInt8]) -> String {
        precondition(randomBytes.count >= length, "an order id needs \(length) random bytes")
        return String(decoding: randomBytes.prefix(length).map { alphabet[Int($0 & 0x3F)] }, as: UTF8.self)
    }

    public static func isWellFormed(_ text: String) -> Bool {
        text.utf8.count == length && text.utf8.allSatisfy { alphabet.contains($0) }
    }
}
