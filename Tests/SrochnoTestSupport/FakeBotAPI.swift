import SrochnoCore

/// A stateful stand-in for the Telegram Bot API's payment and message methods on a loopback
/// port: `POST /bot<token>/{method}` with a JSON body, answered with Telegram's envelope
/// (`{"ok":true,"result":…}`, or `{"ok":false,"error_code":…,"description":…}`).
///
/// `createInvoiceLink` checks the invoice as Telegram documents it (title 1–32 characters,
/// description 1–255, payload 1–128 bytes, a currency, prices; for Stars, `XTR`, exactly one
/// price and no provider token), records it and returns a new `https://t.me/$…` link.
/// `getStarTransactions` pages, by `offset` and `limit`, through a list the test fills. A wrong
/// token gets Telegram's 401 `Unauthorized` and any other method its 404 `Not Found`; the
/// wording of the 400 refusals is the fake's own. `sendMessage` is in FakeBotAPIMessages.swift.
///
/// Thread-safe; `stop()` it at the end of the test (its lifetime bounds it otherwise).
public final class FakeBotAPI: FakeProvider, @unchecked Sendable {
    public let token: String
    public private(set) var host: FakeProviderHost!
    let lock = Lock()
    private var links: [InvoiceLink] = []
    /// `sendMessage`'s state, under `lock` (see FakeBotAPIMessages.swift).
    var messageLog: [MessageCall] = []
    var messageRefusals: [MessageRefusalRule] = []
    private var transactions: [StarTransaction] = []

    /// Listens on 127.0.0.1:`port` (0: any free port) unless `mode` is `.refusing`.
    public init(
        token: String, port: UInt16 = 0, mode: FakeProviderMode = .normal, lifetimeMilliseconds: Int = 60_000
    ) throws(LoopbackServerError) {
        self.token = token
        host = try FakeProviderHost(port: port, mode: mode, lifetimeMilliseconds: lifetimeMilliseconds) { [weak self] request in
            self?.route(request) ?? .respond(status: 503)
        }
    }

    /// The requests to one method (with any token), e.g. `createInvoiceLink`.
    public func requests(to method: String) -> [SeenRequest] {
        requests.filter { targetPath($0).hasSuffix("/" + method) }
    }

    /// Every invoice link created, oldest first.
    public var invoiceLinks: [InvoiceLink] { lock.locked { links } }

    /// Appends a transaction to what `getStarTransactions` lists (add them oldest first:
    /// Telegram lists them in chronological order).
    public func addStarTransaction(_ transaction: StarTransaction) { lock.locked { transactions.append(transaction) } }

    // MARK: - The API

    private func route(_ request: SeenRequest) -> FakeReply {
        let path = targetPath(request)
        guard path.hasPrefix("/bot"), let slash = path.dropFirst(4).firstIndex(of: "/") else { return refusal(404, "Not Found") }
        guard path[path.index(path.startIndex, offsetBy: 4)..<slash] == token else { return refusal(401, "Unauthorized") }
        guard let parameters = jsonParameters(request) else { return refusal(400, "Bad Request: the body is not a JSON object") }
        switch path[path.index(after: slash)...] {
        case "createInvoiceLink": return createInvoiceLink(parameters)
        case "getStarTransactions": return getStarTransactions(parameters)
        case "sendMessage": return sendMessage(parameters)
        default: return refusal(404, "Not Found")
        }
    }

    private func createInvoiceLink(_ parameters: JSONValue) -> FakeReply {
        guard let title = parameters["title"]?.stringValue, (1...32).contains(title.unicodeScalars.count) else {
            return refusal(400, "Bad Request: title must be 1-32 characters")
        }
        guard let description = parameters["description"]?.stringValue, (1...255).contains(description.unicodeScalars.count) else {
            return refusal(400, "Bad Request: description must be 1-255 characters")
        }
        guard let payload = parameters["payload"]?.stringValue, (1...128).contains(payload.utf8.count) else {
            return refusal(400, "Bad Request: payload must be 1-128 bytes")
        }
        guard let currency = parameters["currency"]?.stringValue, !currency.isEmpty else {
            return refusal(400, "Bad Request: currency is required")
        }
        guard case .array(let priceList)? = parameters["prices"], !priceList.isEmpty else {
            return refusal(400, "Bad Request: prices must be a non-empty list")
        }
        var prices: [InvoiceLink.Price] = []
        for price in priceList {
            guard let label = price["label"]?.stringValue, let amount = price["amount"]?.intValue else {
                return refusal(400, "Bad Request: a price needs a label and an integer amount")
            }
            prices.append(InvoiceLink.Price(label: label, amount: amount))
        }
        let providerToken = parameters["provider_token"]?.stringValue
        if currency == "XTR" {
            guard prices.count == 1, prices[0].amount > 0 else { return refusal(400, "Bad Request: Stars invoices take exactly one price") }
            guard providerToken?.isEmpty ?? true else { return refusal(400, "Bad Request: Stars invoices take no provider token") }
        }
        let link = lock.locked {
            // `$` and a slug, as Telegram's invoice links look; the counter keeps each unique.
            let link = InvoiceLink(
                title: title, description: description, payload: payload, currency: currency, prices: prices,
                providerToken: providerToken, parameters: parameters,
                url: "https://t.me/$Fk\(String(UInt64.random(in: 1...UInt64.max), radix: 36))\(links.count)")
            links.append(link)
            return link
        }
        return success(.string(link.url))
    }

    private func getStarTransactions(_ parameters: JSONValue) -> FakeReply {
        let offset = Int(parameters["offset"]?.intValue ?? 0)
        let limit = Int(parameters["limit"]?.intValue ?? 100)
        guard offset >= 0 else { return refusal(400, "Bad Request: offset must be non-negative") }
        guard (1...100).contains(limit) else { return refusal(400, "Bad Request: limit must be 1-100") }
        let page = lock.locked { transactions.dropFirst(offset).prefix(limit).map(\.json) }
        return success(.object([("transactions", .array(page))]))
    }

    func success(_ result: JSONValue) -> FakeReply {
        jsonReply(.object([("ok", .bool(true)), ("result", result)]))
    }

    /// Telegram's refusal: the same code in the HTTP status and in `error_code`.
    func refusal(_ code: Int, _ description: String) -> FakeReply {
        jsonReply(
            status: code,
            .object([("ok", .bool(false)), ("error_code", .int(Int64(code))), ("description", .string(description))]))
    }
}
