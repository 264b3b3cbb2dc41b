import SrochnoBotAPI
import SrochnoCore
import SrochnoPostgres
import SrochnoStore

// What the Bot API documentation says (core.telegram.org/bots/api, checked through the client
// libraries that mirror it):
// - getStarTransactions(offset, limit 1–100, default 100) "returns the bot's Telegram Star
//   transactions in chronological order"; `offset` is a count of transactions to skip.
// - StarTransaction: `id`, `amount` (whole Stars), optional `nanostar_amount`, `date` (Unix
//   time), `source` only on incoming transactions, `receiver` only on outgoing ones (a refund
//   to a user, a withdrawal). The `id` of a successful incoming payment from a user coincides
//   with SuccessfulPayment.telegram_payment_charge_id, which the webhook stores as the
//   external id; a refund carries the id of the transaction it refunds.
// - TransactionPartnerUser (`source.type == "user"`): `user`, and `invoice_payload` only for
//   `transaction_type` "invoice_payment" (a field since Bot API 9.0; older answers lack it).
//   With an affiliate program the bot's share can be below the invoice's price: that shows
//   here as a Stars mismatch, never as a credit.
// "Chronological" does not say which end offset 0 starts from, and the MTProto method behind it
// answers newest first unless asked for ascending order, so the reading below is right either
// way: pages until a short one or the cap, and stops early only once a page runs backwards in
// time past the window's start. Offsets shifting under new transactions repeat a transaction
// (credited once anyway) rather than skip one in newest-first order, and shift nothing in
// oldest-first order.

extension PaymentReconciler {
    /// Transactions asked for per getStarTransactions call (the most Telegram accepts).
    static let starPageSize = 100

    /// Stars' part: the transactions carry no filter, so they are read only when a Stars
    /// payment is pending in the window, and each incoming payment from a user whose invoice
    /// payload names one of those is credited with its Stars and its payer. Returns the counts
    /// and, when the Bot API failed, why.
    func reconcileStars(
        _ connection: PostgresConnection, _ configuration: BotAPIConfiguration, since: Instant, now: Instant
    ) throws -> (Counts, failure: String?) {
        var counts = Counts()
        let pending = Set(try pendingPayments(connection, .stars, since: since).map(\.id))
        counts.checked = pending.count
        guard !pending.isEmpty else { return (counts, nil) }

        let transactions: [JSONValue]
        do {
            transactions = try readStarTransactions(configuration, since: since)
        } catch {
            return (counts, "stars: \(error)")
        }
        // Stars refunded to the payer are not ours to credit, whatever a webhook missed.
        let refunded = Set(transactions.compactMap(StarPayment.refundedChargeID))
        for transaction in transactions {
            guard let payment = StarPayment(transaction), pending.contains(payment.paymentID), !refunded.contains(payment.chargeID)
            else { continue }
            let receipt = PaymentReceipt(
                paymentID: payment.paymentID, provider: .stars, externalID: payment.chargeID, amount: .stars(payment.stars),
                payer: payment.payer)
            record(try PaymentBook.credit(connection, receipt, at: now), in: &counts, provider: "stars")
        }
        return (counts, nil)
    }

    /// At most `starPages` pages from offset 0; the client (and its connection) lives only
    /// for this reading.
    func readStarTransactions(_ configuration: BotAPIConfiguration, since: Instant) throws(BotAPIError) -> [JSONValue] {
        let client = try BotAPIClient(configuration: configuration)
        var transactions: [JSONValue] = []
        for page in 0..<starPages {
            let batch = try client.getStarTransactions(offset: page * Self.starPageSize, limit: Self.starPageSize)
            transactions += batch
            if batch.count < Self.starPageSize || Self.runsBack(batch, before: since) { return transactions }
        }
        log("stars: stopped at the cap of \(starPages) pages (--star-pages) before the end of the transactions")
        return transactions
    }

    /// True when `page` runs backwards in time and ends before `since`: in newest-first order
    /// every later page is older still and cannot hold the payment of one made in the window.
    /// A page in chronological order never runs backwards, so it never ends that reading.
    static func runsBack(_ page: [JSONValue], before since: Instant) -> Bool {
        guard let first = page.first?["date"]?.intValue, let last = page.last?["date"]?.intValue else { return false }
        return first > last && last < since.seconds
    }
}

/// An incoming Stars payment for one of our invoices, read from a raw `StarTransaction`.
struct StarPayment: Equatable {
    /// The transaction's id: the payment's `telegram_payment_charge_id`.
    let chargeID: String
    let stars: Int64
    /// The Telegram user who paid.
    let payer: Int64
    /// Our payment id, the invoice's payload.
    let paymentID: Int64

    /// Nil for anything else: outgoing transactions (no `source`), other partners (Fragment,
    /// Telegram Ads), other kinds of user transactions (paid media, gifts), payloads that are
    /// not our decimal payment ids, fractional amounts.
    init?(_ transaction: JSONValue) {
        guard let source = transaction["source"], source["type"]?.stringValue == "user",
            source["transaction_type"].map({ $0.stringValue == "invoice_payment" }) ?? true,
            let paymentID = source["invoice_payload"]?.stringValue.flatMap(Self.paymentID(payload:)),
            let payer = source["user"]?["id"]?.intValue,
            let chargeID = transaction["id"]?.stringValue, !chargeID.isEmpty,
            let stars = transaction["amount"]?.intValue, stars > 0, (transaction["nanostar_amount"]?.intValue ?? 0) == 0
        else { return nil }
        self.chargeID = chargeID
        self.stars = stars
        self.payer = payer
        self.paymentID = paymentID
    }

    /// The id of an outgoing transaction: for a refund, the id of the payment it refunds.
    static func refundedChargeID(_ transaction: JSONValue) -> String? {
        guard transaction["source"] == nil, transaction["receiver"] != nil else { return nil }
        return transaction["id"]?.stringValue
    }

    /// Our payloads are payment ids in decimal digits; nothing else is read as one.
    static func paymentID(payload: String) -> Int64? {
        guard !payload.isEmpty, payload.utf8.count <= 18, payload.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        return Int64(payload)
    }
}
