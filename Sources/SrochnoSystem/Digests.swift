import CCrypto

// One-shot digests over libcrypto, shared by initData verification (SrochnoTelegramAuth) and the
// Crypto Pay webhook signature (SrochnoCryptoPay).

/// SHA-256 through libcrypto's one-shot `EVP_Digest`. Nil only when libcrypto itself fails.
public func sha256(_ message: [UInt8]) -> [UInt8]? {
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    let result = withNonNullBytes(message) { EVP_Digest($0, message.count, &digest, &length, EVP_sha256(), nil) }
    guard result == 1, length == 32 else {
        ERR_clear_error()
        return nil
    }
    return Array(digest.prefix(32))
}

/// HMAC-SHA256 through libcrypto's one-shot `HMAC`. Nil only when libcrypto itself fails.
public func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8]? {
    var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
    var length: UInt32 = 0
    let result = withNonNullBytes(key) { keyBytes in
        withNonNullBytes(message) { messageBytes in
            HMAC(EVP_sha256(), keyBytes, Int32(key.count), messageBytes, message.count, &digest, &length)
        }
    }
    guard result != nil, length == 32 else {
        ERR_clear_error()
        return nil
    }
    return Array(digest.prefix(32))
}

/// Compares in time that depends only on the length, so a forger learns nothing from timing.
public func constantTimeEquals(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    guard !lhs.isEmpty else { return true }
    return lhs.withUnsafeBytes { lhs in
        rhs.withUnsafeBytes { rhs in CRYPTO_memcmp(lhs.baseAddress, rhs.baseAddress, lhs.count) == 0 }
    }
}

/// An empty array may have no storage, and libcrypto is not promised to accept a null
/// pointer even with a zero length (an empty webhook body must still be hashed).
private func withNonNullBytes<R>(_ bytes: [UInt8], _ body: (UnsafePointer<UInt8>) -> R) -> R {
    bytes.withUnsafeBufferPointer { buffer in
        if let base = buffer.baseAddress { return body(base) }
        let placeholder: UInt8 = 0
        return withUnsafePointer(to: placeholder) { body($0) }
    }
}
