import SrochnoCore
import SrochnoStore
import SrochnoSystem

/// `POST /api/telegram/webhook`: the Bot API's updates (SPEC §8.1), of which Stars payments
/// use two. A pre-checkout query is answered in this response (Telegram gives the bot 10 s,
/// and a method in the webhook's answer costs no outbound call); a successful payment credits
/// its payment once, keyed on `telegram_payment_charge_id`. Every other update → 200 `{}`.
struct TelegramRoutes: RouteArea {
    let store: Store
    /// `X-Telegram-Bot-Api-Secret-Token`, as given to `setWebhook`; nil: no update verifies.
    let webhookSecret: String?

    static let secretHeader = "x-telegram-bot-api-secret-token"

    static let routes: [RouteEntry<TelegramRoutes>] = [
        RouteEntry("POST", "/api/telegram/webhook", { $0.webhook })
    ]

    func webhook(_ context: RequestContext) throws -> HTTPResponse {
        guard let webhookSecret, Self.sameSecret(context.request.header(Self.secretHeader), webhookSecret) else {
            throw APIError(401, "Invalid webhook secret")
        }
        let update = try parseJSONObjectBody(context.request.body)
        if let query = update["pre_checkout_query"] {
            return try answerPreCheckout(query, context)
        }
        if let message = update["message"], let payment = message["successful_payment"] {
            try credit(payment, payer: message["from"]?["id"]?.intValue, context)
        }
        return .json(200) { json in
            json.beginObject()
            json.endObject()
        }
    }

    /// Compares SHA-256 digests in constant time, so neither the secret's bytes nor its length
    /// show in the timing.
    static func sameSecret(_ received: String?, _ expected: String) -> Bool {
        guard let received, let lhs = sha256(Array(received.utf8)), let rhs = sha256(Array(expected.utf8)) else { return false }
        return constantTimeEquals(lhs, rhs)
    }

    /// `ok: true` only for a pending, unexpired Stars payment of the payer, in XTR at its price.
    private func answerPreCheckout(_ query: JSONValue, _ context: RequestContext) throws -> HTTPResponse {
        guard let queryID = query["id"]?.stringValue else {
            throw APIError.invalidField(["body", "pre_checkout_query"], "Value error, not a pre-checkout query", type: "value_error")
        }
        let payer = query["from"]?["id"]?.intValue
        let paymentID = query["invoice_payload"]?.stringValue.flatMap { Int64($0) }
        let payment = try paymentID.flatMap { try store.payment($0) }.flatMap { $0.provider == .stars ? $0 : nil }
        let refusal =
            payer == nil
            ? "Платёж не найден"
            : PaymentRules.preCheckoutRefusal(
                storedStatus: payment?.status, owner: payment?.userID, stars: payment?.stars, expiresAt: payment?.expiresAt,
                payer: payer ?? 0, currency: query["currency"]?.stringValue ?? "", totalAmount: query["total_amount"]?.intValue ?? -1,
                now: context.now)
        if let refusal, let paymentID {
            StandardError.write(line: "srochno: Stars pre-checkout for payment \(paymentID) declined: \(refusal)")
        }
        context.userID = payer
        return .json(200) { json in
            json.beginObject()
            json.key("method"); json.value("answerPreCheckoutQuery")
            json.key("pre_checkout_query_id"); json.value(queryID)
            json.key("ok"); json.value(refusal == nil)
            if let refusal { json.key("error_message"); json.value(refusal) }
            json.endObject()
        }
    }

    private func credit(_ payment: JSONValue, payer: Int64?, _ context: RequestContext) throws {
        guard let chargeID = payment["telegram_payment_charge_id"]?.stringValue, !chargeID.isEmpty else {
            throw APIError.invalidField(
                ["body", "message", "successful_payment"], "Value error, not a successful payment", type: "value_error")
        }
        let label = "Stars charge"
        guard let paymentID = payment["invoice_payload"]?.stringValue.flatMap({ Int64($0) }) else {
            StandardError.write(line: "srochno: \(label): its payload names no payment; nothing credited")
            return
        }
        guard payment["currency"]?.stringValue == "XTR", let stars = payment["total_amount"]?.intValue, let payer else {
            StandardError.write(line: "srochno: \(label) for payment \(paymentID): not an XTR payment by a user; nothing credited")
            return
        }
        let receipt = PaymentReceipt(paymentID: paymentID, provider: .stars, externalID: chargeID, amount: .stars(stars), payer: payer)
        try PaymentCredits.apply(receipt, label: label, store: store, context: context)
    }
}
