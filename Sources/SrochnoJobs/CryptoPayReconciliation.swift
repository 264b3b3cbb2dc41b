import SrochnoCore
import SrochnoCryptoPay
import SrochnoPostgres
import SrochnoStore

extension PaymentReconciler {
    /// Crypto Pay's part: a pending `crypto_bot` payment's external id is its invoice id, so
    /// Crypto Pay is asked about exactly those invoices. A paid invoice credits its payment
    /// when it is the fiat ruble invoice we made for it; anything else about a paid invoice is
    /// a mismatch. No pending payment → no call. Returns the counts and, when Crypto Pay
    /// failed, why.
    func reconcileCryptoPay(
        _ connection: PostgresConnection, _ configuration: CryptoPayConfiguration, since: Instant, now: Instant
    ) throws -> (Counts, failure: String?) {
        var counts = Counts()
        var byInvoice: [Int64: PaymentRecord] = [:]
        for payment in try pendingPayments(connection, .cryptoBot, since: since) {
            // Pending means the invoice was made and its id stored (MarkPaymentPending).
            guard let invoiceID = payment.externalID.flatMap({ Int64($0) }) else {
                log("crypto_bot: payment \(payment.id) is pending without a Crypto Pay invoice id")
                continue
            }
            byInvoice[invoiceID] = payment
        }
        counts.checked = byInvoice.count
        guard !byInvoice.isEmpty else { return (counts, nil) }

        let invoices: [CryptoPayInvoice]
        do {
            // The client (and its connection) lives only for this call.
            invoices = try CryptoPayClient(configuration: configuration).getInvoices(invoiceIDs: byInvoice.keys.sorted())
        } catch {
            return (counts, "crypto_bot: \(error)")
        }
        for invoice in invoices where invoice.status == .paid {
            // An invoice we did not ask about (Crypto Pay ignoring the filter) is not ours to judge.
            guard let payment = byInvoice[invoice.invoiceID] else { continue }
            guard let rubles = Self.creditableRubles(invoice, expectedPayload: payment.cryptoPayPayload) else {
                counts.mismatches += 1
                let why = Self.whyNotCreditable(invoice, expectedPayload: payment.cryptoPayPayload)
                log("crypto_bot mismatch: invoice \(invoice.invoiceID) of payment \(payment.id): \(why)")
                continue
            }
            // The amount against the stored one, the payer and the exactly-once rule: the store's.
            let receipt = PaymentReceipt(
                paymentID: payment.id, provider: .cryptoBot, externalID: String(invoice.invoiceID), amount: .rubles(rubles))
            record(try PaymentBook.credit(connection, receipt, at: now), in: &counts, provider: "crypto_bot")
        }
        return (counts, nil)
    }

    /// The whole rubles a paid invoice brings its payment: it must carry the payload the
    /// payment's invoice was made with (our id; none for an invoice the old backend made and
    /// `srochno-adopt` carried over, `PaymentRecord.cryptoPayPayload`) and be a fiat RUB invoice
    /// of whole rubles; nil otherwise.
    static func creditableRubles(_ invoice: CryptoPayInvoice, expectedPayload: String?) -> Int64? {
        guard invoice.payload == expectedPayload, invoice.currencyType == "fiat", invoice.fiat == "RUB" else { return nil }
        return invoice.wholeAmount
    }

    /// Why `creditableRubles` refused: the invoice's own codes and amount, never its payload
    /// (which could hold anything).
    static func whyNotCreditable(_ invoice: CryptoPayInvoice, expectedPayload: String?) -> String {
        if invoice.payload != expectedPayload { return "its payload does not name the payment" }
        if invoice.currencyType != "fiat" || invoice.fiat != "RUB" {
            let currency = invoice.fiat ?? invoice.asset ?? "no currency"
            return "currency \(invoice.currencyType ?? "of no type") \(currency), not fiat RUB"
        }
        return "amount \(invoice.amount) is not whole rubles"
    }
}
