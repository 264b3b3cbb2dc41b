import Glibc
import SrochnoCore
import SrochnoPostgres
import SrochnoTestSupport
import Testing

/// The stack as the payment tests see it: the provider URLs in the test config point at fixed
/// loopback ports where the tests run `FakeCryptoPay` and `FakeBotAPI`, and the tokens, the
/// webhook secret and the reconciliation binary come from scripts/test. Missing settings fail
/// the test; nothing here ever skips.
struct PaymentStack: Sendable {
    /// `SROCHNO_STARS_PER_RUBLE=0.7` in the test config, as a fraction for exact ceilings.
    static let starsPerRuble = (numerator: Int64(7), denominator: Int64(10))

    let stack: TestStack
    let cryptoPayToken: String
    let cryptoPayPort: UInt16
    let botAPIPort: UInt16
    let webhookSecret: String
    let configPath: String
    let reconcileBinary: String

    init() throws {
        let required = TestStack.required
        func port(_ name: String) throws -> UInt16 {
            guard let port = UInt16(try required(name)), port > 0 else { throw TestStack.NotConfigured(name: "\(name) (a port)") }
            return port
        }
        stack = try TestStack()
        cryptoPayToken = try required("SROCHNO_TEST_CRYPTO_PAY_TOKEN")
        cryptoPayPort = try port("SROCHNO_TEST_CRYPTO_PAY_PORT")
        botAPIPort = try port("SROCHNO_TEST_BOT_API_PORT")
        webhookSecret = try required("SROCHNO_TEST_WEBHOOK_SECRET")
        configPath = try required("SROCHNO_TEST_CONFIG")
        reconcileBinary = try required("SROCHNO_TEST_RECONCILE_BIN")
    }

    var client: HTTPClient { stack.client }

    /// The Stars price of `rubles` in the test config: ceil(rubles × 0.7).
    static func stars(forRubles rubles: Int64) -> Int64 {
        (rubles * starsPerRuble.numerator + starsPerRuble.denominator - 1) / starsPerRuble.denominator
    }

    // MARK: - Fakes on the configured ports

    /// Runs `body` with both providers faked on the ports the stack calls, and stops them
    /// afterwards whatever happens. Only `PaymentProviderTests` (one serialized suite) calls
    /// this, so no two tests ever race for the ports.
    func withFakes<T>(
        cryptoPay cryptoMode: FakeProviderMode = .normal, botAPI botMode: FakeProviderMode = .normal,
        _ body: (FakeCryptoPay, FakeBotAPI) throws -> T
    ) throws -> T {
        // A generous bound: `stop()` ends them as soon as the test is done.
        let lifetime = 300_000
        let cryptoPay = try FakeCryptoPay(token: cryptoPayToken, port: cryptoPayPort, mode: cryptoMode, lifetimeMilliseconds: lifetime)
        defer { cryptoPay.stop() }
        let botAPI = try FakeBotAPI(token: stack.botToken, port: botAPIPort, mode: botMode, lifetimeMilliseconds: lifetime)
        defer { botAPI.stop() }
        return try body(cryptoPay, botAPI)
    }

    // MARK: - The top-up endpoints

    func createInvoice(as user: TestUser, amount: Int64, provider: String? = nil) throws -> HTTPResult {
        let body = jsonText { json in
            json.beginObject()
            json.key("amount")
            json.value(amount)
            if let provider {
                json.key("provider")
                json.value(provider)
            }
            json.endObject()
        }
        return try client.post("/api/balance/create-invoice", json: body, as: user)
    }

    /// Creates an invoice that must succeed and returns what the Mini App gets.
    func createdInvoice(as user: TestUser, amount: Int64, provider: String? = nil) throws -> CreatedInvoice {
        let response = try createInvoice(as: user, amount: amount, provider: provider)
        guard response.status == 200, let body = try? response.json(), let id = body["payment_id"]?.intValue,
            let payURL = body["pay_url"]?.stringValue
        else { throw HTTPClientError(description: "create-invoice failed: \(response.status) \(response.text)") }
        return CreatedInvoice(paymentID: id, payURL: payURL, miniAppInvoiceURL: body["mini_app_invoice_url"]?.stringValue, body: body)
    }

