import SrochnoCore
import SrochnoPostgres
import Testing

/// Review comments: up to 500 characters (code points, as Python counts), stored and returned
/// exactly as sent.
@Suite struct ReviewCommentTests {
    let api: ReviewAPI

    init() throws { api = try ReviewAPI() }

    static let awkwardComments = [
        "Всё отлично! 👍🏽 Мастер пришёл за 15 минут",
        #"He said "done" and left 'quickly' \ back\\slash / slash \n (not a newline)"#,
        "Строка 1\nСтрока 2\r\nСтрока 3\tс табуляцией\n",
        "Семья 👨‍👩‍👧‍👦, флаг 🇷🇺, café и cafe\u{301}, Ё и Е\u{308}",
        "<script>alert('x')</script> & '; DROP TABLE client_reviews; --",
        "   пробелы по краям   ",
        "\u{2028}\u{2029}\u{200B}\u{FEFF}\u{7F}\u{1F} невидимые",
        "",
    ]

    @Test func commentsRoundTripExactlyEverywhereTheyAreShown() throws {
        let client = TestUser(api.stack, firstName: "Зоя")
        let executor = try api.executor(takes: Self.awkwardComments.count)
        var reviews: [(order: String, id: Int64, comment: String)] = []
        for comment in Self.awkwardComments {
            let order = try api.completedOrder(client: client, executors: [executor])
            let response = try api.review(order, rating: 5, comment: comment, as: client)
            let id = try #require(ReviewAPI.createdID(response, key: "review_id"), "\(comment.debugDescription): \(response.text)")
            reviews.append((order, id, comment))
        }

        let db = try api.stack.database()
        for review in reviews {
            let stored = try db.execute(sql: "SELECT comment FROM client_reviews WHERE id = $1::bigint", [review.id]).string(0, 0)
            #expect(ReviewJSON.sameScalars(stored.map(JSONValue.string), review.comment), "stored \(review.comment.debugDescription)")
            let order = try api.order(review.order, as: client)
            #expect(ReviewJSON.sameScalars(order["review_comment"], review.comment), "order \(review.comment.debugDescription)")
        }
        for (scope, viewer) in [("mine=true", executor), ("about_me=true", client)] {
            let items = try api.items(scope, as: viewer)
            #expect(items.compactMap { $0["id"]?.intValue } == reviews.reversed().map(\.id), "\(scope)")
            for (item, review) in zip(items, reviews.reversed()) {
                #expect(ReviewJSON.sameScalars(item["comment"], review.comment), "\(scope) \(review.comment.debugDescription)")
            }
        }
    }

    @Test func escapedJSONIsDecodedBeforeStoring() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.completedOrder(client: client, executors: [executor])
        let body = #"{"order_id": "\#(order)", "rating": 4, "comment": "\u041e\u043a \ud83d\ude00 \"q\" \\ \/ \n\t\u00e9"}"#

        let response = try api.http.post("/api/reviews/client", json: body, as: client)
        #expect(ReviewAPI.createdID(response, key: "review_id") != nil, "body: \(response.text)")
        let item = try #require(api.items("about_me=true", as: client).first)
        #expect(ReviewJSON.sameScalars(item["comment"], "Ок 😀 \"q\" \\ / \n\té"))
    }

    @Test func aMissingOrNullCommentIsNull() throws {
        let client = TestUser(api.stack)
        let first = try api.executor(), second = try api.executor()
        let order = try api.completedOrder(client: client, executors: [first, second])

        #expect(ReviewAPI.createdID(try api.review(order, rating: 3, as: client), key: "review_id") != nil)
        let explicitNull = #"{"order_id": "\#(order)", "executor_id": \#(second.id), "rating": 4, "comment": null}"#
        #expect(ReviewAPI.createdID(try api.http.post("/api/reviews/client", json: explicitNull, as: client), key: "review_id") != nil)

        let items = try api.items("about_me=true", as: client)
        #expect(items.count == 2)
        #expect(items.allSatisfy { $0["comment"] == .null })
        let shown = try api.order(order, as: client)
        #expect(shown["rating"] == .int(3))
        #expect(shown["review_comment"] == .null)
    }

    /// 500 code points pass and 501 fail, however many bytes, UTF-16 units or graphemes they make.
    @Test(arguments: LongestComment.allCases)
    func commentsOfExactly500CharactersAreAcceptedAnd501Rejected(_ kind: LongestComment) throws {
        let longest = kind.text
        #expect(longest.unicodeScalars.count == 500)
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.completedOrder(client: client, executors: [executor])

        for tooLong in [longest + "!", longest + "😀", longest + longest] {
            let response = try api.review(order, rating: 5, comment: tooLong, as: client)
            ReviewExpect.validation(response, ["body", "comment"], type: "string_too_long")
            #expect(ReviewExpect.validationMessage(response) == "String should have at most 500 characters")
        }
        let accepted = try api.review(order, rating: 5, comment: longest, as: client)
        #expect(ReviewAPI.createdID(accepted, key: "review_id") != nil, "\(kind): \(accepted.text)")
        #expect(ReviewJSON.sameScalars(try api.order(order, as: client)["review_comment"], longest))
    }

    /// PostgreSQL text cannot hold U+0000: refused, never stored cut short at it.
    @Test func aNULCharacterIsRefusedNotCutShort() throws {
        let client = TestUser(api.stack)
        let executor = try api.executor()
        let order = try api.completedOrder(client: client, executors: [executor])

        for comment in ["до\u{0}после", "\u{0}", "конец\u{0}"] {
            let response = try api.review(order, rating: 5, comment: comment, as: client)
            ReviewExpect.validation(response, ["body", "comment"], type: "value_error")
        }
        #expect(try api.items("about_me=true", as: client).isEmpty)
    }
}

/// Comments of exactly 500 code points.
enum LongestComment: String, CaseIterable, Sendable, CustomStringConvertible {
    /// 1,000 bytes of Cyrillic and a 4-byte emoji (2 UTF-16 units).
    case cyrillicAndEmoji
    /// 250 graphemes, each a letter and a combining accent.
    case combiningAccents
    case ascii

    var description: String { rawValue }

    var text: String {
        switch self {
        case .cyrillicAndEmoji: return String(repeating: "ж", count: 499) + "😀"
        case .combiningAccents: return String(repeating: "e\u{301}", count: 250)
        case .ascii: return String(repeating: "a", count: 500)
        }
    }
}
