import SrochnoBotAPI
import SrochnoCore
import SrochnoHTTPClient
import SrochnoTestSupport
import Testing

private let token = "123456:SECRET-token_xyz"

private func botClient(_ baseURL: String, totalTimeoutMilliseconds: Int = 5_000) throws -> BotAPIClient {
    try BotAPIClient(
        configuration: BotAPIConfiguration(
            token: token,
            baseURL: baseURL + "/",
            connectTimeoutMilliseconds: 2_000,
            totalTimeoutMilliseconds: totalTimeoutMilliseconds
        ))
}

@Suite struct BotAPIClientTests {
    @Test func sendMessagePostsJSONToTheMethodAndReturnsTheMessageID() throws {
        let server = fakeJSONAPI(#"{"ok":true,"result":{"message_id":42,"chat":{"id":1001},"text":"Привет"}}"#)
        let id = try botClient(server.baseURL).sendMessage(chatID: 1001, text: "Привет \"you\"", disableWebPagePreview: true)
        let seen = server.finish()

        #expect(id == 42)
        try #require(seen.requests.count == 1)
        let request = seen.requests[0]
        #expect(request.method == "POST")
        #expect(request.target == "/bot\(token)/sendMessage")
        #expect(request.header("content-type") == "application/json")
        let body = try JSONParser.parse(request.body)
        #expect(body["chat_id"] == .int(1001))
        #expect(body["text"] == .string("Привет \"you\""))
        #expect(body["link_preview_options"]?["is_disabled"] == .bool(true))
        #expect(body["parse_mode"] == nil)
    }

    @Test func createInvoiceLinkAsksForStarsWithoutAProviderToken() throws {
        let server = fakeJSONAPI(#"{"ok":true,"result":"https://t.me/$abc"}"#)
        let link = try botClient(server.baseURL).createInvoiceLink(
            title: "Пополнение",
            description: "100 звёзд",
            payload: "recharge:7",
            prices: [LabeledPrice(label: "Баланс", amount: 100)]
        )
        let seen = server.finish()

        #expect(link == "https://t.me/$abc")
        try #require(seen.requests.count == 1)
        #expect(seen.requests[0].target == "/bot\(token)/createInvoiceLink")
        let body = try JSONParser.parse(seen.requests[0].body)
        #expect(body["currency"] == .string("XTR"))
        #expect(body["payload"] == .string("recharge:7"))
        #expect(body["prices"] == .array([.object([("label", .string("Баланс")), ("amount", .int(100))])]))
        #expect(body["provider_token"] == nil)
    }

    @Test func getStarTransactionsReturnsTheRawList() throws {
        let server = fakeJSONAPI(#"{"ok":true,"result":{"transactions":[{"id":"t1","amount":100,"date":1700000000}]}}"#)
        let transactions = try botClient(server.baseURL).getStarTransactions(offset: 10, limit: 50)
        let seen = server.finish()

        #expect(transactions.count == 1)
        #expect(transactions.first?["id"] == .string("t1"))
        let body = try JSONParser.parse(seen.requests[0].body)
        #expect(body["offset"] == .int(10))
        #expect(body["limit"] == .int(50))
    }

    @Test func aGenericCallReturnsTheResult() throws {
        let server = fakeJSONAPI(#"{"ok":true,"result":true}"#)
        let result = try botClient(server.baseURL).call("setMyName", parameters: [("name", .string("Srochno"))])
        _ = server.finish()
        #expect(result == .bool(true))
    }

    @Test func tooManyRequestsCarriesRetryAfter() throws {
        let server = fakeJSONAPI(
            status: 429,
            #"{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 5","parameters":{"retry_after":5}}"#
        )
        let error = #expect(throws: BotAPIError.self) { try botClient(server.baseURL).sendMessage(chatID: 1, text: "x") }
        _ = server.finish()
        #expect(error == .api(errorCode: 429, description: "Too Many Requests: retry after 5", retryAfter: 5))
        #expect(error?.retryAfter == 5)
    }

    @Test func forbiddenIsAnAPIErrorWithoutRetry() throws {
        let server = fakeJSONAPI(status: 403, #"{"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}"#)
        let error = #expect(throws: BotAPIError.self) { try botClient(server.baseURL).sendMessage(chatID: 1, text: "x") }
        _ = server.finish()
        #expect(error == .api(errorCode: 403, description: "Forbidden: bot was blocked by the user", retryAfter: nil))
    }

    @Test func anAnswerThatIsNotAnEnvelopeIsInvalid() throws {
        let server = FakeHTTPServer(maxRequests: 1) { _ in
            .respond(status: 502, headers: [("Content-Type", "text/html")], body: jsonBytes("<html>Bad Gateway</html>"))
        }
        let error = #expect(throws: BotAPIError.self) { try botClient(server.baseURL).sendMessage(chatID: 1, text: "x") }
        _ = server.finish()
        guard case .invalidResponse(let status, _)? = error else {
            Issue.record("expected an invalid response, got \(String(describing: error))")
            return
        }
        #expect(status == 502)
    }

    @Test func theTokenNeverAppearsInAnError() throws {
        // Telegram (here a fake) echoing the token, a refused connection and a timeout: the
        // URL with the token is in play in each, and no description may show it.
        let echo = fakeJSONAPI(status: 401, #"{"ok":false,"error_code":401,"description":"Unauthorized: \#(token) /bot\#(token)/getMe"}"#)
        let echoed = #expect(throws: BotAPIError.self) { try botClient(echo.baseURL).call("getMe") }
        _ = echo.finish()

        let refusing = RefusingPort()
        let refused = #expect(throws: BotAPIError.self) { try botClient("http://127.0.0.1:\(refusing.port)").call("getMe") }

        let silent = FakeHTTPServer(maxRequests: 1) { _ in .silent }
        let timedOut = #expect(throws: BotAPIError.self) {
            try botClient(silent.baseURL, totalTimeoutMilliseconds: 300).call("getMe")
        }
        _ = silent.finish()

        guard case .api(401, let description, nil)? = echoed else {
            Issue.record("expected the echoed 401, got \(String(describing: echoed))")
            return
        }
        #expect(!description.contains("SECRET"))
        guard case .transport(.connectFailed)? = refused, case .transport(.timeout)? = timedOut else {
            Issue.record("expected a connect failure and a timeout, got \(String(describing: refused)), \(String(describing: timedOut))")
            return
        }
        for error in [echoed, refused, timedOut] {
            let text = String(describing: error) + String(reflecting: error)
            #expect(!text.contains("SECRET"), "\(text)")
            #expect(!text.contains(token))
        }
    }

    @Test func aConfigurationNeverPrintsItsTokenAndRefusesUnsafeOnes() throws {
        let configuration = BotAPIConfiguration(token: token, connectTimeoutMilliseconds: 1, totalTimeoutMilliseconds: 1)
        #expect(configuration.baseURL == "https://api.telegram.org")
        #expect(
            String(describing: configuration)
                == "BotAPIConfiguration(baseURL: https://api.telegram.org, token: <redacted>, connect: 1 ms, total: 1 ms, maxResponseBytes: 1048576)"
        )
        for printed in printedForms(of: configuration) {
            #expect(!printed.contains("SECRET"))
        }

        for (badToken, base) in [
            ("123:abc/../x", "https://api.telegram.org"), ("123:abc?x", "https://api.telegram.org"), ("", "https://api.telegram.org"),
            (token, "ftp://x"),
        ] {
            let error = #expect(throws: BotAPIError.self) {
                try BotAPIClient(
                    configuration: BotAPIConfiguration(
                        token: badToken, baseURL: base, connectTimeoutMilliseconds: 1, totalTimeoutMilliseconds: 1
                    ))
            }
            guard case .invalidConfiguration? = error else {
                Issue.record("expected an invalid configuration, got \(String(describing: error))")
                continue
            }
        }
    }
}
