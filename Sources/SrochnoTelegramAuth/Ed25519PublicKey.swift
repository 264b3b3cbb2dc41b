import CCrypto

/// An Ed25519 public key imported into libcrypto once; importing costs more than verifying.
final class Ed25519PublicKey {
    private let key: OpaquePointer

    /// Nil unless `rawBytes` is a 32-byte key libcrypto accepts.
    init?(rawBytes: [UInt8]) {
        guard rawBytes.count == 32,
            let key = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nil, rawBytes, rawBytes.count)
        else {
            ERR_clear_error()
            return nil
        }
        self.key = key
    }

    deinit { EVP_PKEY_free(key) }

    func isValidSignature(_ signature: [UInt8], for message: [UInt8]) -> Bool {
        guard signature.count == 64, let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let verified =
            EVP_DigestVerifyInit(context, nil, nil, nil, key) == 1
            && EVP_DigestVerify(context, signature, signature.count, message, message.count) == 1
        // A failed check leaves entries on this thread's error queue; later callers must not see them.
        if !verified { ERR_clear_error() }
        return verified
    }
}
