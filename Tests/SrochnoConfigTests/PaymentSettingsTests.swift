import SrochnoConfig
import SrochnoCore
import Testing

/// The payment providers' settings (SPEC §8.1): nothing configured by default, URLs and the
/// Stars rate checked at start-up, the rate read exactly.
@Suite struct PaymentSettingsTests {
    let minimal = ["SROCHNO_DATABASE_URL": "host=/tmp dbname=x", "SROCHNO_BOT_TOKEN": "1:abc"]

    private func parse(_ overrides: [String: String]) throws -> Settings {
        try Settings.parse(minimal.merging(overrides) { _, override in override })
    }

    @Test func noProviderIsConfiguredByDefault() throws {
        let settings = try parse([:])
        #expect(settings.cryptoPayToken == nil)
        #expect(settings.starsPerRubleMicros == nil)
        #expect(settings.telegramWebhookSecret == nil)
        #expect(settings.cryptoPayURL == "https://pay.crypt.bot")
        #expect(settings.botAPIURL == "https://api.telegram.org")
        #expect(settings.defaultPaymentProvider == .cryptoBot)
        #expect(settings.providerTimeoutMilliseconds == 5000)
    }

    @Test func readsEveryPaymentSetting() throws {
        let settings = try parse([
            "SROCHNO_CRYPTO_PAY_TOKEN": "12345:AAabc", "SROCHNO_CRYPTO_PAY_URL": "https://testnet-pay.crypt.bot/",
            "SROCHNO_BOT_API_URL": "http://127.0.0.1:18181", "SROCHNO_TELEGRAM_WEBHOOK_SECRET": "s3cret_-X",
            "SROCHNO_STARS_PER_RUBLE": "0.7", "SROCHNO_PAYMENT_DEFAULT_PROVIDER": "stars", "SROCHNO_PROVIDER_TIMEOUT_MS": "1500",
        ])
        #expect(settings.cryptoPayToken == "12345:AAabc")
        #expect(settings.cryptoPayURL == "https://testnet-pay.crypt.bot", "a trailing slash is dropped")
        #expect(settings.botAPIURL == "http://127.0.0.1:18181")
        #expect(settings.telegramWebhookSecret == "s3cret_-X")
        #expect(settings.starsPerRubleMicros == 700_000)
        #expect(settings.defaultPaymentProvider == .stars)
        #expect(settings.providerTimeoutMilliseconds == 1500)
    }

    @Test(arguments: [("2", Int64(2_000_000)), ("0.000001", 1), ("1.5", 1_500_000), ("12.345678", 12_345_678)])
    func theStarsRateIsReadExactly(_ text: String, _ micros: Int64) throws {
        #expect(try parse(["SROCHNO_STARS_PER_RUBLE": text]).starsPerRubleMicros == micros)
    }

    @Test(arguments: [
        (
            "SROCHNO_STARS_PER_RUBLE", "abc",
            "SROCHNO_STARS_PER_RUBLE must be a positive decimal such as 0.7 (at most 6 decimals), got 'abc'"
        ),
        ("SROCHNO_STARS_PER_RUBLE", "-1", "SROCHNO_STARS_PER_RUBLE must be a positive decimal such as 0.7 (at most 6 decimals), got '-1'"),
        ("SROCHNO_STARS_PER_RUBLE", "1.", "SROCHNO_STARS_PER_RUBLE must be a positive decimal such as 0.7 (at most 6 decimals), got '1.'"),
        (
            "SROCHNO_STARS_PER_RUBLE", "0.0000001",
            "SROCHNO_STARS_PER_RUBLE must be a positive decimal such as 0.7 (at most 6 decimals), got '0.0000001'"
        ),
        ("SROCHNO_STARS_PER_RUBLE", "0", "SROCHNO_STARS_PER_RUBLE must be above 0, got '0'"),
        (
            "SROCHNO_CRYPTO_PAY_URL", "ftp://pay.crypt.bot",
            "SROCHNO_CRYPTO_PAY_URL must be an http:// or https:// URL, got 'ftp://pay.crypt.bot'"
        ),
        ("SROCHNO_BOT_API_URL", "https://", "SROCHNO_BOT_API_URL must be an http:// or https:// URL, got 'https://'"),
        (
            "SROCHNO_TELEGRAM_WEBHOOK_SECRET", "has space",
            "SROCHNO_TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's secret_token)"
        ),
        ("SROCHNO_PAYMENT_DEFAULT_PROVIDER", "paypal", "SROCHNO_PAYMENT_DEFAULT_PROVIDER must be one of crypto_bot, stars, got 'paypal'"),
        ("SROCHNO_PROVIDER_TIMEOUT_MS", "50", "SROCHNO_PROVIDER_TIMEOUT_MS must be a whole number in 100...60000, got '50'"),
    ])
    func aBadPaymentSettingStopsStartUp(_ name: String, _ value: String, _ message: String) throws {
        #expect(throws: ConfigurationError(message)) { try parse([name: value]) }
    }

    /// The provider call and the payment's statements share one request deadline.
    @Test func aProviderTimeoutMustLeaveTheRequestASecond() throws {
        let message =
            "SROCHNO_PROVIDER_TIMEOUT_MS (7500) must be at least 1000 below SROCHNO_REQUEST_TIMEOUT_MS (8000): the invoice's database work needs that time"
        #expect(throws: ConfigurationError(message)) {
            try parse(["SROCHNO_CRYPTO_PAY_TOKEN": "1:AAA", "SROCHNO_PROVIDER_TIMEOUT_MS": "7500"])
        }
        #expect(
            try parse(["SROCHNO_CRYPTO_PAY_TOKEN": "1:AAA", "SROCHNO_PROVIDER_TIMEOUT_MS": "7000"]).providerTimeoutMilliseconds == 7000)
        #expect(try parse(["SROCHNO_PROVIDER_TIMEOUT_MS": "7500"]).providerTimeoutMilliseconds == 7500, "no provider, nothing to fit")
    }
}
