public import SrochnoCore
import SrochnoSystem

/// A stateful stand-in for the Crypto Pay API on a loopback port: `POST /api/{method}` with a
/// JSON body and the app token in `Crypto-Pay-API-Token`, answered with Crypto Pay's envelope
/// (`{"ok":true,"result":…}`, or `{"ok":false,"error":{"code":…,"name":…}}`).
///
/// `createInvoice` stores an active invoice; `getInvoices` reads them back by `invoice_ids`;
/// `getMe` answers for a quick health check; any other method is refused. A test marks an
/// invoice paid or expired and builds the signed `invoice_paid` webhook Crypto Pay would then
/// deliver. Error names other than `UNAUTHORIZED` are the fake's own approximations of Crypto
/// Pay's, for refusals the app never provokes on purpose.
///
/// Thread-safe: the server answers on its connection threads while the test reads and marks.
/// `stop()` it at the end of the test (its lifetime bounds it otherwise).
public final class FakeCryptoPay: FakeProvider, @unchecked Sendable {
    public let token: String
    public private(set) var host: FakeProviderHost!
    private let lock = Lock()
    private var stored: [Invoice] = []
    /// Random per fake, so invoice ids stay unique in one database across the fakes of a test
    /// run (the app stores them as the payments' external ids, unique per provider).
    private var nextInvoiceID = Int64.random(in: 1_000_000...900_000_000)

    /// Listens on 127.0.0.1:`port` (0: any free port) unless `mode` is `.refusing`.
    public init(
        token: String, port: UInt16 = 0, mode: FakeProviderMode = .normal, lifetimeMilliseconds: Int = 60_000
    ) throws(LoopbackServerError) {
        self.token = token
        host = try FakeProviderHost(port: port, mode: mode, lifetimeMilliseconds: lifetimeMilliseconds) { [weak self] request in
            self?.route(request) ?? .respond(status: 503)
        }
    }

    /// The requests to one method, e.g. `createInvoice`.
    public func requests(to method: String) -> [SeenRequest] {
        requests.filter { targetPath($0) == "/api/\(method)" }
    }

    /// Every invoice created, oldest first.
    public var invoices: [Invoice] { lock.locked { stored } }

    public func invoice(id: Int64) -> Invoice? { invoices.first { $0.invoiceID == id } }

    public func invoice(payload: String) -> Invoice? { invoices.first { $0.payload == payload } }

    /// The user paid (now, unless `moment` says when): the invoice turns `paid`, which
    /// `getInvoices` shows from now on.
    @discardableResult
    public func markPaid(_ invoiceID: Int64, at moment: Instant? = nil) -> Invoice {
        let paidAt = moment ?? systemNow()
        return update(invoiceID) {
            $0.status = .paid
            $0.paidAt = paidAt
        }
    }

    @discardableResult
    public func markExpired(_ invoiceID: Int64) -> Invoice { update(invoiceID) { $0.status = .expired } }

    /// The `invoice_paid` webhook for a (paid) invoice, signed with the fake's token.
    /// `forge` changes the invoice inside the body only — another amount or currency — while
    /// the signature stays valid, as if Crypto Pay reported something else than was stored.
    public func paidWebhook(
        for invoiceID: Int64, updateID: Int64 = 1, forge: (inout Invoice) -> Void = { _ in }
    ) -> SignedCryptoPayWebhook {
        guard var invoice = invoice(id: invoiceID) else { preconditionFailure("no invoice \(invoiceID) in the fake") }
        forge(&invoice)
        return .invoicePaid(invoice, token: token, updateID: updateID, requestDate: systemNow())
    }

    private func update(_ invoiceID: Int64, _ change: (inout Invoice) -> Void) -> Invoice {
        lock.locked {
            guard let index = stored.firstIndex(where: { $0.invoiceID == invoiceID }) else {
                preconditionFailure("no invoice \(invoiceID) in the fake")
            }
            change(&stored[index])
            return stored[index]
        }
    }

    // MARK: - The API

    private func route(_ request: SeenRequest) -> FakeReply {
        let path = targetPath(request)
        guard path.hasPrefix("/api/") else { return refusal(404, "NOT_FOUND") }
        // Crypto Pay checks the token before anything else.
        guard request.header("crypto-pay-api-token") == token else { return refusal(401, "UNAUTHORIZED") }
        guard let parameters = jsonParameters(request) else { return refusal(400, "REQUEST_BODY_INVALID") }
        switch path.dropFirst("/api/".count) {
        case "getMe":
            return success(
                .object([("app_id", .int(1)), ("name", .string("Srochno fake")), ("payment_processing_bot_username", .string("CryptoBot"))])
            )
        case "createInvoice": return createInvoice(parameters)
        case "getInvoices": return getInvoices(parameters)
        default: return refusal(405, "METHOD_NOT_FOUND")
        }
    }

