public import SrochnoCore
import SrochnoSystem

/// One Crypto Pay webhook delivery as Crypto Pay makes it: the raw body, and the value of its
/// `crypto-pay-api-signature` header — hex HMAC-SHA256 of exactly these bytes, keyed with
/// SHA-256 of the app's API token.
public struct SignedCryptoPayWebhook: Sendable {
    public static let signatureHeader = "crypto-pay-api-signature"

    public let body: [UInt8]
    public let signature: String

    /// Signs `body` with `token` (a test passes another token to forge a bad signature).
    public init(body: [UInt8], token: String) {
        self.body = body
        signature = Self.signature(of: body, token: token)
    }

    /// An `invoice_paid` update carrying `invoice`, signed with `token`.
    public static func invoicePaid(
        _ invoice: FakeCryptoPay.Invoice, token: String, updateID: Int64 = 1, requestDate: Instant
    ) -> SignedCryptoPayWebhook {
        update(type: "invoice_paid", payload: invoice.json, token: token, updateID: updateID, requestDate: requestDate)
    }

    /// Any update type with any payload, signed with `token`.
    public static func update(
        type: String, payload: JSONValue, token: String, updateID: Int64 = 1, requestDate: Instant
    ) -> SignedCryptoPayWebhook {
        var writer = JSONWriter()
        writer.value(
            .object([
                ("update_id", .int(updateID)),
                ("update_type", .string(type)),
                ("request_date", .string(requestDate.rfc3339)),
                ("payload", payload),
            ]))
        return SignedCryptoPayWebhook(body: writer.bytes, token: token)
    }

    /// The lower-case hex signature of `body` under `token`.
    public static func signature(of body: [UInt8], token: String) -> String {
        guard let key = sha256(Array(token.utf8)), let mac = hmacSHA256(key: key, message: body) else {
            preconditionFailure("libcrypto failed to compute a digest")
        }
        return Hex.encode(mac)
    }
}
