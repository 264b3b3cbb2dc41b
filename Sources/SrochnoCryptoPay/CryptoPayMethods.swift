import SrochnoCore

extension CryptoPayClient {
    /// The most ids one `getInvoices` page returns (`count` is capped by Crypto Pay at 1000;
    /// smaller pages keep each answer far below the size cap).
    static let invoicesPerPage = 100

    /// Creates an invoice for `amountRubles` whole rubles, payable in any asset the app
    /// accepts (`currency_type=fiat`, `fiat=RUB`). `payload` comes back in the invoice and in
    /// its webhook (our payment id); `expiresInSeconds` is Crypto Pay's `expires_in`
    /// (1…2678400). A non-positive amount or an expiry out of range is a programming error:
    /// the caller has already checked the user's input.
    public func createInvoice(
        amountRubles: Int64,
        description: String,
        payload: String,
        expiresInSeconds: Int
    ) throws(CryptoPayError) -> CryptoPayInvoice {
        precondition(amountRubles > 0, "an invoice amount is positive")
        precondition((1...2_678_400).contains(expiresInSeconds), "Crypto Pay accepts expires_in of 1 to 2678400 seconds")
        let result = try call(
            "createInvoice",
            parameters: [
                ("currency_type", .string("fiat")),
                ("fiat", .string("RUB")),
                // Crypto Pay takes the amount as a decimal string; whole rubles need no point.
                ("amount", .string(String(amountRubles))),
                ("description", .string(description)),
                ("payload", .string(payload)),
                ("expires_in", .int(Int64(expiresInSeconds))),
            ])
        guard let invoice = CryptoPayInvoice(json: result) else {
            throw .invalidResponse(status: 200, reason: "createInvoice result is not an invoice")
        }
        return invoice
    }

    /// The invoices with these ids, in Crypto Pay's order; an id it does not know is simply
    /// absent. `invoice_ids` is the comma-separated list Crypto Pay documents, asked
    /// `invoicesPerPage` at a time. No ids → no call: an empty `invoice_ids` would list every
    /// invoice of the app.
    public func getInvoices(invoiceIDs: [Int64]) throws(CryptoPayError) -> [CryptoPayInvoice] {
        var invoices: [CryptoPayInvoice] = []
        var start = 0
        while start < invoiceIDs.count {
            let page = invoiceIDs[start..<min(start + Self.invoicesPerPage, invoiceIDs.count)]
            let result = try call(
                "getInvoices",
                parameters: [
                    ("invoice_ids", .string(page.map(String.init).joined(separator: ","))),
                    ("count", .int(Int64(page.count))),
                ])
            // Documented as an array of invoices; the service answers `{"items": […]}`.
            let items: [JSONValue]
            switch (result, result["items"]) {
            case (.array(let list), _), (_, .array(let list)?): items = list
            default: throw .invalidResponse(status: 200, reason: "getInvoices result is not a list of invoices")
            }
            for item in items {
                guard let invoice = CryptoPayInvoice(json: item) else {
                    throw .invalidResponse(status: 200, reason: "getInvoices returned something that is not an invoice")
                }
                invoices.append(invoice)
            }
            start += page.count
        }
        return invoices
    }
}