    private func createInvoice(_ parameters: JSONValue) -> FakeReply {
        let currencyType = parameters["currency_type"]?.stringValue ?? "crypto"
        let fiat = parameters["fiat"]?.stringValue
        let asset = parameters["asset"]?.stringValue
        switch currencyType {
        case "fiat": guard fiat != nil else { return refusal(400, "FIAT_REQUIRED") }
        case "crypto": guard asset != nil else { return refusal(400, "ASSET_REQUIRED") }
        default: return refusal(400, "CURRENCY_TYPE_INVALID")
        }
        guard let amount = Self.decimal(parameters["amount"]) else { return refusal(400, "AMOUNT_INVALID") }
        let expiresIn = parameters["expires_in"]?.intValue
        if let expiresIn, !(1...2_678_400).contains(expiresIn) { return refusal(400, "EXPIRES_IN_INVALID") }
        let description = parameters["description"]?.stringValue
        if let description, description.unicodeScalars.count > 1024 { return refusal(400, "DESCRIPTION_TOO_LONG") }
        let payload = parameters["payload"]?.stringValue
        if let payload, payload.utf8.count > 4096 { return refusal(400, "PAYLOAD_TOO_LONG") }

        let now = systemNow()
        let invoice = lock.locked {
            defer { nextInvoiceID += 1 }
            let invoice = Invoice(
                invoiceID: nextInvoiceID, currencyType: currencyType, fiat: currencyType == "fiat" ? fiat : nil,
                asset: currencyType == "crypto" ? asset : nil, amount: amount, description: description, payload: payload,
                createdAt: now, expiresAt: expiresIn.map { now.adding(seconds: $0) })
            stored.append(invoice)
            return invoice
        }
        return success(invoice.json)
    }

    /// Documented as returning an array; the service wraps it as `{"items": […]}`, and so does
    /// the fake. Unknown ids are simply absent.
    private func getInvoices(_ parameters: JSONValue) -> FakeReply {
        var wanted: Set<Int64>?
        switch parameters["invoice_ids"] {
        case .string(let list)?:
            var ids = Set<Int64>()
            for part in list.split(separator: ",", omittingEmptySubsequences: false) {
                guard let id = Int64(String(part).trimmingASCIIWhitespace()) else { return refusal(400, "INVOICE_IDS_INVALID") }
                ids.insert(id)
            }
            wanted = ids
        case nil: wanted = nil
        default: return refusal(400, "INVOICE_IDS_INVALID")
        }
        let status = parameters["status"]?.stringValue
        let offset = Int(parameters["offset"]?.intValue ?? 0)
        let count = Int(parameters["count"]?.intValue ?? 100)
        guard offset >= 0, (1...1000).contains(count) else { return refusal(400, "COUNT_INVALID") }
        let matching = invoices.filter { invoice in
            (wanted?.contains(invoice.invoiceID) ?? true) && (status.map { $0 == invoice.status.rawValue } ?? true)
        }
        let page = matching.dropFirst(offset).prefix(count)
        return success(.object([("items", .array(page.map(\.json)))]))
    }

    /// Crypto Pay takes amounts as decimal strings (`"150"`, `"1.5"`); a bare JSON number is
    /// accepted as its digits. Zero, negatives and anything else are refused.
    private static func decimal(_ value: JSONValue?) -> String? {
        let text: String
        switch value {
        case .string(let string)?: text = string
        case .int(let number)?: text = String(number)
        default: return nil
        }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let digits = parts.joined()
        guard !parts[0].isEmpty, parts.allSatisfy({ !$0.isEmpty }), digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
            digits.utf8.contains(where: { $0 != 0x30 })
        else { return nil }
        return text
    }

    private func success(_ result: JSONValue) -> FakeReply {
        jsonReply(.object([("ok", .bool(true)), ("result", result)]))
    }

    /// Crypto Pay's refusal: the same code in the HTTP status and in the envelope.
    private func refusal(_ code: Int, _ name: String) -> FakeReply {
        jsonReply(
            status: code, .object([("ok", .bool(false)), ("error", .object([("code", .int(Int64(code))), ("name", .string(name))]))]))
    }
}
