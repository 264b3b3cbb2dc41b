import SrochnoCore
import Testing

/// `PUT` and `DELETE /api/orders/{id}`: only the client, only while untaken, never the city.
@Suite struct OrderUpdateDeleteTests {
    let stack: TestStack
    let api: OrderAPI

    init() throws {
        stack = try TestStack()
        api = OrderAPI(stack)
    }

    @Test func clientUpdatesCategoryDescriptionAndContact() throws {
        let client = TestUser(stack)
        let id = try api.createID(OrderDraft(city: "Самара"), as: client)
        let phone = PhoneNumber()
        let description = "Нужно собрать шкаф-купе сегодня вечером"
        let response = try api.update(
            id,
            .changes(
                category: "Сборка/установка", description: description, city: "Самара",
                contact: phone.trunkPrefixed), as: client)
        #expect(response.status == 200, "\(response.text)")
        let order = try response.json()
        #expect(order["id"] == .string(id))
        #expect(order["category"] == .string("Сборка/установка"))
        #expect(order["description"] == .string(description))
        #expect(order["city"] == .string("Самара"))
        #expect(order["contact"] == .string(phone.normalized))
        #expect(order["status"] == .string("active"))

        let partial = try api.update(id, .changes(description: "Только описание поменялось, остальное то же"), as: client)
        #expect(partial.status == 200, "\(partial.text)")
        #expect(try partial.json()["category"] == .string("Сборка/установка"))
        #expect(try partial.json()["contact"] == .string(phone.normalized))
    }

    @Test func updateOfSomeoneElsesOrUnknownOrderIs404() throws {
        let id = try api.createID(as: TestUser(stack))
        expectOrderError(
            try api.update(id, .changes(description: "Чужой заказ менять нельзя никому"), as: TestUser(stack)),
            404, "Order not found")
        expectOrderError(try api.update("AAAAAAAAAAAA", .changes(category: "Другое"), as: TestUser(stack)), 404, "Order not found")
        expectOrderError(try api.update(id, .changes(category: "Другое"), as: nil), 401, "Not authenticated")
    }

    @Test func updateAfterATakeIs403() throws {
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        #expect(try api.take(id, as: try api.fundedUser(2)).status == 200)
        expectOrderError(try api.update(id, .changes(category: "Другое"), as: client), 403, "Cannot edit order after executor has taken it")
    }

    @Test func updateOfALazilyExpiredOrderIs410AndSettlesIt() throws {
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        try stack.age(order: id, byMinutes: 61)
        #expect(try stack.storedStatus(ofOrder: id) == "active")
        expectOrderError(try api.update(id, .changes(category: "Другое"), as: client), 410, "Order has expired")
        #expect(try stack.storedStatus(ofOrder: id) == "expired", "the refused write still materialises the expiry")
        #expect(try api.get(id).json()["category"] == .string("Сантехника"))
    }

    @Test func updateOfADeletedOrderIs410ForItsClient() throws {
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        #expect(try api.delete(id, as: client).status == 204)
        expectOrderError(try api.update(id, .changes(category: "Другое"), as: client), 410, "Order is no longer active")
        expectOrderError(try api.update(id, .changes(category: "Другое"), as: TestUser(stack)), 404, "Order not found")
    }

    @Test func changingTheCityIs422AndTheSameCityIsAccepted() throws {
        let client = TestUser(stack)
        let id = try api.createID(OrderDraft(city: "Москва"), as: client)
        expectOrderValidation(
            try api.update(id, .changes(city: "Казань"), as: client), "body.city",
            "Value error, City cannot be changed", type: "value_error")
        #expect(try api.update(id, .changes(city: "Москва"), as: client).status == 200)
        #expect(try api.get(id).json()["city"] == .string("Москва"))
    }

    @Test func invalidFieldsInAnUpdateAre422() throws {
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        expectOrderValidation(
            try api.update(id, .changes(contact: "12345"), as: client), "body.contact",
            "Value error, Contact must be a Telegram username (@name, 5-32 letters, digits or _) or a Russian phone number",
            type: "value_error")
        expectOrderValidation(
            try api.update(id, .changes(category: "Сантехника!"), as: client), "body.category",
            "Value error, Invalid category", type: "value_error")
        expectOrderValidation(
            try api.update(id, .changes(description: "коротко"), as: client), "body.description",
            "String should have at least 20 characters", type: "string_too_short")
    }

    @Test func updatingToAContactThatAnotherActiveOrderHoldsIs409() throws {
        let client = TestUser(stack)
        let held = PhoneNumber()
        let own = PhoneNumber()
        _ = try api.createID(OrderDraft(contact: held.compact), as: TestUser(stack))
        let id = try api.createID(OrderDraft(contact: own.compact), as: client)
        expectOrderError(try api.update(id, .changes(contact: held.spaced), as: client), 409, "This contact already has an active order")
        #expect(try api.get(id, as: client).json()["contact"] == .string(own.normalized))
        let same = try api.update(id, .changes(contact: own.trunkPrefixed), as: client)
        #expect(same.status == 200, "re-sending its own contact is no clash: \(same.text)")
    }

    @Test func updatingToTheContactOfALazilyExpiredOrderSucceeds() throws {
        let stale = PhoneNumber()
        let old = try api.createID(OrderDraft(contact: stale.compact), as: TestUser(stack))
        try stack.age(order: old, byMinutes: 61)
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        let response = try api.update(id, .changes(contact: stale.spaced), as: client)
        #expect(response.status == 200, "\(response.text)")
        #expect(try stack.storedStatus(ofOrder: old) == "expired")
    }

    @Test func clientDeletesAnUntakenOrderAndDeletingAgainIs204() throws {
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        #expect(try api.delete(id, as: client).status == 204)
        #expect(try stack.storedStatus(ofOrder: id) == "deleted")
        let again = try api.delete(id, as: client)
        #expect(again.status == 204)
        #expect(again.body.isEmpty)
    }

    @Test func deleteOfSomeoneElsesOrUnknownOrderIs404() throws {
        let id = try api.createID(as: TestUser(stack))
        expectOrderError(try api.delete(id, as: TestUser(stack)), 404, "Order not found")
        expectOrderError(try api.delete("AAAAAAAAAAAA", as: TestUser(stack)), 404, "Order not found")
        expectOrderError(try api.delete(id, as: nil), 401, "Not authenticated")
        #expect(try stack.storedStatus(ofOrder: id) == "active")
    }

    @Test func deleteAfterATakeIs403() throws {
        let client = TestUser(stack)
        let id = try api.createID(as: client)
        #expect(try api.take(id, as: try api.fundedUser(2)).status == 200)
        expectOrderError(try api.delete(id, as: client), 403, "Cannot delete order after executor has taken it")
        #expect(try stack.storedStatus(ofOrder: id) == "active")
    }
}
