@testable import SrochnoAPI
import SrochnoCore
import Testing

/// The OpenAPI document compiled into SrochnoAPI (`OpenAPI/openapi.json`, served byte for byte
/// at `GET /api/openapi.json`) publishes exactly the bounds the handlers enforce: every bound of
/// `Bounds` is checked against the `minimum`, `maximum`, `default`, `minLength`, `maxLength` or
/// `maxItems` of each parameter and schema property that states it, so the two cannot drift.
/// No stack needed: the document is `PackageResources.openapi_json`.
@Suite struct OpenAPIBoundsTests {
    static let document: JSONValue = (try? JSONParser.parse(PackageResources.openapi_json)) ?? .null

    /// Follows a local `$ref` (`#/components/...`).
    static func resolve(_ value: JSONValue) -> JSONValue {
        guard let reference = value["$ref"]?.stringValue, reference.hasPrefix("#/") else { return value }
        var target: JSONValue? = document
        for part in reference.dropFirst(2).split(separator: "/") { target = target?[String(part)] }
        return target.map(resolve) ?? .null
    }

    /// The schema of the query parameter `name` of `GET path`, its references resolved.
    static func parameterSchema(_ path: String, _ name: String) -> JSONValue? {
        guard case .array(let parameters)? = document["paths"]?[path]?["get"]?["parameters"] else { return nil }
        return parameters.lazy.map(resolve).first { $0["name"]?.stringValue == name }?["schema"].map(resolve)
    }

    /// The schema of `property` of the component schema `schema`, its references resolved.
    static func propertySchema(_ schema: String, _ property: String) -> JSONValue? {
        document["components"]?["schemas"]?[schema]?["properties"]?[property].map(resolve)
    }

    static func int(_ schema: JSONValue?, _ keyword: String) -> Int64? { schema?[keyword]?.intValue }

    @Test func theEmbeddedDocumentIsTheOpenAPI31Document() {
        #expect(Self.document["openapi"]?.stringValue?.hasPrefix("3.1.") == true)
        #expect(Self.document["info"]?["title"]?.stringValue == "Srochno API")
    }

    /// Python's `json` and this parser take the last of duplicate keys without a word: a
    /// duplicate in the hand-edited file would silently drop a member.
    @Test func noObjectRepeatsAKey() {
        var duplicates: [String] = []
        func visit(_ value: JSONValue, at path: String) {
            switch value {
            case .object(let members):
                var seen = Set<String>()
                for (key, member) in members {
                    if !seen.insert(key).inserted { duplicates.append("\(path)/\(key)") }
                    visit(member, at: "\(path)/\(key)")
                }
            case .array(let items):
                for (index, item) in items.enumerated() { visit(item, at: "\(path)/\(index)") }
            default:
                break
            }
        }
        visit(Self.document, at: "#")
        #expect(duplicates == [])
    }

    @Test(arguments: [
        ("/api/orders", Bounds.orderListLimit),
        ("/api/reviews", Bounds.reviewListLimit),
        ("/api/balance/transactions", Bounds.transactionListLimit),
    ])
    func listLimits(_ path: String, _ limit: Bounds.PageLimit) {
        let schema = Self.parameterSchema(path, "limit")
        #expect(schema?["type"]?.stringValue == "integer", "\(path)")
        #expect(Self.int(schema, "minimum") == limit.range.lowerBound, "\(path)")
        #expect(Self.int(schema, "maximum") == limit.range.upperBound, "\(path)")
        #expect(Self.int(schema, "default") == limit.defaultValue, "\(path)")
    }

    @Test(arguments: ["/api/orders", "/api/balance/transactions"])
    func listOffsets(_ path: String) {
        let schema = Self.parameterSchema(path, "offset")
        #expect(schema?["type"]?.stringValue == "integer", "\(path)")
        #expect(Self.int(schema, "minimum") == Bounds.offset.lowerBound, "\(path)")
        #expect(Self.int(schema, "maximum") == Bounds.offset.upperBound, "\(path)")
        #expect(Self.int(schema, "maximum") == Int64(Bounds.maximumOffset), "\(path)")
        #expect(Self.int(schema, "default") == 0, "\(path)")
    }

    @Test func citySearch() {
        let schema = Self.parameterSchema("/api/cities", "search")
        #expect(Self.int(schema, "minLength") == Int64(Bounds.citySearchCharacters.lowerBound))
        #expect(Self.int(schema, "maxLength") == Int64(Bounds.citySearchCharacters.upperBound))
    }

    /// Character bounds; a lower bound of 0 may be left out (`minLength` defaults to 0).
    @Test(arguments: [
        ("OrderCreate", "description", Bounds.orderDescriptionCharacters),
        ("OrderUpdate", "description", Bounds.orderDescriptionCharacters),
        ("OrderResponse", "description", Bounds.orderDescriptionCharacters),
        ("ClientReviewCreate", "comment", Bounds.reviewCommentCharacters),
        ("ComplaintCreate", "comment", Bounds.reviewCommentCharacters),
        ("Review", "comment", Bounds.reviewCommentCharacters),
        ("OrderResponse", "review_comment", Bounds.reviewCommentCharacters),
    ])
    func stringLengths(_ schemaName: String, _ property: String, _ characters: ClosedRange<Int>) {
        let schema = Self.propertySchema(schemaName, property)
        #expect(schema != nil, "\(schemaName).\(property) is documented")
        #expect((Self.int(schema, "minLength") ?? 0) == Int64(characters.lowerBound), "\(schemaName).\(property)")
        #expect(Self.int(schema, "maxLength") == Int64(characters.upperBound), "\(schemaName).\(property)")
    }

    @Test(arguments: ["NotificationSettings", "NotificationSettingsUpdate"])
    func notificationFrequency(_ schemaName: String) {
        let schema = Self.propertySchema(schemaName, "frequency")
        #expect(Self.int(schema, "minimum") == Bounds.notificationFrequencyMinutes.lowerBound, "\(schemaName)")
        #expect(Self.int(schema, "maximum") == Bounds.notificationFrequencyMinutes.upperBound, "\(schemaName)")
    }

    @Test(arguments: ["Preferences", "PreferencesUpdate"])
    func preferenceListSizes(_ schemaName: String) {
        let categories = Self.propertySchema(schemaName, "categories")
        let cities = Self.propertySchema(schemaName, "cities")
        #expect(Self.int(categories, "maxItems") == Int64(Bounds.maximumPreferredCategories), "\(schemaName)")
        #expect(Self.int(cities, "maxItems") == Int64(Bounds.maximumPreferredCities), "\(schemaName)")
    }

    /// The recharge's `amount`, and every other schema's bounded `amount` (an invoice's), is
    /// `Bounds.amountRubles`. Ledger amounts, which are negative for charges, state no bounds.
    @Test func amounts() {
        let recharge = Self.propertySchema("RechargeRequest", "amount")
        #expect(Self.int(recharge, "minimum") == Bounds.amountRubles.lowerBound)
        #expect(Self.int(recharge, "maximum") == Bounds.amountRubles.upperBound)

        guard case .object(let schemas)? = Self.document["components"]?["schemas"] else {
            Issue.record("no component schemas")
            return
        }
        for (name, _) in schemas {
            guard let amount = Self.propertySchema(name, "amount"),
                amount["minimum"] != nil || amount["maximum"] != nil
            else { continue }
            #expect(Self.int(amount, "minimum") == Bounds.amountRubles.lowerBound, "\(name).amount")
            #expect(Self.int(amount, "maximum") == Bounds.amountRubles.upperBound, "\(name).amount")
        }
    }
}
