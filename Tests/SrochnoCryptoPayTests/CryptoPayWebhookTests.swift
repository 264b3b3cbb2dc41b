import SrochnoCryptoPay
import Testing

private let token = "12345:AAzQcZWQqQAbsfgPnOLr4FHC8Doa4L7KryC"

/// An `invoice_paid` update, byte for byte as signed below.
private let paidBody = Array(
    #"{"update_id":7,"update_type":"invoice_paid","request_date":"2026-12-02T10:00:01.000Z","payload":{"invoice_id":528,"hash":"IVabc","currency_type":"fiat","fiat":"RUB","amount":"150.00","paid_asset":"USDT","paid_amount":"1.62","bot_invoice_url":"https://t.me/CryptoBot?start=IVabc","mini_app_invoice_url":"https://t.me/CryptoBot/app?startapp=invoice-IVabc","status":"paid","payload":"payment:41","created_at":"2026-12-02T09:50:00.000Z","paid_at":"2026-12-02T10:00:00.500Z"}}"#
        .utf8)

/// Computed independently of the code under test (Python's `hmac` and `hashlib`): hex
/// HMAC-SHA256 of `paidBody`, and of an empty body, keyed with SHA-256 of `token`.
private let paidSignature = "1e0fdb2b8359bf22cdb7188c806b5dc6e79bfca102699ba663d6ccd9a75ee345"
private let emptyBodySignature = "93d4258510127f5ff9c369ef2a746b6635fd4f116591dafc693f8ddf9bd91acd"

@Suite struct CryptoPayWebhookTests {
    @Test func theRightSignatureVerifies() {
        #expect(CryptoPayWebhook.verify(body: paidBody, signature: paidSignature, token: token))
        #expect(CryptoPayWebhook.verify(body: paidBody, signature: paidSignature.uppercased(), token: token))
        #expect(CryptoPayWebhook.verify(body: [], signature: emptyBodySignature, token: token))
        #expect(CryptoPayWebhook.signatureHeader == "crypto-pay-api-signature")
    }

    @Test func aWrongMissingOrOtherTokensSignatureDoesNotVerify() {
        var flipped = Array(paidSignature)
        flipped[10] = flipped[10] == "0" ? "1" : "0"
        #expect(!CryptoPayWebhook.verify(body: paidBody, signature: String(flipped), token: token))
        #expect(!CryptoPayWebhook.verify(body: paidBody, signature: nil, token: token))
        #expect(!CryptoPayWebhook.verify(body: paidBody, signature: "", token: token))
        #expect(!CryptoPayWebhook.verify(body: paidBody, signature: String(paidSignature.dropLast(2)), token: token))
        #expect(!CryptoPayWebhook.verify(body: paidBody, signature: paidSignature + "00", token: token))
        #expect(!CryptoPayWebhook.verify(body: paidBody, signature: String(repeating: "z", count: 64), token: token))
        #expect(!CryptoPayWebhook.verify(body: paidBody, signature: paidSignature, token: token + "x"))
        #expect(!CryptoPayWebhook.verify(body: paidBody, signature: paidSignature, token: ""))
    }

    @Test func aBodyChangedByOneByteDoesNotVerify() {
        for index in [0, paidBody.count / 2, paidBody.count - 1] {
            var changed = paidBody
            changed[index] ^= 0x01
            #expect(!CryptoPayWebhook.verify(body: changed, signature: paidSignature, token: token))
        }
        #expect(!CryptoPayWebhook.verify(body: paidBody + [0x20], signature: paidSignature, token: token))
        #expect(!CryptoPayWebhook.verify(body: Array(paidBody.dropLast()), signature: paidSignature, token: token))
    }

    @Test func anInvoicePaidUpdateCarriesTheInvoiceWithAmountAndCurrency() throws {
        let update = try #require(CryptoPayWebhook.parse(body: paidBody))
        #expect(update.updateID == 7)
        #expect(update.updateType == "invoice_paid")
        #expect(update.requestDate == "2026-12-02T10:00:01.000Z")
        let invoice = try #require(update.invoice)
        #expect(invoice.invoiceID == 528)
        #expect(invoice.status == .paid)
        #expect(invoice.currencyType == "fiat")
        #expect(invoice.fiat == "RUB")
        #expect(invoice.amount == "150.00")
        #expect(invoice.wholeAmount == 150)
        #expect(invoice.payload == "payment:41")
        #expect(invoice.paidAt == "2026-12-02T10:00:00.500Z")
    }

    @Test func otherUpdatesParseWithoutAnInvoiceAndJunkDoesNotParse() {
        let other = CryptoPayWebhook.parse(body: Array(#"{"update_id":8,"update_type":"something_new","payload":{}}"#.utf8))
        #expect(other == CryptoPayWebhook.Update(updateID: 8, updateType: "something_new", requestDate: nil, invoice: nil))

        for junk in [
            "", "not json", "[]", #"{"update_type":"invoice_paid"}"#, #"{"update_id":"9","update_type":"invoice_paid"}"#,
            #"{"update_id":9,"update_type":"invoice_paid"}"#, #"{"update_id":9,"update_type":"invoice_paid","payload":{"invoice_id":1}}"#,
        ] {
            #expect(CryptoPayWebhook.parse(body: Array(junk.utf8)) == nil, "\(junk)")
        }
    }
}
