import SrochnoCore
import Testing

@Suite struct QueryParametersTests {
    @Test func readsTypedValuesWithDefaults() throws {
        var query = try QueryParameters("limit=10&mine=true&offset=5&limit=20")
        #expect(query.int("limit", default: 50, range: 1...100) == 20)  // the last one wins
        #expect(query.int("offset", default: 0, range: 0...1000) == 5)
        #expect(query.int("absent", default: 7, range: 0...10) == 7)
        let mine = query.bool("mine")
        let takenByMe = query.bool("taken_by_me")
        #expect(mine && !takenByMe)
        try query.finish()
    }

    @Test func reportsEveryProblemInFastAPIShape() throws {
        var query = try QueryParameters("limit=0&offset=x&mine=maybe&search=")
        _ = query.int("limit", default: 50, range: 1...100)
        _ = query.int("offset", default: 0, range: 0...100)
        _ = query.bool("mine")
        _ = query.string("search", characters: 1...100)
        _ = query.requiredString("order_id")
        #expect(
            query.errors.map(\.location) == [
                ["query", "limit"], ["query", "offset"], ["query", "mine"], ["query", "search"], ["query", "order_id"],
            ])
        #expect(query.errors.map(\.type) == ["greater_than_equal", "int_parsing", "bool_parsing", "string_too_short", "missing"])
        #expect(throws: APIError.self) { try query.finish() }
    }

    @Test func optionalIntIsNilWhenAbsentOrInvalid() throws {
        var query = try QueryParameters("rating=9")
        #expect(query.optionalInt("rating", range: 1...5) == nil)
        #expect(query.errors.count == 1)
        #expect(query.optionalInt("absent", range: 1...5) == nil)
        #expect(query.errors.count == 1)
    }

    @Test(arguments: ["category=X%00Y", "a%00=1", "search=%ZZ"])
    func rejectsUndecodableQueryStrings(_ text: String) {
        #expect(throws: APIError.invalidField(["query"], "Invalid query string", type: "value_error")) {
            _ = try QueryParameters(text)
        }
    }
}
