import SrochnoCore
import SrochnoCryptoPay
import SrochnoHTTPClient
import SrochnoTestSupport
import Testing

private let token = "31337:FAKE-crypto_pay"

private func payClient(_ fake: FakeCryptoPay, token: String = token, totalTimeoutMilliseconds: Int = 5_000) throws -> CryptoPayClient {
    try CryptoPayClient(
        configuration: CryptoPayConfiguration(
            token: token, baseURL: fake.baseURL, connectTimeoutMilliseconds: 2_000, totalTimeoutMilliseconds: totalTimeoutMilliseconds))
}

private func rubleInvoice(_ client: CryptoPayClient, amount: Int64 = 150, payload: String = "41") throws(CryptoPayError) -> CryptoPayInvoice
{
    try client.createInvoice(amountRubles: amount, description: "Пополнение баланса", payload: payload, expiresInSeconds: 1800)
}

/// The Crypto Pay fake the end-to-end payment tests run against, checked with the project's
/// own `CryptoPayClient` and webhook verifier.
@Suite struct FakeCryptoPayTests {
    @Test func createInvoiceStoresAnActiveFiatInvoiceAndAnswersIt() throws {
        let fake = try FakeCryptoPay(token: token)
        defer { fake.stop() }
        let invoice = try rubleInvoice(payClient(fake))

        #expect(invoice.status == .active)
        #expect(invoice.currencyType == "fiat")
        #expect(invoice.fiat == "RUB")
        #expect(invoice.amount == "150")
        #expect(invoice.payload == "41")
        #expect(invoice.botInvoiceURL.hasPrefix("https://t.me/CryptoBot?start=IV"))
        #expect(invoice.miniAppInvoiceURL?.hasPrefix("https://t.me/CryptoBot/app?startapp=invoice-IV") == true)

        let stored = try #require(fake.invoice(payload: "41"))
        #expect(stored.invoiceID == invoice.invoiceID)
        #expect(stored.botInvoiceURL == invoice.botInvoiceURL)
        #expect(stored.miniAppInvoiceURL == invoice.miniAppInvoiceURL)
        #expect(stored.expiresAt == stored.createdAt.adding(seconds: 1800))
        let request = try #require(fake.requests(to: "createInvoice").first)
        #expect(request.header("crypto-pay-api-token") == token)
        #expect(try JSONParser.parse(request.body)["expires_in"] == .int(1800))
    }

    @Test func aWrongTokenIsRefusedAsCryptoPayDoes() throws {
        let fake = try FakeCryptoPay(token: token)
        defer { fake.stop() }
        let error = #expect(throws: CryptoPayError.self) { try rubleInvoice(payClient(fake, token: "31337:OTHER-token")) }
        #expect(error == .api(code: 401, name: "UNAUTHORIZED"))
        #expect(fake.invoices.isEmpty)
    }

    @Test func getInvoicesShowsWhatTheTestMarked() throws {
        let fake = try FakeCryptoPay(token: token)
        defer { fake.stop() }
        let client = try payClient(fake)
        let first = try rubleInvoice(client, payload: "1")
        let second = try rubleInvoice(client, amount: 300, payload: "2")
        let third = try rubleInvoice(client, payload: "3")
        fake.markPaid(second.invoiceID)
        fake.markExpired(third.invoiceID)

        let invoices = try client.getInvoices(invoiceIDs: [first.invoiceID, second.invoiceID, third.invoiceID, 1])
        #expect(invoices.map(\.invoiceID) == [first.invoiceID, second.invoiceID, third.invoiceID], "an unknown id is absent")
        #expect(invoices.map(\.status) == [.active, .paid, .expired])
        #expect(invoices[1].paidAt != nil && invoices[0].paidAt == nil)
        #expect(invoices[1].wholeAmount == 300)
        #expect(try client.getInvoices(invoiceIDs: [second.invoiceID]).map(\.payload) == ["2"])
        #expect(try JSONParser.parse(fake.requests(to: "getInvoices")[0].body)["invoice_ids"] != nil)
    }

