/// The bounds of request values (SPEC §6), in one place for the handlers that enforce them and
/// the OpenAPI document that publishes them (`Sources/SrochnoAPI/OpenAPI/openapi.json`).
/// `OpenAPIBoundsTests` checks every value here against the document's `minimum`, `maximum`,
/// `default`, `minLength`, `maxLength` and `maxItems`: change a bound here and in the document
/// together.
///
/// Each value has the type the validators take: integer ranges are `ClosedRange<Int64>`
/// (`QueryParameters.int`, `FieldReader.int`), character counts `ClosedRange<Int>`
/// (`QueryParameters.string`, `FieldReader.string`) and item counts `Int`
/// (`FieldReader.stringList`). Characters are Unicode scalars, as those validators and JSON
/// Schema's `minLength`/`maxLength` count them.
public enum Bounds {
    /// A paged list's `limit` query parameter: the page sizes it accepts and the size used when
    /// it is absent.
    public struct PageLimit: Sendable, Equatable {
        public let range: ClosedRange<Int64>
        public let defaultValue: Int64

        public init(range: ClosedRange<Int64>, defaultValue: Int64) {
            precondition(range.contains(defaultValue), "the default limit must be an accepted one")
            self.range = range
            self.defaultValue = defaultValue
        }
    }

    // MARK: Paged lists

    /// `GET /api/orders?limit=`: 1...100, default 50.
    public static let orderListLimit = PageLimit(range: 1...100, defaultValue: 50)

    /// `GET /api/reviews?limit=`: 1...100, default 50.
    public static let reviewListLimit = PageLimit(range: 1...100, defaultValue: 50)

    /// `GET /api/balance/transactions?limit=`: 1...100, default 50.
    public static let transactionListLimit = PageLimit(range: 1...100, defaultValue: 50)

    /// The deepest page a list request may ask for (`offset`, default 0, of the order list and
    /// the ledger). A page is found by walking an index past `offset` keys, so without a bound
    /// one cheap request could walk a whole history (offset=2147483647 on 400,000 past orders
    /// took up to 0.6 s).
    public static let maximumOffset = 10_000

    /// The `offset` values a paged list accepts: `0...maximumOffset`.
    public static let offset: ClosedRange<Int64> = 0...Int64(maximumOffset)

    // MARK: Orders

    /// An order's `description`, in characters, on create and update: 20...1000.
    public static let orderDescriptionCharacters: ClosedRange<Int> = 20...1000

    // MARK: Users

    /// Notification settings' `frequency`, in minutes: 5...15.
    public static let notificationFrequencyMinutes: ClosedRange<Int64> = 5...15

    /// Preferences' `categories`: at most 10 items.
    public static let maximumPreferredCategories = 10

    /// Preferences' `cities`: at most 20 items.
    public static let maximumPreferredCities = 20

    // MARK: Balance

    /// A recharge's or an invoice's `amount`, in whole rubles: 1...100,000.
    public static let amountRubles: ClosedRange<Int64> = 1...100_000

    // MARK: Reviews

    /// A review's or a complaint's `comment`, in characters: at most 500 (empty is allowed).
    public static let reviewCommentCharacters: ClosedRange<Int> = 0...500

    // MARK: Service

    /// `GET /api/cities?search=`, in characters: 1...100.
    public static let citySearchCharacters: ClosedRange<Int> = 1...100
}
