import SrochnoCore
import SrochnoSystem

/// Crypto Pay's webhook: each update is POSTed with header `crypto-pay-api-signature`, the
/// hex HMAC-SHA256 of the raw body keyed with SHA-256 of the app's API token. Only the raw
/// bytes as received verify: a body re-serialized after parsing would not.
public enum CryptoPayWebhook {
    /// The header carrying the signature (header names compare without regard to case).
    public static let signatureHeader = "crypto-pay-api-signature"

    /// One update. `invoice` is the paid invoice of an `invoice_paid` update and nil for any
    /// other type; its `amount`, `currencyType` and `fiat` are what the caller checks against
    /// what it stored before crediting anything.
    public struct Update: Sendable, Equatable {
        public var updateID: Int64
        public var updateType: String
        /// ISO 8601 time Crypto Pay sent the request, when given.
        public var requestDate: String?
        public var invoice: CryptoPayInvoice?

        public init(updateID: Int64, updateType: String, requestDate: String?, invoice: CryptoPayInvoice?) {
            self.updateID = updateID
            self.updateType = updateType
            self.requestDate = requestDate
            self.invoice = invoice
        }
    }

    /// True only when `signature` (the header's value) is the 64-digit hex HMAC-SHA256 of
    /// `body` under SHA-256(`token`), compared in constant time. A missing or malformed header
    /// and an empty token (whose key anyone can compute) never verify.
    public static func verify(body: [UInt8], signature: String?, token: String) -> Bool {
        guard let signature, signature.utf8.count == 64, let received = Hex.decode(signature), !token.isEmpty,
            let key = sha256(Array(token.utf8)), let expected = hmacSHA256(key: key, message: body)
        else { return false }
        return constantTimeEquals(received, expected)
    }

    /// The update in a (verified) body; nil when it is not JSON, lacks `update_id` or
    /// `update_type`, or is an `invoice_paid` whose `payload` is not an invoice.
    public static func parse(body: [UInt8]) -> Update? {
        guard let json = try? JSONParser.parse(body), let updateID = json["update_id"]?.intValue,
            let updateType = json["update_type"]?.stringValue
        else { return nil }
        var invoice: CryptoPayInvoice?
        if updateType == "invoice_paid" {
            guard let payload = json["payload"], let paid = CryptoPayInvoice(json: payload) else { return nil }
            invoice = paid
        }
        return Update(updateID: updateID, updateType: updateType, requestDate: json["request_date"]?.stringValue, invoice: invoice)
    }
}
