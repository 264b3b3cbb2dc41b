import SrochnoCore
import Testing

@Suite struct FieldReaderTests {
    func reader(_ json: String) throws -> FieldReader {
        FieldReader(try parseJSONObjectBody(Array(json.utf8)))
    }

    @Test func readsFieldsAndIgnoresUnknownOnes() throws {
        var fields = try reader(#"{"description": "двадцать символов ровно!", "rating": 5.0, "on": true, "tags": ["a"], "extra": {}}"#)
        #expect(fields.string("description", required: true, characters: 20...1000) == "двадцать символов ровно!")
        #expect(fields.int("rating", required: true, range: 1...5) == 5)
        #expect(fields.bool("on") == true)
        #expect(fields.stringList("tags", maxItems: 2) == ["a"])
        try fields.finish()
    }

    @Test func countsCharactersNotBytes() throws {
        var fields = try reader(#"{"text": "ёёёёё"}"#)
        #expect(fields.string("text", characters: 5...5) == "ёёёёё")
        try fields.finish()
    }

    @Test func collectsAllErrorsInOrder() throws {
        var fields = try reader(#"{"description": "short", "rating": "5x", "tags": [1, "b", "c"], "on": "yes"}"#)
        _ = fields.string("category", required: true)
        _ = fields.string("description", required: true, characters: 20...1000)
        _ = fields.int("rating", required: true, range: 1...5)
        _ = fields.stringList("tags", maxItems: 2)
        _ = fields.bool("on")
        #expect(
            fields.errors == [
                FieldError(["body", "category"], "Field required", type: "missing"),
                FieldError(["body", "description"], "String should have at least 20 characters", type: "string_too_short"),
                FieldError(["body", "rating"], "Input should be a valid integer", type: "int_type"),
                FieldError(["body", "tags"], "List should have at most 2 items after validation, not 3", type: "too_long"),
                FieldError(["body", "on"], "Input should be a valid boolean", type: "bool_type"),
            ])
    }

    @Test func bodyMustBeAJSONObject() {
        #expect(
            throws: APIError.invalidField(
                ["body"], "Input should be a valid dictionary or object to extract fields from", type: "model_attributes_type")
        ) {
            _ = try parseJSONObjectBody(Array("[1]".utf8))
        }
        #expect(throws: APIError.invalidField(["body", "1"], "JSON decode error", type: "json_invalid")) {
            _ = try parseJSONObjectBody(Array("{bad".utf8))
        }
        #expect(throws: APIError.invalidField(["body"], "Input should be valid UTF-8", type: "json_invalid")) {
            _ = try parseJSONObjectBody([0x7B, 0xFF, 0x7D])
        }
    }

    @Test func validationErrorRendersFastAPIShape() {
        let error = APIError.invalidField(["body", "city"], "Value error, Unknown city", type: "value_error")
        #expect(
            String(decoding: error.response.body, as: UTF8.self)
                == #"{"detail":[{"loc":["body","city"],"msg":"Value error, Unknown city","type":"value_error"}]}"#)
        #expect(error.response.status == 422)
    }
}
