import SrochnoCore
import SrochnoCryptoPay
import SrochnoStore
import SrochnoSystem

/// Top-ups (SPEC §8.1): the invoice, its status, and Crypto Pay's webhook. Telegram's webhook,
/// which carries Stars payments, is `TelegramRoutes`.
struct PaymentRoutes: RouteArea {
    let store: Store
    let auth: Authenticator
    let providers: PaymentProviders
    /// Crypto Pay's API token, which keys the webhook signature; nil: no webhook verifies.
    let cryptoPayToken: String?

    static let routes: [RouteEntry<PaymentRoutes>] = [
        RouteEntry("POST", "/api/balance/create-invoice", { $0.createInvoice }),
        RouteEntry("GET", "/api/balance/payment/{payment_id}/status", { $0.status }),
        RouteEntry("POST", "/api/balance/webhook/crypto-bot", { $0.cryptoPayWebhook }),
    ]

    /// Stores the payment, asks the provider for its invoice, then makes the payment payable.
    /// A provider that fails or does not answer leaves the payment `failed`: no invoice the
    /// user could be charged for twice, and a 503 the Mini App shows.
    func createInvoice(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        var fields = FieldReader(try parseJSONObjectBody(context.request.body))
        let amount = fields.int("amount", required: true, range: Bounds.amountRubles)
        let providerName = fields.string("provider")
        let named = providerName.flatMap(PaymentProvider.init(rawValue:))
        if providerName != nil, named == nil {
            let allowed = pydanticAlternatives(PaymentProvider.allCases.map(\.rawValue))
            fields.fail("provider", "Input should be \(allowed)", type: "enum")
        }
        try fields.finish()
        guard let amount else { throw APIError.internalError }
        let provider = named ?? providers.defaultProvider
        guard providers.isConfigured(provider) else { throw APIError(503, "Payment service not configured") }
        let stars = provider == .stars ? providers.starsPrice(rubles: amount) : nil
        let paymentID = try store.createPayment(userID: user.id, provider: provider, amount: amount, stars: stars, now: context.now)
        let invoice: IssuedInvoice
        do {
            invoice = try providers.issueInvoice(provider, paymentID: paymentID, amount: amount, stars: stars)
        } catch {
            StandardError.write(line: "srochno: payment \(paymentID): \(error)")
            try store.markPaymentFailed(paymentID)
            throw APIError(503, "Payment provider unavailable")
        }
        guard
            try store.markPaymentPending(
                paymentID, externalID: invoice.externalID, payURL: invoice.payURL, miniAppInvoiceURL: invoice.miniAppInvoiceURL)
        else { throw APIError.internalError }
        return .json(200) { json in
            json.beginObject()
            json.key("payment_id"); json.value(paymentID)
            json.key("pay_url"); json.value(invoice.payURL)
            json.key("mini_app_invoice_url"); json.value(invoice.miniAppInvoiceURL)
            json.endObject()
        }
    }

    /// The caller's own payment; anyone else's is as unknown as a payment that never existed.
    func status(_ context: RequestContext) throws -> HTTPResponse {
        let user = try auth.requireUser(context)
        let paymentID = try Self.paymentID(context.parameter("payment_id"))
        guard let paymentID, let payment = try store.paymentStatus(paymentID, owner: user.id) else {
            throw APIError(404, "Payment not found")
        }
        let shown = PaymentRules.shownStatus(stored: payment.storedStatus, expiresAt: payment.expiresAt, now: context.now)
        return .json(200) { json in
            json.beginObject()
            json.key("payment_id"); json.value(payment.paymentID)
            json.key("status"); json.value(shown.rawValue)
            json.key("amount"); json.value(payment.amount)
            json.key("new_balance"); json.value(shown == .paid ? payment.balance : nil)
            json.endObject()
        }
    }

    /// An integer path segment as FastAPI reads `payment_id: int` (422 for anything else); nil
    /// for an integer no payment can have (beyond 64 bits), which is simply not found.
    static func paymentID(_ segment: String) throws(APIError) -> Int64? {
        let digits = segment.first == "-" || segment.first == "+" ? segment.dropFirst() : Substring(segment)
        guard !digits.isEmpty, digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            throw APIError.invalidField(
                ["path", "payment_id"], "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing")
        }
        return Int64(segment)
    }

    /// Crypto Pay's update, signed over the raw body. Anything verified is answered 200 so
    /// Crypto Pay stops retrying it; only a paid invoice whose payload (or, for an invoice the
    /// old backend made, its id), currency and amount match our payment credits it, once.
    func cryptoPayWebhook(_ context: RequestContext) throws -> HTTPResponse {
        let body = context.request.body
        guard let token = cryptoPayToken,
            CryptoPayWebhook.verify(body: body, signature: context.request.header(CryptoPayWebhook.signatureHeader), token: token)
        else { throw APIError(401, "Invalid webhook signature") }
        guard let update = CryptoPayWebhook.parse(body: body) else {
            throw APIError.invalidField(["body"], "Value error, not a Crypto Pay update", type: "value_error")
        }
        if let invoice = update.invoice {
            try credit(invoice, context)
        }
        return .json(200) { json in
            json.beginObject()
            json.key("ok"); json.value(true)
            json.endObject()
        }
    }

    private func credit(_ invoice: CryptoPayInvoice, _ context: RequestContext) throws {
        let label = "Crypto Pay invoice \(invoice.invoiceID)"
        // Our invoices carry our payment's id; the old backend's, adopted as pending payments
        // (srochno-adopt), carry no payload and are known by their invoice id.
        guard let paymentID = try invoice.payload.flatMap({ Int64($0) }) ?? store.adoptedPayment(cryptoPayInvoiceID: invoice.invoiceID)
        else {
            StandardError.write(line: "srochno: \(label): paid, but its payload names no payment; nothing credited")
            return
        }
        guard invoice.status == .paid, invoice.currencyType == "fiat", invoice.fiat == "RUB", let rubles = invoice.wholeAmount else {
            StandardError.write(
                line: "srochno: \(label): payment \(paymentID): not a paid whole-ruble fiat invoice "
                    + "(\(invoice.amount) \(invoice.fiat ?? invoice.asset ?? "?")); nothing credited")
            return
        }
        let receipt = PaymentReceipt(
            paymentID: paymentID, provider: .cryptoBot, externalID: String(invoice.invoiceID), amount: .rubles(rubles))
        try PaymentCredits.apply(receipt, label: label, store: store, context: context)
    }
}

/// Credits a verified receipt from a webhook and logs what did not credit; the credited user
/// goes into the request log line. A database failure propagates: the webhook answers 503 and
/// the provider delivers it again (and the reconciliation job would find it).
enum PaymentCredits {
    static func apply(_ receipt: PaymentReceipt, label: String, store: Store, context: RequestContext) throws {
        switch try store.credit(receipt, at: context.now) {
        case .credited(let userID, _): context.userID = userID
        case .alreadyCredited: break
        case .unknownPayment: StandardError.write(line: "srochno: \(label): payment \(receipt.paymentID) is unknown; nothing credited")
        case .mismatch(let why): StandardError.write(line: "srochno: \(label): \(why); nothing credited")
        }
    }
}