    func status(of paymentID: Int64, as user: TestUser) throws -> HTTPResult {
        try client.get("/api/balance/payment/\(paymentID)/status", as: user)
    }

    /// Posts a Crypto Pay webhook: its raw body, with `signature` in `crypto-pay-api-signature`
    /// (none when nil).
    func deliver(cryptoPay body: [UInt8], signature: String?) throws -> HTTPResult {
        try client.send(
            "POST", "/api/balance/webhook/crypto-bot",
            headers: signature.map { [(SignedCryptoPayWebhook.signatureHeader, $0)] } ?? [], body: body)
    }

    func deliver(_ webhook: SignedCryptoPayWebhook) throws -> HTTPResult {
        try deliver(cryptoPay: webhook.body, signature: webhook.signature)
    }

    /// Posts a Bot API update as Telegram does, with the configured secret.
    func deliver(telegram update: JSONValue) throws -> HTTPResult {
        try deliver(telegram: update, secretHeader: webhookSecret)
    }

    /// Posts a Bot API update with `secretHeader` as `X-Telegram-Bot-Api-Secret-Token`; nil
    /// sends no such header at all.
    func deliver(telegram update: JSONValue, secretHeader: String?) throws -> HTTPResult {
        var writer = JSONWriter()
        writer.value(update)
        return try client.send(
            "POST", "/api/telegram/webhook", headers: secretHeader.map { [("X-Telegram-Bot-Api-Secret-Token", $0)] } ?? [],
            body: writer.bytes)
    }

    /// Runs `srochno-reconcile` against the stack's config, as its systemd timer would.
    func reconcile() throws -> ProcessOutcome {
        try runProcess(reconcileBinary, environment: ["PATH=/usr/bin:/bin", "SROCHNO_CONFIG=\(configPath)"], timeoutSeconds: 60)
    }
}

/// The answer of a successful `POST /api/balance/create-invoice`.
struct CreatedInvoice: Sendable {
    let paymentID: Int64
    let payURL: String
    let miniAppInvoiceURL: String?
    let body: JSONValue

    /// Our payment id as every provider carries it back: the invoice payload.
    var payload: String { String(paymentID) }
}

/// A random charge id in the shape of Telegram's Stars `telegram_payment_charge_id`.
func uniqueChargeID() -> String {
    "stxTest" + String(UInt64.random(in: 1...UInt64.max), radix: 36) + String(UInt64.random(in: 1...UInt64.max), radix: 36)
}

/// Expects the status answer of a payment: `status`, `amount` and `new_balance` (null unless paid).
func expectPaymentStatus(
    _ response: HTTPResult, id: Int64, _ status: String, amount: Int64, newBalance: Int64?,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(response.status == 200, "body: \(response.text)", sourceLocation: sourceLocation)
    let body = try? response.json()
    #expect(body?["payment_id"] == .int(id), "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(body?["status"] == .string(status), "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(body?["amount"] == .int(amount), "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(body?["new_balance"] == newBalance.map { .int($0) } ?? .null, "body: \(response.text)", sourceLocation: sourceLocation)
}

/// Expects the pre-checkout answer in the webhook response itself (SPEC §8.1):
/// `{"method":"answerPreCheckoutQuery","pre_checkout_query_id":…,"ok":…}`, with an
/// `error_message` for the user exactly when `ok` is false.
func expectPreCheckoutAnswer(_ response: HTTPResult, queryID: String, ok: Bool, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(response.status == 200, "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(response.headers["content-type"] == "application/json", sourceLocation: sourceLocation)
    let body = try? response.json()
    #expect(body?["method"] == .string("answerPreCheckoutQuery"), "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(body?["pre_checkout_query_id"] == .string(queryID), "body: \(response.text)", sourceLocation: sourceLocation)
    #expect(body?["ok"] == .bool(ok), "body: \(response.text)", sourceLocation: sourceLocation)
    if ok {
        #expect(body?["error_message"] == nil, "body: \(response.text)", sourceLocation: sourceLocation)
    } else {
        #expect(body?["error_message"]?.stringValue?.isEmpty == false, "body: \(response.text)", sourceLocation: sourceLocation)
    }
}
