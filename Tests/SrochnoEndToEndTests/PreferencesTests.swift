import SrochnoCore
import Testing

/// `GET/PUT /api/users/me/preferences` (SPEC §6 Users): up to 10 valid categories and up to
/// 20 known cities; a list left out keeps its stored value; a rejected update changes nothing.
@Suite struct PreferencesTests {
    static let path = "/api/users/me/preferences"

    private func put(_ stack: TestStack, _ user: TestUser, categories: [String]? = nil, cities: [String]? = nil) throws -> HTTPResult {
        try stack.client.put(
            Self.path,
            json: jsonText { json in
                json.beginObject()
                if let categories { json.key("categories"); writeList(categories, &json) }
                if let cities { json.key("cities"); writeList(cities, &json) }
                json.endObject()
            }, as: user)
    }

    private func writeList(_ values: [String], _ json: inout JSONWriter) {
        json.beginArray()
        for value in values { json.value(value) }
        json.endArray()
    }

    private func stored(_ stack: TestStack, _ user: TestUser) throws -> (categories: [String], cities: [String]) {
        let response = try stack.client.get(Self.path, as: user)
        #expect(response.status == 200)
        let body = try response.json()
        func strings(_ value: JSONValue?) -> [String] {
            guard case .array(let values)? = value else { return ["<not a list>"] }
            return values.map { $0.stringValue ?? "<not a string>" }
        }
        return (strings(body["categories"]), strings(body["cities"]))
    }

    @Test func aNewUserHasEmptyPreferences() throws {
        let stack = try TestStack()
        let response = try stack.client.get(Self.path, as: TestUser(stack))
        #expect(response.status == 200)
        #expect(response.text == #"{"categories":[],"cities":[]}"#)
    }

    @Test func validPreferencesAreStoredAndReadBack() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let response = try put(stack, user, categories: ["Сантехника", "Сборка/установка"], cities: ["Москва", "Казань"])
        #expect(response.status == 200)
        #expect(response.text == #"{"success":true}"#)
        let preferences = try stored(stack, user)
        #expect(preferences.categories == ["Сантехника", "Сборка/установка"])
        #expect(preferences.cities == ["Москва", "Казань"])
    }

    @Test func allSevenCategoriesAndTwentyCitiesAreAccepted() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let categories = ["Сантехника", "Электрика", "Бытовой ремонт", "Клининг", "Сборка/установка", "Бытовая техника", "Другое"]
        let allCities = try stack.client.get("/api/cities").json()
        guard case .array(let names) = allCities else { Issue.record("no city list"); return }
        let twenty = names.prefix(20).compactMap(\.stringValue)
        let response = try put(stack, user, categories: categories, cities: twenty)
        #expect(response.status == 200)
        let preferences = try stored(stack, user)
        #expect(preferences.categories == categories)
        #expect(preferences.cities == twenty)
    }

    @Test func moreThanTenCategoriesAreRejected() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let response = try put(stack, user, categories: Array(repeating: "Клининг", count: 11))
        expectValidationError(response, at: ["body", "categories"], type: "too_long")
        #expect(try stored(stack, user).categories == [])
    }

    @Test func anUnknownCategoryIsRejected() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let response = try put(stack, user, categories: ["Сантехника", "Ремонт космических кораблей"])
        expectValidationError(response, at: ["body", "categories"])
        #expect(try stored(stack, user).categories == [])
    }

    @Test func anUnknownCityIsRejected() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let response = try put(stack, user, cities: ["Москва", "Атлантида"])
        expectValidationError(response, at: ["body", "cities"])
        #expect(try stored(stack, user).cities == [])
    }

    @Test func moreThanTwentyCitiesAreRejected() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let response = try put(stack, user, cities: Array(repeating: "Москва", count: 21))
        expectValidationError(response, at: ["body", "cities"], type: "too_long")
        #expect(try stored(stack, user).cities == [])
    }

    @Test func aNonStringListItemIsRejectedWithItsIndex() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let response = try stack.client.put(Self.path, json: #"{"cities": ["Москва", 7]}"#, as: user)
        expectValidationError(response, at: ["body", "cities", "1"], type: "string_type")
    }

    @Test func updatingOnlyCategoriesKeepsTheCities() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        #expect(try put(stack, user, categories: ["Электрика"], cities: ["Тула"]).status == 200)
        #expect(try put(stack, user, categories: ["Клининг", "Другое"]).status == 200)
        let preferences = try stored(stack, user)
        #expect(preferences.categories == ["Клининг", "Другое"])
        #expect(preferences.cities == ["Тула"])
    }

    @Test func updatingOnlyCitiesKeepsTheCategories() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        #expect(try put(stack, user, categories: ["Электрика"], cities: ["Тула"]).status == 200)
        #expect(try put(stack, user, cities: ["Омск", "Томск"]).status == 200)
        let preferences = try stored(stack, user)
        #expect(preferences.categories == ["Электрика"])
        #expect(preferences.cities == ["Омск", "Томск"])
    }

    @Test func anEmptyListClearsThatListOnly() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        #expect(try put(stack, user, categories: ["Электрика"], cities: ["Тула"]).status == 200)
        #expect(try put(stack, user, categories: []).status == 200)
        let preferences = try stored(stack, user)
        #expect(preferences.categories == [])
        #expect(preferences.cities == ["Тула"])
    }

    @Test func preferencesNeedAuthentication() throws {
        let stack = try TestStack()
        expectDetail(try stack.client.get(Self.path), 401, "Not authenticated")
        expectDetail(try stack.client.put(Self.path, json: #"{"categories": []}"#), 401, "Not authenticated")
    }
}
