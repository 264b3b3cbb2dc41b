public import SrochnoCore

extension FakeBotAPI {
    /// One `createInvoiceLink` call the fake accepted, and the link it answered.
    public struct InvoiceLink: Sendable {
        public struct Price: Sendable, Equatable {
            public var label: String
            /// In the currency's smallest unit: whole Stars for `XTR`.
            public var amount: Int64

            public init(label: String, amount: Int64) {
                self.label = label
                self.amount = amount
            }
        }

        public let title: String
        public let description: String
        public let payload: String
        public let currency: String
        public let prices: [Price]
        /// Nil when the call sent none (Stars want none, or an empty one).
        public let providerToken: String?
        /// Everything the call sent, for fields the properties do not cover.
        public let parameters: JSONValue
        public let url: String
    }

    /// A Star payment a user made to the bot, as `getStarTransactions` lists it: a
    /// `StarTransaction` whose `source` is a `TransactionPartnerUser` paying an invoice.
    /// `id` is the payment's `telegram_payment_charge_id`.
    public struct StarTransaction: Sendable {
        public var id: String
        /// Whole Stars received.
        public var amount: Int64
        /// Unix time of the payment.
        public var date: Int64
        public var userID: Int64
        public var userFirstName: String
        /// The invoice's payload (our payment id).
        public var invoicePayload: String?

        public init(id: String, amount: Int64, date: Int64, userID: Int64, userFirstName: String = "Тест", invoicePayload: String?) {
            self.id = id
            self.amount = amount
            self.date = date
            self.userID = userID
            self.userFirstName = userFirstName
            self.invoicePayload = invoicePayload
        }

        public var json: JSONValue {
            var source: [(key: String, value: JSONValue)] = [
                ("type", .string("user")),
                ("transaction_type", .string("invoice_payment")),
                ("user", .object([("id", .int(userID)), ("is_bot", .bool(false)), ("first_name", .string(userFirstName))])),
            ]
            if let invoicePayload { source.append(("invoice_payload", .string(invoicePayload))) }
            return .object([("id", .string(id)), ("amount", .int(amount)), ("date", .int(date)), ("source", .object(source))])
        }
    }
}
