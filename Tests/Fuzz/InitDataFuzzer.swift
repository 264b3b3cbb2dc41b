import SrochnoCore
import SrochnoTelegramAuth

// libFuzzer target: arbitrary bytes as an Authorization token. Parsing and verification must
// never crash, and nothing may verify without the bot's secret. Built by scripts/fuzz.

private let verifier = try! InitDataVerifier(
    mode: .either, botToken: "123456:fuzz-token", botID: 123_456,
    publicKeyHex: TelegramPublicKey.production, maxAgeSeconds: 86_400)
private let now = Instant(seconds: 1_790_000_000)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzInitData(_ data: UnsafePointer<UInt8>, _ size: Int) -> Int32 {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? InitData.parse(text)
    if let user = try? verifier.verify(text, now: now) {
        fatalError("forged initData verified for user \(user.id)")
    }
    // A correctly signed variant must verify and round-trip the user's name, whatever it holds
    // (inside the JSON it is escaped, as Telegram escapes it).
    let name = String(text.unicodeScalars.prefix(40))
    let signed = InitDataSigner.hmac(
        botToken: "123456:fuzz-token",
        fields: [
            ("user", InitDataSigner.userJSON(id: 42, firstName: name)), ("auth_date", "1790000000"), ("query_id", "AAH42"),
        ])
    guard let user = try? verifier.verify(signed, now: now), user.id == 42, user.firstName == name else {
        fatalError("a correctly signed initData did not verify: \(signed)")
    }
    return 0
}
