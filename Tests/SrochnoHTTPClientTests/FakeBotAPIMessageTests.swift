import SrochnoBotAPI
import SrochnoCore
import SrochnoTestSupport
import Testing

/// `FakeBotAPI`'s `sendMessage`, checked with the project's own `BotAPIClient`: accepted
/// messages recorded, and the refusals the notification tests script answered as Telegram
/// answers them (the client reads each back as the same `BotAPIError`).
@Suite struct FakeBotAPIMessageTests {
    private let token = "424242:FAKE-bot_token"

    private func client(_ fake: FakeBotAPI) throws -> BotAPIClient {
        try BotAPIClient(
            configuration: BotAPIConfiguration(
                token: token, baseURL: fake.baseURL, connectTimeoutMilliseconds: 2_000, totalTimeoutMilliseconds: 5_000))
    }

    @Test func anAcceptedMessageIsRecordedWithANewMessageID() throws {
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let bot = try client(fake)
        #expect(try bot.sendMessage(chatID: 77, text: "Новый заказ", disableWebPagePreview: true) == 1)
        #expect(try bot.sendMessage(chatID: 78, text: "Ещё один") == 2)
        #expect(fake.messages.map(\.chatID) == [77, 78])
        #expect(fake.messages(to: 77).first?.text == "Новый заказ")
        #expect(fake.messages(to: 77).first?.parameters["link_preview_options"]?["is_disabled"] == .bool(true))
        #expect(fake.messages[1].receivedAt >= fake.messages[0].receivedAt)
    }

    @Test func scriptedRefusalsAreTelegramsAndRunOut() throws {
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let bot = try client(fake)
        fake.refuseMessages(to: 1, with: .tooManyRequests(retryAfter: 3), times: 1)
        fake.refuseMessages(to: 2, with: .forbidden("Forbidden: bot was blocked by the user"))
        fake.refuseMessages(to: 3, with: .badRequest(code: 400, "Bad Request: chat not found"), times: 1)

        let tooMany = #expect(throws: BotAPIError.self) { try bot.sendMessage(chatID: 1, text: "a") }
        #expect(tooMany == .api(errorCode: 429, description: "Too Many Requests: retry after 3", retryAfter: 3))
        #expect(try bot.sendMessage(chatID: 1, text: "a") > 0, "the refusal ran out")
        for _ in 0..<2 {
            let blocked = #expect(throws: BotAPIError.self) { try bot.sendMessage(chatID: 2, text: "b") }
            #expect(blocked == .api(errorCode: 403, description: "Forbidden: bot was blocked by the user", retryAfter: nil))
        }
        let notFound = #expect(throws: BotAPIError.self) { try bot.sendMessage(chatID: 3, text: "c") }
        #expect(notFound == .api(errorCode: 400, description: "Bad Request: chat not found", retryAfter: nil))
        fake.refuseMessages(to: nil, with: .serverError(code: 502), times: 1)
        let serverError = #expect(throws: BotAPIError.self) { try bot.sendMessage(chatID: 4, text: "d") }
        #expect(serverError == .api(errorCode: 502, description: "Internal Server Error", retryAfter: nil))
        #expect(try bot.sendMessage(chatID: 4, text: "d") > 0)

        #expect(fake.messageCalls.count == 7)
        #expect(fake.messages.map(\.chatID) == [1, 4])
        fake.acceptAllMessages()
        #expect(try bot.sendMessage(chatID: 2, text: "b") > 0)
    }

    @Test func anEmptyOrOverlongTextIsABadRequest() throws {
        let fake = try FakeBotAPI(token: token)
        defer { fake.stop() }
        let bot = try client(fake)
        let empty = #expect(throws: BotAPIError.self) { try bot.sendMessage(chatID: 1, text: "") }
        #expect(empty == .api(errorCode: 400, description: "Bad Request: message text is empty", retryAfter: nil))
        let long = #expect(throws: BotAPIError.self) { try bot.sendMessage(chatID: 1, text: String(repeating: "я", count: 4097)) }
        #expect(long == .api(errorCode: 400, description: "Bad Request: message is too long", retryAfter: nil))
        #expect(fake.messageCalls.isEmpty)
    }
}
