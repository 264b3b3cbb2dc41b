/// Parses a JSON request body that must be an object, with FastAPI's error shapes.
public func parseJSONObjectBody(_ body: [UInt8]) throws(APIError) -> JSONValue {
    let value: JSONValue
    do {
        value = try JSONParser.parse(body)
    } catch {
        if error.reason == .invalidUTF8 {
            throw APIError.invalidField(["body"], "Input should be valid UTF-8", type: "json_invalid")
        }
        throw APIError.invalidField(["body", String(error.offset)], "JSON decode error", type: "json_invalid")
    }
    guard case .object = value else {
        throw APIError.invalidField(
            ["body"], "Input should be a valid dictionary or object to extract fields from", type: "model_attributes_type")
    }
    return value
}

/// Reads typed fields from a JSON object and collects every problem, so one 422 lists all of
/// them as FastAPI does. Unknown fields are ignored.
public struct FieldReader {
    public let object: JSONValue
    public let location: String
    public private(set) var errors: [FieldError] = []

    public init(_ object: JSONValue, location: String = "body") {
        self.object = object
        self.location = location
    }

    public mutating func fail(_ field: String, _ message: String, type: String) {
        errors.append(FieldError([location, field], message, type: type))
    }

    /// Throws the collected errors, if any.
    public func finish() throws(APIError) {
        if !errors.isEmpty { throw APIError(validation: errors) }
    }

    /// What pydantic says when a value is not of the field's type (also a required field's null).
    private struct Expected {
        let message: String
        let type: String

        static let string = Expected(message: "Input should be a valid string", type: "string_type")
        static let integer = Expected(message: "Input should be a valid integer", type: "int_type")
        static let boolean = Expected(message: "Input should be a valid boolean", type: "bool_type")
        static let list = Expected(message: "Input should be a valid list", type: "list_type")
    }

    /// A present, non-null field, or nil after recording it as missing (absent) or as the wrong
    /// type (null) when `required`. An optional field may be null, which means "not given".
    private mutating func present(_ field: String, required: Bool, expected: Expected) -> JSONValue? {
        guard let value = object[field] else {
            if required { fail(field, "Field required", type: "missing") }
            return nil
        }
        guard value != .null else {
            if required { fail(field, expected.message, type: expected.type) }
            return nil
        }
        return value
    }

    private mutating func fail(_ field: String, _ expected: Expected) {
        fail(field, expected.message, type: expected.type)
    }

    public mutating func string(_ field: String, required: Bool = false, characters: ClosedRange<Int>? = nil) -> String? {
        guard let value = present(field, required: required, expected: .string) else { return nil }
        guard case .string(let text) = value else {
            fail(field, .string)
            return nil
        }
        // PostgreSQL text cannot hold U+0000: libpq would silently cut the value there.
        if text.utf8.contains(0) {
            fail(field, "Value error, String should not contain NUL characters", type: "value_error")
            return nil
        }
        if let characters {
            let count = text.unicodeScalars.count
            if count < characters.lowerBound {
                let unit = characters.lowerBound == 1 ? "character" : "characters"
                fail(field, "String should have at least \(characters.lowerBound) \(unit)", type: "string_too_short")
                return nil
            }
            if count > characters.upperBound {
                let unit = characters.upperBound == 1 ? "character" : "characters"
                fail(field, "String should have at most \(characters.upperBound) \(unit)", type: "string_too_long")
                return nil
            }
        }
        return text
    }

    public mutating func int(_ field: String, required: Bool = false, range: ClosedRange<Int64>? = nil) -> Int64? {
        guard let value = present(field, required: required, expected: .integer) else { return nil }
        let number: Int64?
        switch value {
        case .int(let whole): number = whole
        case .double(let real) where real.rounded() == real && abs(real) < 9e15: number = Int64(real)
        default: number = nil
        }
        guard let number else {
            fail(field, .integer)
            return nil
        }
        if let range, let problem = rangeProblem(number, range) {
            fail(field, problem.message, type: problem.type)
            return nil
        }
        return number
    }

    public mutating func bool(_ field: String) -> Bool? {
        guard let value = present(field, required: false, expected: .boolean) else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .int(0): return false
        case .int(1): return true
        default:
            fail(field, .boolean)
            return nil
        }
    }

    public mutating func stringList(_ field: String, maxItems: Int) -> [String]? {
        guard let value = present(field, required: false, expected: .list) else { return nil }
        guard case .array(let elements) = value else {
            fail(field, .list)
            return nil
        }
        if elements.count > maxItems {
            fail(field, "List should have at most \(maxItems) items after validation, not \(elements.count)", type: "too_long")
            return nil
        }
        var strings: [String] = []
        for (index, element) in elements.enumerated() {
            guard case .string(let text) = element else {
                errors.append(FieldError([location, field, String(index)], Expected.string.message, type: Expected.string.type))
                continue
            }
            strings.append(text)
        }
        return strings.count == elements.count ? strings : nil
    }
}

/// The pydantic message for a number outside `range`, or nil when it is inside.
public func rangeProblem(_ number: Int64, _ range: ClosedRange<Int64>) -> (message: String, type: String)? {
    if number < range.lowerBound {
        return ("Input should be greater than or equal to \(range.lowerBound)", "greater_than_equal")
    }
    if number > range.upperBound {
        return ("Input should be less than or equal to \(range.upperBound)", "less_than_equal")
    }
    return nil
}