    @Test func thePaidWebhookIsSignedWithTheTokenAndCarriesTheInvoice() throws {
        let fake = try FakeCryptoPay(token: token)
        defer { fake.stop() }
        let created = try rubleInvoice(payClient(fake))
        fake.markPaid(created.invoiceID)

        let webhook = fake.paidWebhook(for: created.invoiceID, updateID: 9)
        #expect(CryptoPayWebhook.verify(body: webhook.body, signature: webhook.signature, token: token))
        #expect(!CryptoPayWebhook.verify(body: webhook.body, signature: webhook.signature, token: token + "x"))
        let update = try #require(CryptoPayWebhook.parse(body: webhook.body))
        #expect(update.updateID == 9 && update.updateType == "invoice_paid")
        let invoice = try #require(update.invoice)
        #expect(invoice.invoiceID == created.invoiceID)
        #expect(invoice.status == .paid && invoice.paidAt != nil)
        #expect(invoice.wholeAmount == 150 && invoice.currencyType == "fiat" && invoice.fiat == "RUB")
        #expect(invoice.payload == "41")

        // A forged amount or currency is still validly signed: only the app's check can catch it.
        let forged = fake.paidWebhook(for: created.invoiceID) {
            $0.amount = "151"
            $0.fiat = "USD"
        }
        #expect(CryptoPayWebhook.verify(body: forged.body, signature: forged.signature, token: token))
        let forgedInvoice = try #require(CryptoPayWebhook.parse(body: forged.body)?.invoice)
        #expect(forgedInvoice.wholeAmount == 151 && forgedInvoice.fiat == "USD")
        #expect(fake.invoice(id: created.invoiceID)?.amount == "150", "forging changes the webhook, not the fake's invoice")
    }

    @Test func downAndStalledModesFailTheWayTheClientSeesAnOutage() throws {
        let fake = try FakeCryptoPay(token: token, mode: .refusing)
        defer { fake.stop() }
        let refused = #expect(throws: CryptoPayError.self) { try rubleInvoice(payClient(fake)) }
        guard case .transport(.connectFailed)? = refused else {
            Issue.record("expected a refused connection, got \(String(describing: refused))")
            return
        }
        #expect(fake.requests.isEmpty)

        try fake.setMode(.badGateway)
        let badGateway = #expect(throws: CryptoPayError.self) { try rubleInvoice(payClient(fake)) }
        guard case .invalidResponse(502, _)? = badGateway else {
            Issue.record("expected a 502 page, got \(String(describing: badGateway))")
            return
        }

        try fake.setMode(.stalled)
        let stalled = #expect(throws: CryptoPayError.self) { try rubleInvoice(payClient(fake, totalTimeoutMilliseconds: 300)) }
        guard case .transport(.timeout)? = stalled else {
            Issue.record("expected a timeout, got \(String(describing: stalled))")
            return
        }
        #expect(fake.requests(to: "createInvoice").count == 2, "the 502 and the stalled call were both received")
        #expect(fake.invoices.isEmpty)

        try fake.setMode(.normal)
        #expect(try rubleInvoice(payClient(fake)).status == .active)
    }

    /// The workers' clients each keep a connection alive; the fake answers them side by side.
    @Test func clientsKeepingConnectionsAliveAreAllAnswered() throws {
        let fake = try FakeCryptoPay(token: token)
        defer { fake.stop() }
        let first = try payClient(fake, totalTimeoutMilliseconds: 2_000)
        let second = try payClient(fake, totalTimeoutMilliseconds: 2_000)
        for client in [first, second, first, second] {
            _ = try client.call("getMe")
        }
        #expect(fake.connectionCount == 2)
        #expect(fake.requests(to: "getMe").count == 4)
    }

    /// Refusing closes connections clients were keeping alive; the next start answers them again.
    @Test func aClientKeepingAConnectionSeesTheOutageAndTheRecovery() throws {
        let fake = try FakeCryptoPay(token: token)
        defer { fake.stop() }
        let client = try payClient(fake)
        _ = try client.call("getMe")
        try fake.setMode(.refusing)
        let refused = #expect(throws: CryptoPayError.self) { try client.call("getMe") }
        guard case .transport(.connectFailed)? = refused else {
            Issue.record("expected a refused connection, got \(String(describing: refused))")
            return
        }
        try fake.setMode(.normal)
        _ = try client.call("getMe")
        #expect(fake.requests(to: "getMe").count == 2)
    }
}
