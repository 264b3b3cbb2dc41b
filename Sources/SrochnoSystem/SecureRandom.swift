import CCrypto

/// Bytes from OpenSSL's CSPRNG. Failure means the system has no entropy source at all,
/// which is not a state worth serving requests in.
public func secureRandomBytes(_ count: Int) -> [UInt8] {
    var bytes = [UInt8](repeating: 0, count: count)
    guard RAND_bytes(&bytes, Int32(count)) == 1 else {
        fatalError("RAND_bytes failed: no cryptographic randomness available")
    }
    return bytes
}
