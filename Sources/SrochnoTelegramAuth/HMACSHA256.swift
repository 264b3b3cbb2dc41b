import CCrypto

/// HMAC-SHA256 through libcrypto's one-shot `HMAC`. Nil only when libcrypto itself fails.
func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8]? {
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    let result = key.withUnsafeBufferPointer { key in
        message.withUnsafeBufferPointer { message in
            HMAC(EVP_sha256(), key.baseAddress, Int32(key.count), message.baseAddress, message.count, &digest, &length)
        }
    }
    guard result != nil, length == 32 else {
        ERR_clear_error()
        return nil
    }
    return Array(digest.prefix(32))
}

/// Compares in time that depends only on the length, so a forger learns nothing from timing.
func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    guard !lhs.isEmpty else { return true }
    return lhs.withUnsafeBytes { lhs in
        rhs.withUnsafeBytes { rhs in CRYPTO_memcmp(lhs.baseAddress, rhs.baseAddress, lhs.count) == 0 }
    }
}
