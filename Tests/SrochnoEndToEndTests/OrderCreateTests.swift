import SrochnoCore
import Testing

/// `POST /api/orders`: the created order, contact forms and normalisation, every invalid
/// field, and the one-active-order-per-contact rule.
@Suite struct OrderCreateTests {
    let stack: TestStack
    let api: OrderAPI

    init() throws {
        stack = try TestStack()
        api = OrderAPI(stack)
    }

    @Test func createdOrderIsReturnedWithItsContactToTheClient() throws {
        let client = TestUser(stack)
        let phone = PhoneNumber()
        let response = try api.create(OrderDraft(category: "Электрика", city: "Казань", contact: phone.spaced), as: client)
        #expect(response.status == 201, "\(response.text)")
        let order = try response.json()
        let id = try #require(order["id"]?.stringValue)
        #expect(OrderID.isWellFormed(id))
        #expect(order["category"] == .string("Электрика"))
        #expect(order["description"] == .string("Срочно нужен мастер, течёт труба под раковиной"))
        #expect(order["city"] == .string("Казань"))
        #expect(order["contact"] == .string(phone.normalized))
        #expect(order["status"] == .string("active"))
        #expect(order["expires_in_minutes"] == .int(60))
        #expect(order["taken_by"] == .array([]))
        #expect(order["customer_responded_at"] == .null)
        #expect(order["city_locked"] == .bool(true))
        #expect(order["rating"] == .null)
        #expect(order["review_comment"] == .null)
        let created = try #require(order["created_at"]?.stringValue)
        #expect(created.hasSuffix("Z") && created.count == "2026-11-27T14:03:05.123Z".count, "\(created)")
        #expect(try stack.storedStatus(ofOrder: id) == "active")
    }

    enum ContactForm: String, CaseIterable, Sendable {
        case spacedWithPlus, trunkPrefixWithParentheses, compactWithPlus, telegramUsername
    }

    @Test(arguments: ContactForm.allCases)
    func acceptsCommonContactFormsAndStoresThemNormalised(_ form: ContactForm) throws {
        let phone = PhoneNumber()
        let written: String
        let normalized: String
        switch form {
        case .spacedWithPlus: (written, normalized) = (phone.spaced, phone.normalized)
        case .trunkPrefixWithParentheses: (written, normalized) = (phone.trunkPrefixed, phone.normalized)
        case .compactWithPlus: (written, normalized) = (phone.compact, phone.normalized)
        case .telegramUsername:
            let name = "@some_user_\(Int.random(in: 100_000...999_999))"
            (written, normalized) = (name, name)
        }
        let response = try api.create(OrderDraft(contact: written), as: TestUser(stack))
        #expect(response.status == 201, "\(written): \(response.text)")
        #expect(try response.json()["contact"] == .string(normalized))
    }

    @Test(arguments: [
        "12345", "@abc", "+1 202 555 0100", "+7 799 123-45-67", "8 999 123 45 6", "+8 999 123 45 67",
        "@bad-name", "", "8-800-555-35-35 доб. 1",
    ])
    func rejectsWhatIsNeitherARussianPhoneNorAUsername(_ contact: String) throws {
        let response = try api.create(OrderDraft(contact: contact), as: TestUser(stack))
        expectOrderValidation(
            response, "body.contact",
            "Value error, Contact must be a Telegram username (@name, 5-32 letters, digits or _) or a Russian phone number",
            type: "value_error")
    }

    struct InvalidField: Sendable, CustomTestStringConvertible {
        let name: String
        let draft: OrderDraft
        let location: String
        let message: String
        let type: String
        var testDescription: String { name }
    }

