@testable import SrochnoStore
import SrochnoBotAPI
import SrochnoCore
import SrochnoCryptoPay
import SrochnoPostgres
import SrochnoTestSupport

/// Pending payments as the API leaves them, and loopback fakes of the providers that may have
/// been paid for them, for the reconciliation job's tests.
enum PaymentFakes {
    static let cryptoPayToken = "4242:CRYPTO-reconcile_token"
    static let botToken = "987654:BOT-reconcile_token"

    /// A `crypto_bot` payment of `amount` rubles whose invoice `invoice` was made at `createdAt`.
    static func pendingCryptoPay(_ db: PostgresConnection, user: Int64, amount: Int64 = 300, invoice: Int64, createdAt: Instant) throws
        -> Int64
    {
        let id = try db.queryOne(
            InsertPayment(userID: user, provider: .cryptoBot, amount: amount, stars: nil, now: createdAt, lifetimeMinutes: 30))
        try db.run(
            MarkPaymentPending(
                paymentID: id, externalID: String(invoice), payURL: "https://t.me/CryptoBot?start=IV\(invoice)", miniAppInvoiceURL: nil))
        return id
    }

    /// A Stars payment of `amount` rubles priced `stars` Stars, its invoice link made at `createdAt`.
    static func pendingStars(_ db: PostgresConnection, user: Int64, amount: Int64 = 100, stars: Int64 = 70, createdAt: Instant) throws
        -> Int64
    {
        let id = try db.queryOne(
            InsertPayment(userID: user, provider: .stars, amount: amount, stars: stars, now: createdAt, lifetimeMinutes: 30))
        try db.run(MarkPaymentPending(paymentID: id, externalID: nil, payURL: "https://t.me/$invoice\(id)", miniAppInvoiceURL: nil))
        return id
    }

    static func ledgerRows(_ db: PostgresConnection, payment: Int64) throws -> Int64 {
        try db.integer("SELECT count(*) FROM balance_transactions WHERE payment_id = $1::bigint", [payment])
    }

    static func cryptoPayConfiguration(_ baseURL: String) -> CryptoPayConfiguration {
        CryptoPayConfiguration(token: cryptoPayToken, baseURL: baseURL, connectTimeoutMilliseconds: 2000, totalTimeoutMilliseconds: 5000)
    }

    static func botAPIConfiguration(_ baseURL: String) -> BotAPIConfiguration {
        BotAPIConfiguration(token: botToken, baseURL: baseURL, connectTimeoutMilliseconds: 2000, totalTimeoutMilliseconds: 5000)
    }

    /// A JSON API answering each call with what `answer` makes of the request's JSON body.
    static func fakeAPI(maxRequests: Int = 4, _ answer: @escaping @Sendable (JSONValue) -> String) -> FakeHTTPServer {
        FakeHTTPServer(maxRequests: maxRequests) { request in
            let body = (try? JSONParser.parse(request.body)) ?? .null
            return .respond(status: 200, headers: [("Content-Type", "application/json")], body: jsonBytes(answer(body)))
        }
    }

    /// Crypto Pay answering every getInvoices with `invoices`, as the service does: `{"items": […]}`.
    static func cryptoPay(_ invoices: [String], maxRequests: Int = 4) -> FakeHTTPServer {
        fakeAPI(maxRequests: maxRequests) { _ in #"{"ok":true,"result":{"items":[\#(invoices.joined(separator: ","))]}}"# }
    }

    /// An invoice as getInvoices describes it; a nil payload leaves the field out, as Crypto Pay
    /// does for an invoice made without one (the old backend's).
    static func invoice(
        _ id: Int64, status: String = "paid", payload: String?, amount: String = "300", currencyType: String = "fiat",
        fiat: String? = "RUB", asset: String? = nil
    ) -> String {
        let currency = (fiat.map { #","fiat":"\#($0)""# } ?? "") + (asset.map { #","asset":"\#($0)""# } ?? "")
        return #"""
            {"invoice_id":\#(id),"hash":"IV\#(id)","currency_type":"\#(currencyType)"\#(currency),"amount":"\#(amount)",\#
            "bot_invoice_url":"https://t.me/CryptoBot?start=IV\#(id)","status":"\#(status)"\#(payload.map { #","payload":"\#($0)""# } ?? ""),\#
            "created_at":"2030-03-17T17:00:00.000Z"\#(status == "paid" ? #","paid_at":"2030-03-17T17:05:00.000Z""# : "")}
            """#
    }

    /// The Bot API answering getStarTransactions with `transactions`, `offset` and `limit`
    /// applied as Telegram applies them.
    static func botAPI(_ transactions: [String], maxRequests: Int = 4) -> FakeHTTPServer {
        fakeAPI(maxRequests: maxRequests) { body in
            let offset = Int(body["offset"]?.intValue ?? 0)
            let limit = Int(body["limit"]?.intValue ?? 100)
            let page = transactions.dropFirst(offset).prefix(limit)
            return #"{"ok":true,"result":{"transactions":[\#(page.joined(separator: ","))]}}"#
        }
    }

    /// An incoming Stars payment of an invoice with `payload`, from user `payer`.
    static func starPayment(_ id: String, stars: Int64, payer: Int64, payload: String, date: Int64) -> String {
        #"""
        {"id":"\#(id)","amount":\#(stars),"date":\#(date),"source":{"type":"user","transaction_type":"invoice_payment",\#
        "user":{"id":\#(payer),"is_bot":false,"first_name":"Тест"},"invoice_payload":"\#(payload)"}}
        """#
    }

    /// An outgoing transaction to user `payer`: a refund keeps the id of the payment it refunds.
    static func starRefund(_ id: String, stars: Int64, payer: Int64, date: Int64) -> String {
        #"""
        {"id":"\#(id)","amount":\#(stars),"date":\#(date),"receiver":{"type":"user","transaction_type":"invoice_payment",\#
        "user":{"id":\#(payer),"is_bot":false,"first_name":"Тест"}}}
        """#
    }
}

/// Lines a job logs, collected for assertions (one thread only).
final class LogLines {
    var lines: [String] = []

    func append(_ line: String) { lines.append(line) }
}
