/// Typed access to a query string with FastAPI's error shapes (`loc: ["query", name]`).
public struct QueryParameters {
    private let pairs: [(key: String, value: String)]
    public private(set) var errors: [FieldError] = []

    /// A query string that cannot be decoded is rejected as a whole.
    public init(_ rawQuery: String) throws(APIError) {
        // A NUL would be cut off silently on its way to PostgreSQL, so it is refused here.
        guard let pairs = FormURLEncoded.parse(rawQuery),
            !pairs.contains(where: { $0.key.utf8.contains(0) || $0.value.utf8.contains(0) })
        else {
            throw APIError.invalidField(["query"], "Invalid query string", type: "value_error")
        }
        self.pairs = pairs
    }

    /// The last value given for `name`, as Starlette does.
    public func value(_ name: String) -> String? {
        pairs.last(where: { $0.key == name })?.value
    }

    public func finish() throws(APIError) {
        if !errors.isEmpty { throw APIError(validation: errors) }
    }

    public mutating func string(_ name: String, characters: ClosedRange<Int>) -> String? {
        guard let text = value(name) else { return nil }
        let count = text.unicodeScalars.count
        if count < characters.lowerBound {
            errors.append(
                FieldError(
                    ["query", name],
                    "String should have at least \(characters.lowerBound) character\(characters.lowerBound == 1 ? "" : "s")",
                    type: "string_too_short"))
            return nil
        }
        if count > characters.upperBound {
            errors.append(
                FieldError(["query", name], "String should have at most \(characters.upperBound) characters", type: "string_too_long"))
            return nil
        }
        return text
    }

    /// A parameter that must be present (FastAPI's "Field required" otherwise).
    public mutating func requiredString(_ name: String) -> String? {
        guard let text = value(name) else {
            errors.append(FieldError(["query", name], "Field required", type: "missing"))
            return nil
        }
        return text
    }

    public mutating func optionalInt(_ name: String, range: ClosedRange<Int64>) -> Int64? {
        guard value(name) != nil else { return nil }
        let errorCount = errors.count
        let number = int(name, default: 0, range: range)
        return errors.count == errorCount ? number : nil
    }

    public mutating func int(_ name: String, default fallback: Int64, range: ClosedRange<Int64>) -> Int64 {
        guard let text = value(name) else { return fallback }
        guard let number = Int64(text.trimmingASCIIWhitespace()) else {
            errors.append(
                FieldError(["query", name], "Input should be a valid integer, unable to parse string as an integer", type: "int_parsing"))
            return fallback
        }
        if let problem = rangeProblem(number, range) {
            errors.append(FieldError(["query", name], problem.message, type: problem.type))
            return fallback
        }
        return number
    }

    /// One of an enum's raw values; anything else, the empty string included, is FastAPI's
    /// enum error listing the allowed values.
    public mutating func choice<T: RawRepresentable & CaseIterable>(_ name: String, default fallback: T) -> T
    where T.RawValue == String {
        guard let text = value(name) else { return fallback }
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue)
            errors.append(FieldError(["query", name], "Input should be \(pydanticAlternatives(allowed))", type: "enum"))
            return fallback
        }
        return value
    }

    public mutating func bool(_ name: String, default fallback: Bool = false) -> Bool {
        guard let text = value(name) else { return fallback }
        switch text.lowercased() {
        case "true", "1", "yes", "on", "t", "y": return true
        case "false", "0", "no", "off", "f", "n": return false
        default:
            errors.append(FieldError(["query", name], "Input should be a valid boolean, unable to interpret input", type: "bool_parsing"))
            return fallback
        }
    }
}

/// pydantic's way of listing allowed values in a message: `'a', 'b' or 'c'`.
public func pydanticAlternatives(_ values: [String]) -> String {
    let quoted = values.map { "'\($0)'" }
    guard let last = quoted.last else { return "" }
    return quoted.count == 1 ? last : quoted.dropLast().joined(separator: ", ") + " or " + last
}
