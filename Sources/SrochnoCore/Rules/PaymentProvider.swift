/// A top-up provider (SPEC §8.1), by the name the API, the settings and the database use.
public enum PaymentProvider: String, Sendable, CaseIterable {
    case cryptoBot = "crypto_bot"
    case stars
}
