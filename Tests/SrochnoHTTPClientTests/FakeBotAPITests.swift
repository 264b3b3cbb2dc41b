import SrochnoBotAPI
import SrochnoCore
import SrochnoHTTPClient
import SrochnoTestSupport
import Testing

private let token = "424242:FAKE-bot_token"

private func botClient(_ fake: FakeBotAPI, token: String = token, totalTimeoutMilliseconds: Int = 5_000) throws -> BotAPIClient {
    try BotAPIClient(
        configuration: BotAPIConfiguration(
            token: token, baseURL: fake.baseURL, connectTimeoutMilliseconds: 2_000, totalTimeoutMilliseconds: totalTimeoutMilliseconds))
}

private func starsInvoice(_ client: BotAPIClient, stars: Int64 = 71, payload: String = "41") throws(BotAPIError) -> String {
    try client.createInvoiceLink(
        title: "Пополнение баланса", description: "Пополнение на 101 ₽", payload: payload,
        prices: [LabeledPrice(label: "101 ₽", amount: stars)])
}

/// The Bot API fake the end-to-end payment tests run against, checked with the project's own
/// `BotAPIClient`.
@Suite struct FakeBotAPITests {
    @Test func createInvoiceLinkRecordsTheStarsInvoiceAndAnswersALink() throws {
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let link = try starsInvoice(botClient(fake))

        #expect(link.hasPrefix("https://t.me/$"))
        try #require(fake.invoiceLinks.count == 1)
        let recorded = fake.invoiceLinks[0]
        #expect(recorded.url == link)
        #expect(recorded.currency == "XTR")
        #expect(recorded.prices == [.init(label: "101 ₽", amount: 71)])
        #expect(recorded.providerToken == nil)
        #expect(recorded.payload == "41")
        #expect(recorded.title == "Пополнение баланса")
        #expect(fake.requests(to: "createInvoiceLink").count == 1)

        let second = try starsInvoice(botClient(fake), payload: "42")
        #expect(second != link, "every link is new")
    }

    @Test func invoicesTelegramWouldRefuseAreRefused() throws {
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let client = try botClient(fake)
        let one = [LabeledPrice(label: "a", amount: 1)]
        func refusal(
            title: String = "x", description: String = "d", payload: String = "1", prices: [LabeledPrice], providerToken: String? = nil
        ) -> BotAPIError? {
            #expect(throws: BotAPIError.self) {
                try client.createInvoiceLink(
                    title: title, description: description, payload: payload, prices: prices, providerToken: providerToken)
            }
        }
        let refusals = [
            refusal(prices: one + one),
            refusal(prices: one, providerToken: "284685063:TEST"),
            refusal(title: String(repeating: "я", count: 33), prices: one),
            refusal(description: "", prices: one),
            refusal(payload: "", prices: one),
        ]
        for error in refusals {
            guard case .api(400, _, _)? = error else {
                Issue.record("expected a 400 refusal, got \(String(describing: error))")
                continue
            }
        }
        #expect(fake.invoiceLinks.isEmpty)
    }

    @Test func getStarTransactionsPagesThroughWhatTheTestAdded() throws {
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        for (index, id) in ["charge-a", "charge-b", "charge-c"].enumerated() {
            fake.addStarTransaction(
                .init(id: id, amount: 70 + Int64(index), date: 1_900_000_000 + Int64(index), userID: 5001, invoicePayload: "\(index + 1)"))
        }
        let client = try botClient(fake)

        let all = try client.getStarTransactions()
        #expect(all.map { $0["id"]?.stringValue } == ["charge-a", "charge-b", "charge-c"])
        #expect(all[1]["amount"] == .int(71))
        #expect(all[1]["date"] == .int(1_900_000_001))
        #expect(all[1]["source"]?["type"] == .string("user"))
        #expect(all[1]["source"]?["user"]?["id"] == .int(5001))
        #expect(all[1]["source"]?["invoice_payload"] == .string("2"))

        #expect(try client.getStarTransactions(offset: 1, limit: 1).map { $0["id"]?.stringValue } == ["charge-b"])
        #expect(try client.getStarTransactions(offset: 3, limit: 100).isEmpty)
        let badLimit = #expect(throws: BotAPIError.self) { try client.getStarTransactions(limit: 101) }
        guard case .api(400, _, _)? = badLimit else {
            Issue.record("expected a 400 refusal, got \(String(describing: badLimit))")
            return
        }
    }

    @Test func aWrongTokenAndAnUnknownMethodAreRefusedAsTelegramDoes() throws {
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let wrongToken = #expect(throws: BotAPIError.self) { try starsInvoice(botClient(fake, token: "424242:OTHER-token")) }
        #expect(wrongToken == .api(errorCode: 401, description: "Unauthorized", retryAfter: nil))
        let unknown = #expect(throws: BotAPIError.self) { try botClient(fake).call("getUpdates") }
        #expect(unknown == .api(errorCode: 404, description: "Not Found", retryAfter: nil))
        #expect(fake.invoiceLinks.isEmpty)
    }

    @Test func downAndStalledModesFailTheWayTheClientSeesAnOutage() throws {
        let fake = try FakeBotAPI(token: token, mode: .refusing)
        defer { fake.stop() }
        let refused = #expect(throws: BotAPIError.self) { try starsInvoice(botClient(fake)) }
        guard case .transport(.connectFailed)? = refused else {
            Issue.record("expected a refused connection, got \(String(describing: refused))")
            return
        }
        #expect(fake.requests.isEmpty)

        try fake.setMode(.badGateway)
        let badGateway = #expect(throws: BotAPIError.self) { try starsInvoice(botClient(fake)) }
        guard case .invalidResponse(502, _)? = badGateway else {
            Issue.record("expected a 502 page, got \(String(describing: badGateway))")
            return
        }

        try fake.setMode(.stalled)
        let stalled = #expect(throws: BotAPIError.self) { try starsInvoice(botClient(fake, totalTimeoutMilliseconds: 300)) }
        guard case .transport(.timeout)? = stalled else {
            Issue.record("expected a timeout, got \(String(describing: stalled))")
            return
        }
        #expect(fake.requests(to: "createInvoiceLink").count == 2, "the 502 and the stalled call were both received")
        #expect(fake.invoiceLinks.isEmpty)

        try fake.setMode(.normal)
        #expect(try starsInvoice(botClient(fake)).hasPrefix("https://t.me/$"))
    }
}
