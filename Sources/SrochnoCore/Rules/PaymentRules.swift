/// How a top-up looks to its owner and what may be paid for it (SPEC §8.1), decided from the
/// stored record and the time passed in.
public enum PaymentRules {
    /// An invoice is payable this long: Crypto Pay's `expires_in` and our `expires_at`.
    public static let lifetimeMinutes = 30

    /// The status `GET /api/balance/payment/{id}/status` shows.
    public enum ShownStatus: String, Sendable {
        case pending, paid, expired
    }

    /// `paid` once credited; a pending payment is `expired` from `expiresAt` on (lazily, as
    /// orders expire) though money that still arrives is credited. A payment whose invoice
    /// was never made (`failed`) can never be paid and shows `expired`; one whose invoice is
    /// still being made (`creating`) shows `pending`.
    public static func shownStatus(stored: String, expiresAt: Instant, now: Instant) -> ShownStatus {
        switch stored {
        case "paid": .paid
        case "pending", "creating": now < expiresAt ? .pending : .expired
        default: .expired
        }
    }

    /// The price in whole Stars of `rubles` at `starsPerRubleMicros` millionths of a Star per
    /// ruble, rounded up so a top-up never costs less than its rubles are worth; at least 1.
    /// Integer arithmetic only: 100,000 rubles × at most 10^12 micros stays far below 2^63.
    public static func starsPrice(rubles: Int64, starsPerRubleMicros: Int64) -> Int64 {
        precondition(rubles > 0 && starsPerRubleMicros > 0, "a price of a positive amount at a positive rate")
        let micros = rubles.multipliedReportingOverflow(by: starsPerRubleMicros)
        precondition(!micros.overflow, "amount × rate overflows")
        return max(1, (micros.partialValue + 999_999) / 1_000_000)
    }

    /// Why Telegram must not take the Stars of a pre-checkout query, as the user reads it in
    /// the payment form; nil when the payment may go ahead.
    public static func preCheckoutRefusal(
        storedStatus: String?, owner: Int64?, stars: Int64?, expiresAt: Instant?,
        payer: Int64, currency: String, totalAmount: Int64, now: Instant
    ) -> String? {
        guard let storedStatus, let owner, let expiresAt else { return "Платёж не найден" }
        if storedStatus == "paid" { return "Этот счёт уже оплачен" }
        guard storedStatus == "pending", now < expiresAt else { return "Срок действия счёта истёк, создайте новый" }
        guard owner == payer, currency == "XTR", stars == totalAmount else { return "Счёт не совпадает с платежом" }
        return nil
    }
}
