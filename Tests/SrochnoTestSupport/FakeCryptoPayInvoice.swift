public import SrochnoCore

extension FakeCryptoPay {
    /// An invoice as the fake keeps it and writes it, in the shape Crypto Pay documents for its
    /// Invoice object (the fields top-ups read, and a few more so clients see a real-looking
    /// object). A test may build one without any server, to sign a webhook for a payment it
    /// arranged directly in the database, and may change `amount`, `currencyType` or `fiat`
    /// to forge a mismatch.
    public struct Invoice: Sendable, Equatable {
        public enum Status: String, Sendable {
            case active, paid, expired
        }

        public var invoiceID: Int64
        /// Crypto Pay's short invoice hash; the links are built from it.
        public var hash: String
        public var status: Status
        /// `fiat` or `crypto`: whether `fiat` or `asset` names the amount's currency.
        public var currencyType: String
        public var fiat: String?
        public var asset: String?
        /// A decimal string, as Crypto Pay writes every amount, kept exactly as created.
        public var amount: String
        public var description: String?
        public var payload: String?
        public var createdAt: Instant
        public var expiresAt: Instant?
        public var paidAt: Instant?

        public init(
            invoiceID: Int64, status: Status = .active, currencyType: String = "fiat", fiat: String? = "RUB", asset: String? = nil,
            amount: String, description: String? = nil, payload: String?, createdAt: Instant, expiresAt: Instant? = nil,
            paidAt: Instant? = nil
        ) {
            self.invoiceID = invoiceID
            hash = "IV" + String(invoiceID, radix: 36).uppercased()
            self.status = status
            self.currencyType = currencyType
            self.fiat = fiat
            self.asset = asset
            self.amount = amount
            self.description = description
            self.payload = payload
            self.createdAt = createdAt
            self.expiresAt = expiresAt
            self.paidAt = paidAt
        }

        /// Opens the invoice in @CryptoBot (what the app returns as `pay_url`).
        public var botInvoiceURL: String { "https://t.me/CryptoBot?start=\(hash)" }
        /// Opens it in the Crypto Bot Mini App (the app's `mini_app_invoice_url`).
        public var miniAppInvoiceURL: String { "https://t.me/CryptoBot/app?startapp=invoice-\(hash)&mode=compact" }
        public var webAppInvoiceURL: String { "https://app.send.tg/invoices/\(hash)" }

        /// The invoice object as `createInvoice`, `getInvoices` and an `invoice_paid` webhook
        /// carry it; optional fields only when set, as Crypto Pay leaves them out.
        public var json: JSONValue {
            var members: [(key: String, value: JSONValue)] = [
                ("invoice_id", .int(invoiceID)),
                ("hash", .string(hash)),
                ("currency_type", .string(currencyType)),
            ]
            if let fiat { members.append(("fiat", .string(fiat))) }
            if let asset { members.append(("asset", .string(asset))) }
            members += [
                ("amount", .string(amount)),
                ("bot_invoice_url", .string(botInvoiceURL)),
                ("mini_app_invoice_url", .string(miniAppInvoiceURL)),
                ("web_app_invoice_url", .string(webAppInvoiceURL)),
            ]
            if let description { members.append(("description", .string(description))) }
            members += [
                ("status", .string(status.rawValue)),
                ("created_at", .string(createdAt.rfc3339)),
                ("allow_comments", .bool(true)),
                ("allow_anonymous", .bool(true)),
            ]
            if let expiresAt { members.append(("expiration_date", .string(expiresAt.rfc3339))) }
            if let paidAt {
                members += [("paid_at", .string(paidAt.rfc3339)), ("paid_anonymously", .bool(false))]
            }
            if let payload { members.append(("payload", .string(payload))) }
            return .object(members)
        }
    }
}
