import SrochnoCore

/// Telegram's third-party check: `signature` is Telegram's own Ed25519 signature, so only the
/// bot's public id is needed, not its token.
struct ThirdPartyCheck {
    let botID: Int64
    let publicKey: Ed25519PublicKey

    func check(_ initData: InitData) throws(InitDataError) {
        guard let encoded = initData.signature else { throw InitDataError(reason: "missing signature") }
        guard let signature = Base64URL.decode(encoded), signature.count == 64 else {
            throw InitDataError(reason: "malformed signature")
        }
        guard publicKey.isValidSignature(signature, for: initData.ed25519DataCheckString(botID: botID)) else {
            throw InitDataError(reason: "signature mismatch")
        }
    }
}
