import SrochnoCore
import Testing

@Suite struct PaymentRulesTests {
    let expiry = Instant(seconds: 1_900_001_800)

    @Test func aPendingPaymentShowsExpiredFromItsExpiryOn() {
        #expect(PaymentRules.shownStatus(stored: "pending", expiresAt: expiry, now: expiry.adding(seconds: -1)) == .pending)
        #expect(PaymentRules.shownStatus(stored: "pending", expiresAt: expiry, now: expiry) == .expired)
        #expect(PaymentRules.shownStatus(stored: "creating", expiresAt: expiry, now: expiry.adding(seconds: -1)) == .pending)
        #expect(PaymentRules.shownStatus(stored: "failed", expiresAt: expiry, now: expiry.adding(seconds: -60)) == .expired)
        #expect(PaymentRules.shownStatus(stored: "paid", expiresAt: expiry, now: expiry.adding(seconds: 3600)) == .paid)
    }

    @Test func starsAreRoundedUpAndNeverZero() {
        #expect(PaymentRules.starsPrice(rubles: 100, starsPerRubleMicros: 700_000) == 70)
        #expect(PaymentRules.starsPrice(rubles: 1, starsPerRubleMicros: 700_000) == 1)
        #expect(PaymentRules.starsPrice(rubles: 3, starsPerRubleMicros: 700_000) == 3, "2.1 Stars cost 3")
        #expect(PaymentRules.starsPrice(rubles: 7, starsPerRubleMicros: 1) == 1)
        #expect(
            PaymentRules.starsPrice(rubles: 100_000, starsPerRubleMicros: 999_999_999_999) == 100_000_000_000, "99,999,999,999.9 rounded up"
        )
    }

    @Test func preCheckoutGoesAheadOnlyForTheOwnersPendingUnexpiredPaymentAtItsPrice() {
        let now = expiry.adding(seconds: -10)
        func refusal(
            status: String? = "pending", owner: Int64? = 5, stars: Int64? = 70, expiresAt: Instant? = nil,
            payer: Int64 = 5, currency: String = "XTR", total: Int64 = 70, at time: Instant? = nil
        ) -> String? {
            PaymentRules.preCheckoutRefusal(
                storedStatus: status, owner: owner, stars: stars, expiresAt: status == nil ? nil : (expiresAt ?? expiry),
                payer: payer, currency: currency, totalAmount: total, now: time ?? now)
        }
        #expect(refusal() == nil)
        #expect(refusal(status: nil, owner: nil) != nil, "unknown")
        #expect(refusal(status: "paid") != nil)
        #expect(refusal(status: "failed") != nil)
        #expect(refusal(at: expiry) != nil, "expired")
        #expect(refusal(payer: 6) != nil, "another user")
        #expect(refusal(currency: "USD") != nil)
        #expect(refusal(total: 71) != nil)
    }
}
