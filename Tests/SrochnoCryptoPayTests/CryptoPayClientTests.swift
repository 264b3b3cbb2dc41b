import SrochnoCore
import SrochnoCryptoPay
import SrochnoHTTPClient
import SrochnoTestSupport
import Testing

private let token = "12345:SECRET-token_xyz"

private func payClient(_ baseURL: String, totalTimeoutMilliseconds: Int = 5_000) throws -> CryptoPayClient {
    try CryptoPayClient(
        configuration: CryptoPayConfiguration(
            token: token,
            baseURL: baseURL + "/",
            connectTimeoutMilliseconds: 2_000,
            totalTimeoutMilliseconds: totalTimeoutMilliseconds
        ))
}

/// An active fiat invoice as Crypto Pay describes one (fields it adds that we ignore included).
private let activeInvoice = #"""
    {"invoice_id":528,"hash":"IVabc","currency_type":"fiat","fiat":"RUB","amount":"150","accepted_assets":["USDT","TON"],
    "bot_invoice_url":"https://t.me/CryptoBot?start=IVabc","mini_app_invoice_url":"https://t.me/CryptoBot/app?startapp=invoice-IVabc",
    "web_app_invoice_url":"https://app.send.tg/invoices/IVabc","description":"Пополнение","status":"active",
    "created_at":"2026-12-02T09:50:00.000Z","allow_comments":true,"allow_anonymous":true,"expiration_date":"2026-12-02T10:20:00.000Z",
    "payload":"payment:41"}
    """#

@Suite struct CryptoPayClientTests {
    @Test func createInvoicePostsAFiatRubleInvoiceWithTheTokenHeader() throws {
        let server = fakeJSONAPI(#"{"ok":true,"result":\#(activeInvoice)}"#)
        let invoice = try payClient(server.baseURL).createInvoice(
            amountRubles: 150, description: "Пополнение \"баланса\"", payload: "payment:41", expiresInSeconds: 1800)
        let seen = server.finish()

        try #require(seen.requests.count == 1)
        let request = seen.requests[0]
        #expect(request.method == "POST")
        #expect(request.target == "/api/createInvoice")
        #expect(request.header("crypto-pay-api-token") == token)
        #expect(request.header("content-type") == "application/json")
        let body = try JSONParser.parse(request.body)
        #expect(body["currency_type"] == .string("fiat"))
        #expect(body["fiat"] == .string("RUB"))
        #expect(body["amount"] == .string("150"))
        #expect(body["description"] == .string("Пополнение \"баланса\""))
        #expect(body["payload"] == .string("payment:41"))
        #expect(body["expires_in"] == .int(1800))
        #expect(body["asset"] == nil)

        #expect(invoice.invoiceID == 528)
        #expect(invoice.status == .active)
        #expect(invoice.currencyType == "fiat")
        #expect(invoice.fiat == "RUB")
        #expect(invoice.amount == "150")
        #expect(invoice.wholeAmount == 150)
        #expect(invoice.botInvoiceURL == "https://t.me/CryptoBot?start=IVabc")
        #expect(invoice.miniAppInvoiceURL == "https://t.me/CryptoBot/app?startapp=invoice-IVabc")
        #expect(invoice.payload == "payment:41")
        #expect(invoice.paidAt == nil)
    }

    @Test func anErrorEnvelopeIsAnAPIErrorWithCodeAndName() throws {
        let server = fakeJSONAPI(status: 400, #"{"ok":false,"error":{"code":400,"name":"EXPIRES_IN_INVALID"}}"#)
        let error = #expect(throws: CryptoPayError.self) {
            try payClient(server.baseURL).createInvoice(amountRubles: 1, description: "x", payload: "p", expiresInSeconds: 60)
        }
        _ = server.finish()
        #expect(error == .api(code: 400, name: "EXPIRES_IN_INVALID"))
    }

    @Test func anAnswerThatIsNotAnEnvelopeIsInvalid() throws {
        let server = FakeHTTPServer(maxRequests: 1) { _ in
            .respond(status: 502, headers: [("Content-Type", "text/html")], body: jsonBytes("<html>Bad Gateway</html>"))
        }
        let error = #expect(throws: CryptoPayError.self) { try payClient(server.baseURL).call("getMe") }
        _ = server.finish()
        guard case .invalidResponse(502, _)? = error else {
            Issue.record("expected an invalid response, got \(String(describing: error))")
            return
        }
    }

    @Test func aServerThatNeverAnswersTimesOut() throws {
        let server = FakeHTTPServer(maxRequests: 1) { _ in .silent }
        let clock = ContinuousClock()
        let started = clock.now
        let error = #expect(throws: CryptoPayError.self) {
            try payClient(server.baseURL, totalTimeoutMilliseconds: 300).createInvoice(
                amountRubles: 100, description: "x", payload: "p", expiresInSeconds: 1800)
        }
        let elapsed = clock.now - started
        _ = server.finish()
        guard case .transport(.timeout)? = error else {
            Issue.record("expected a timeout, got \(String(describing: error))")
            return
        }
        #expect(elapsed < .seconds(5))
    }

    @Test func getInvoicesAsksForSeveralIDsAndDecodesEach() throws {
        let paid = activeInvoice.replacing(#""status":"active""#, with: #""status":"paid","paid_at":"2026-12-02T10:00:00.500Z""#)
            .replacing(#""invoice_id":528"#, with: #""invoice_id":529"#)
        let server = fakeJSONAPI(#"{"ok":true,"result":{"items":[\#(activeInvoice),\#(paid)]}}"#)
        let invoices = try payClient(server.baseURL).getInvoices(invoiceIDs: [528, 529, 530])
        let seen = server.finish()

        try #require(seen.requests.count == 1)
        #expect(seen.requests[0].target == "/api/getInvoices")
        #expect(seen.requests[0].header("crypto-pay-api-token") == token)
        let body = try JSONParser.parse(seen.requests[0].body)
        #expect(body["invoice_ids"] == .string("528,529,530"))
        #expect(body["count"] == .int(3))
        #expect(invoices.map(\.invoiceID) == [528, 529])
        #expect(invoices.map(\.status) == [.active, .paid])
        #expect(invoices[1].paidAt == "2026-12-02T10:00:00.500Z")
    }

    @Test func getInvoicesWithoutIDsAsksNothing() throws {
        let server = fakeJSONAPI(#"{"ok":true,"result":{"items":[\#(activeInvoice)]}}"#)
        let invoices = try payClient(server.baseURL).getInvoices(invoiceIDs: [])
        let seen = server.finish()
        #expect(invoices.isEmpty)
        #expect(seen.requests.isEmpty, "an empty invoice_ids would list every invoice of the app")
    }

    @Test func theTokenNeverAppearsInAnError() throws {
        // Crypto Pay (here a fake) echoing the token, a refused connection and a timeout.
        let echo = fakeJSONAPI(status: 401, #"{"ok":false,"error":{"code":401,"name":"UNAUTHORIZED \#(token)"}}"#)
        let echoed = #expect(throws: CryptoPayError.self) { try payClient(echo.baseURL).call("getMe") }
        _ = echo.finish()

        let refusing = RefusingPort()
        let refused = #expect(throws: CryptoPayError.self) { try payClient("http://127.0.0.1:\(refusing.port)").call("getMe") }

        let silent = FakeHTTPServer(maxRequests: 1) { _ in .silent }
        let timedOut = #expect(throws: CryptoPayError.self) {
            try payClient(silent.baseURL, totalTimeoutMilliseconds: 300).getInvoices(invoiceIDs: [1])
        }
        _ = silent.finish()

        guard case .api(401, let name)? = echoed else {
            Issue.record("expected the echoed 401, got \(String(describing: echoed))")
            return
        }
        #expect(name.hasPrefix("UNAUTHORIZED"))
        guard case .transport(.connectFailed)? = refused, case .transport(.timeout)? = timedOut else {
            Issue.record("expected a connect failure and a timeout, got \(String(describing: refused)), \(String(describing: timedOut))")
            return
        }
        for error in [echoed, refused, timedOut] {
            let text = String(describing: error) + String(reflecting: error)
            #expect(!text.contains("SECRET"), "\(text)")
        }
    }

    @Test func aConfigurationNeverPrintsItsTokenAndRefusesUnsafeOnes() throws {
        let configuration = CryptoPayConfiguration(token: token, connectTimeoutMilliseconds: 1, totalTimeoutMilliseconds: 1)
        #expect(configuration.baseURL == "https://pay.crypt.bot")
        #expect(CryptoPayConfiguration.testnetBaseURL == "https://testnet-pay.crypt.bot")
        #expect(
            String(describing: configuration)
                == "CryptoPayConfiguration(baseURL: https://pay.crypt.bot, token: <redacted>, connect: 1 ms, total: 1 ms, maxResponseBytes: 1048576)"
        )
        for printed in printedForms(of: configuration) {
            #expect(!printed.contains("SECRET"))
        }

        for (badToken, base) in [
            ("123:abc\r\nX-Evil: 1", "https://pay.crypt.bot"), ("123:abc def", "https://pay.crypt.bot"), ("", "https://pay.crypt.bot"),
            (token, "ftp://x"),
        ] {
            let error = #expect(throws: CryptoPayError.self) {
                try CryptoPayClient(
                    configuration: CryptoPayConfiguration(
                        token: badToken, baseURL: base, connectTimeoutMilliseconds: 1, totalTimeoutMilliseconds: 1
                    ))
            }
            guard case .invalidConfiguration(let reason)? = error else {
                Issue.record("expected an invalid configuration, got \(String(describing: error))")
                continue
            }
            #expect(!reason.contains("SECRET"))
        }
    }

    @Test func wholeAmountReadsOnlyWholeDecimals() {
        func invoice(_ amount: String) -> CryptoPayInvoice {
            CryptoPayInvoice(
                invoiceID: 1, status: .paid, currencyType: "fiat", amount: amount, fiat: "RUB", asset: nil, botInvoiceURL: "u",
                miniAppInvoiceURL: nil, payload: nil, paidAt: nil)
        }
        #expect(invoice("150").wholeAmount == 150)
        #expect(invoice("150.00").wholeAmount == 150)
        #expect(invoice("150.5").wholeAmount == nil)
        #expect(invoice("-150").wholeAmount == nil)
        #expect(invoice("1e3").wholeAmount == nil)
        #expect(invoice("").wholeAmount == nil)
        #expect(invoice("150.").wholeAmount == nil)
    }
}
