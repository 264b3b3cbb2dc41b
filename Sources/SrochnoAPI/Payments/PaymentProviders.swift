import SrochnoBotAPI
import SrochnoConfig
import SrochnoCore
import SrochnoCryptoPay

/// An invoice a provider made: where the user pays it.
struct IssuedInvoice {
    /// Crypto Pay's invoice id; nil for Stars, whose id comes with the money.
    let externalID: String?
    let payURL: String
    let miniAppInvoiceURL: String?
}

/// The provider failed or did not answer in time: no invoice the user could pay exists.
struct ProviderFailure: Error, CustomStringConvertible {
    let description: String
}

/// The top-up providers of one worker (SPEC §8.1), as the settings configure them. Clients
/// are opened on first use and kept, so one keep-alive connection per provider serves the
/// worker's invoices; they are not `Sendable`, like the worker that owns them.
///
/// Only `create-invoice` calls out, and nginx sends it to the small outbound pool, so a
/// provider that hangs holds at most those workers, each for at most the provider timeout.
final class PaymentProviders {
    private let settings: Settings
    private var cryptoPay: CryptoPayClient?
    private var botAPI: BotAPIClient?

    init(settings: Settings) {
        self.settings = settings
    }

    /// Crypto Pay needs its token. Stars need the bot's token, a rate and the webhook secret:
    /// without the secret no pre-checkout query could be answered, and Telegram would refuse
    /// every payment after making the user wait for it.
    func isConfigured(_ provider: PaymentProvider) -> Bool {
        switch provider {
        case .cryptoBot: settings.cryptoPayToken != nil
        case .stars: settings.botToken != nil && settings.starsPerRubleMicros != nil && settings.telegramWebhookSecret != nil
        }
    }

    var defaultProvider: PaymentProvider { settings.defaultPaymentProvider }

    /// The Stars price of `rubles`; nil when Stars are not configured.
    func starsPrice(rubles: Int64) -> Int64? {
        settings.starsPerRubleMicros.map { PaymentRules.starsPrice(rubles: rubles, starsPerRubleMicros: $0) }
    }

    /// Asks `provider` for an invoice of `amount` rubles (`stars` for Stars) carrying
    /// `paymentID` as its payload.
    func issueInvoice(_ provider: PaymentProvider, paymentID: Int64, amount: Int64, stars: Int64?) throws(ProviderFailure)
        -> IssuedInvoice
    {
        switch provider {
        case .cryptoBot:
            do {
                let invoice = try cryptoPayClient().createInvoice(
                    amountRubles: amount, description: "Пополнение баланса Srochno на \(amount) ₽", payload: String(paymentID),
                    expiresInSeconds: PaymentRules.lifetimeMinutes * 60)
                return IssuedInvoice(
                    externalID: String(invoice.invoiceID), payURL: invoice.botInvoiceURL, miniAppInvoiceURL: invoice.miniAppInvoiceURL)
            } catch {
                throw ProviderFailure(description: "Crypto Pay createInvoice: \(error)")
            }
        case .stars:
            guard let stars else { throw ProviderFailure(description: "a Stars invoice without a Stars price") }
            do {
                let link = try botAPIClient().createInvoiceLink(
                    title: "Пополнение баланса", description: "Пополнение баланса Srochno на \(amount) ₽", payload: String(paymentID),
                    currency: "XTR", prices: [LabeledPrice(label: "\(amount) ₽", amount: stars)])
                return IssuedInvoice(externalID: nil, payURL: link, miniAppInvoiceURL: link)
            } catch {
                throw ProviderFailure(description: "Bot API createInvoiceLink: \(error)")
            }
        }
    }

    private func cryptoPayClient() throws(CryptoPayError) -> CryptoPayClient {
        if let cryptoPay { return cryptoPay }
        let client = try CryptoPayClient(
            configuration: CryptoPayConfiguration(
                token: settings.cryptoPayToken ?? "", baseURL: settings.cryptoPayURL,
                connectTimeoutMilliseconds: settings.providerTimeoutMilliseconds,
                totalTimeoutMilliseconds: settings.providerTimeoutMilliseconds))
        cryptoPay = client
        return client
    }

    private func botAPIClient() throws(BotAPIError) -> BotAPIClient {
        if let botAPI { return botAPI }
        let client = try BotAPIClient(
            configuration: BotAPIConfiguration(
                token: settings.botToken ?? "", baseURL: settings.botAPIURL,
                connectTimeoutMilliseconds: settings.providerTimeoutMilliseconds,
                totalTimeoutMilliseconds: settings.providerTimeoutMilliseconds))
        botAPI = client
        return client
    }
}
