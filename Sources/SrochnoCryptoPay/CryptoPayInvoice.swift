import SrochnoCore

/// A Crypto Pay invoice, as `createInvoice` and `getInvoices` return it and as an
/// `invoice_paid` webhook carries it. Only what top-ups use is decoded; amounts stay the
/// decimal strings Crypto Pay writes, so nothing is rounded on the way in.
public struct CryptoPayInvoice: Sendable, Equatable {
    /// `active` until paid or expired. A status this client does not know is kept, not
    /// refused, so one new status cannot fail a whole reconciliation batch.
    public enum Status: Sendable, Equatable {
        case active
        case paid
        case expired
        case other(String)

        init(_ text: String) {
            switch text {
            case "active": self = .active
            case "paid": self = .paid
            case "expired": self = .expired
            default: self = .other(text)
            }
        }
    }

    public var invoiceID: Int64
    public var status: Status
    /// `fiat` or `crypto`: which of `fiat` and `asset` names the amount's currency.
    public var currencyType: String?
    /// The invoice amount in its currency, a decimal string (`"150"`, `"1.5"`).
    public var amount: String
    /// The fiat currency code (`RUB`) of a fiat invoice.
    public var fiat: String?
    /// The crypto asset (`USDT`, `TON`) of a crypto invoice.
    public var asset: String?
    /// The link that opens the invoice in @CryptoBot; the older `pay_url` when only it is sent.
    public var botInvoiceURL: String
    public var miniAppInvoiceURL: String?
    /// What the app attached at creation (our payment id).
    public var payload: String?
    /// ISO 8601 time of payment, only once paid.
    public var paidAt: String?

    public init(
        invoiceID: Int64,
        status: Status,
        currencyType: String?,
        amount: String,
        fiat: String?,
        asset: String?,
        botInvoiceURL: String,
        miniAppInvoiceURL: String?,
        payload: String?,
        paidAt: String?
    ) {
        self.invoiceID = invoiceID
        self.status = status
        self.currencyType = currencyType
        self.amount = amount
        self.fiat = fiat
        self.asset = asset
        self.botInvoiceURL = botInvoiceURL
        self.miniAppInvoiceURL = miniAppInvoiceURL
        self.payload = payload
        self.paidAt = paidAt
    }

    /// The amount in whole units when it has no fractional part (`"150"`, `"150.00"`), else
    /// nil: what a caller compares with the whole rubles it stored, without floating point.
    public var wholeAmount: Int64? {
        let parts = amount.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0]
        guard !whole.isEmpty, whole.utf8.count <= 18, whole.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { return nil }
        if parts.count == 2 {
            guard !parts[1].isEmpty, parts[1].utf8.allSatisfy({ $0 == UInt8(ascii: "0") }) else { return nil }
        }
        return Int64(whole)
    }

    /// Nil when a field top-ups rely on is missing or of the wrong type.
    init?(json: JSONValue) {
        guard let invoiceID = json["invoice_id"]?.intValue, let status = json["status"]?.stringValue,
            let amount = Self.decimal(json["amount"]),
            let botInvoiceURL = json["bot_invoice_url"]?.stringValue ?? json["pay_url"]?.stringValue
        else { return nil }
        self.init(
            invoiceID: invoiceID,
            status: Status(status),
            currencyType: json["currency_type"]?.stringValue,
            amount: amount,
            fiat: json["fiat"]?.stringValue,
            asset: json["asset"]?.stringValue,
            botInvoiceURL: botInvoiceURL,
            miniAppInvoiceURL: json["mini_app_invoice_url"]?.stringValue,
            payload: json["payload"]?.stringValue,
            paidAt: json["paid_at"]?.stringValue
        )
    }

    /// Crypto Pay documents amounts as strings; a bare integer is accepted as its digits.
    private static func decimal(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: return text
        case .int(let number)?: return String(number)
        default: return nil
        }
    }
}
