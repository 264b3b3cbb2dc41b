public import SrochnoCore

/// One component of an invoice's price, in the currency's smallest unit (whole Stars for
/// `XTR`).
public struct LabeledPrice: Sendable, Equatable {
    public var label: String
    public var amount: Int64

    public init(label: String, amount: Int64) {
        self.label = label
        self.amount = amount
    }
}

extension BotAPIClient {
    /// Sends a text message and returns its `message_id`.
    /// `disableWebPagePreview` is sent as `link_preview_options.is_disabled`, which replaced
    /// the older `disable_web_page_preview` parameter in Bot API 7.0.
    public func sendMessage(
        chatID: Int64,
        text: String,
        parseMode: String? = nil,
        disableWebPagePreview: Bool = false,
        replyMarkup: JSONValue? = nil
    ) throws(BotAPIError) -> Int64 {
        var parameters: [(key: String, value: JSONValue)] = [("chat_id", .int(chatID)), ("text", .string(text))]
        if let parseMode { parameters.append(("parse_mode", .string(parseMode))) }
        if disableWebPagePreview { parameters.append(("link_preview_options", .object([("is_disabled", .bool(true))]))) }
        if let replyMarkup { parameters.append(("reply_markup", replyMarkup)) }
        let message = try call("sendMessage", parameters: parameters)
        guard let id = message["message_id"]?.intValue else {
            throw .invalidResponse(status: 200, reason: "sendMessage result without message_id")
        }
        return id
    }

    /// Creates an invoice link and returns it. For Telegram Stars pass currency `XTR`, exactly
    /// one price and no provider token (Telegram requires that shape); other currencies need
    /// the payment provider's token.
    public func createInvoiceLink(
        title: String,
        description: String,
        payload: String,
        currency: String = "XTR",
        prices: [LabeledPrice],
        providerToken: String? = nil
    ) throws(BotAPIError) -> String {
        var parameters: [(key: String, value: JSONValue)] = [
            ("title", .string(title)),
            ("description", .string(description)),
            ("payload", .string(payload)),
            ("currency", .string(currency)),
            ("prices", .array(prices.map { .object([("label", .string($0.label)), ("amount", .int($0.amount))]) })),
        ]
        if let providerToken { parameters.append(("provider_token", .string(providerToken))) }
        let result = try call("createInvoiceLink", parameters: parameters)
        guard let link = result.stringValue else {
            throw .invalidResponse(status: 200, reason: "createInvoiceLink result is not a string")
        }
        return link
    }

    /// The bot's Star transactions in chronological order, `offset` skipped, at most `limit`
    /// (Telegram accepts 1–100, default 100). Each element is a raw `StarTransaction` object.
    public func getStarTransactions(offset: Int? = nil, limit: Int? = nil) throws(BotAPIError) -> [JSONValue] {
        var parameters: [(key: String, value: JSONValue)] = []
        if let offset { parameters.append(("offset", .int(Int64(offset)))) }
        if let limit { parameters.append(("limit", .int(Int64(limit)))) }
        let result = try call("getStarTransactions", parameters: parameters)
        guard case .array(let transactions)? = result["transactions"] else {
            throw .invalidResponse(status: 200, reason: "getStarTransactions result without a transactions list")
        }
        return transactions
    }
}