    static let invalidFields: [InvalidField] = [
        InvalidField(
            name: "category missing", draft: OrderDraft(category: nil), location: "body.category",
            message: "Field required", type: "missing"),
        InvalidField(
            name: "category unknown", draft: OrderDraft(category: "Сантехника "), location: "body.category",
            message: "Value error, Invalid category", type: "value_error"),
        InvalidField(
            name: "description missing", draft: OrderDraft(description: nil), location: "body.description",
            message: "Field required", type: "missing"),
        InvalidField(
            name: "description 19 characters", draft: OrderDraft(description: String(repeating: "я", count: 19)),
            location: "body.description", message: "String should have at least 20 characters", type: "string_too_short"),
        InvalidField(
            name: "description 1001 characters", draft: OrderDraft(description: String(repeating: "я", count: 1001)),
            location: "body.description", message: "String should have at most 1000 characters", type: "string_too_long"),
        InvalidField(
            name: "city missing", draft: OrderDraft(city: nil), location: "body.city",
            message: "Field required", type: "missing"),
        InvalidField(
            name: "city unknown", draft: OrderDraft(city: "Атлантида"), location: "body.city",
            message: "Value error, Unknown city", type: "value_error"),
        InvalidField(
            name: "contact missing", draft: OrderDraft(contact: nil), location: "body.contact",
            message: "Field required", type: "missing"),
    ]

    @Test(arguments: invalidFields)
    func rejectsEachInvalidFieldWithItsLocation(_ field: InvalidField) throws {
        let client = TestUser(stack)
        let response = try api.create(field.draft, as: client)
        expectOrderValidation(response, field.location, field.message, type: field.type)
        if let contact = field.draft.contact, let normalized = Contact.normalize(contact) {
            #expect(try stack.activeOrderCount(contact: normalized) == 0, "nothing may be written on a 422")
        }
    }

    @Test func descriptionOfExactly20And1000CharactersIsAccepted() throws {
        for count in [20, 1000] {
            let response = try api.create(OrderDraft(description: String(repeating: "ж", count: count)), as: TestUser(stack))
            #expect(response.status == 201, "\(count): \(response.text)")
        }
    }

    @Test func nonStringFieldAndMalformedJSONAre422() throws {
        let client = TestUser(stack)
        let numeric = try api.http.post(
            "/api/orders",
            json: #"{"category": 5, "description": "Срочно нужен мастер, течёт труба", "city": "Москва", "contact": "+79990000000"}"#,
            as: client)
        expectOrderValidation(numeric, "body.category", "Input should be a valid string", type: "string_type")
        let malformed = try api.http.post("/api/orders", json: #"{"category": "#, as: client)
        #expect(malformed.status == 422, "\(malformed.text)")
    }

    @Test func creatingRequiresAuthentication() throws {
        expectOrderError(try api.create(OrderDraft(), as: nil), 401, "Not authenticated")
    }

    @Test func secondActiveOrderWithTheSameNormalisedContactIs409() throws {
        let phone = PhoneNumber()
        let client = TestUser(stack)
        _ = try api.createID(OrderDraft(contact: phone.spaced), as: client)
        expectOrderError(
            try api.create(OrderDraft(contact: phone.trunkPrefixed), as: client),
            409, "This contact already has an active order")
        expectOrderError(
            try api.create(OrderDraft(contact: phone.compact), as: TestUser(stack)),
            409, "This contact already has an active order")
        #expect(try stack.activeOrderCount(contact: phone.normalized) == 1)

        let username = "@dup_user_\(Int.random(in: 100_000...999_999))"
        _ = try api.createID(OrderDraft(contact: username), as: client)
        expectOrderError(try api.create(OrderDraft(contact: username), as: client), 409, "This contact already has an active order")
    }

    @Test func deletingAnOrderFreesItsContact() throws {
        let phone = PhoneNumber()
        let client = TestUser(stack)
        let first = try api.createID(OrderDraft(contact: phone.spaced), as: client)
        #expect(try api.delete(first, as: client).status == 204)
        let second = try api.create(OrderDraft(contact: phone.compact), as: client)
        #expect(second.status == 201, "\(second.text)")
    }
}
