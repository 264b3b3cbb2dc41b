import SrochnoCore
import Testing

/// `GET/PUT /api/users/me/notification-settings` (SPEC §6 Users): defaults off and every 10
/// minutes; `enabled` must be a boolean and `frequency` 5–15; a field left out keeps its value.
@Suite struct NotificationSettingsTests {
    static let path = "/api/users/me/notification-settings"

    private func stored(_ stack: TestStack, _ user: TestUser) throws -> JSONValue {
        let response = try stack.client.get(Self.path, as: user)
        #expect(response.status == 200)
        return try response.json()
    }

    @Test func aNewUserHasNotificationsOffEveryTenMinutes() throws {
        let stack = try TestStack()
        let response = try stack.client.get(Self.path, as: TestUser(stack))
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        #expect(response.text == #"{"enabled":false,"frequency":10}"#)
    }

    @Test func validSettingsAreStoredAndReadBack() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let response = try stack.client.put(Self.path, json: #"{"enabled": true, "frequency": 5}"#, as: user)
        #expect(response.status == 200)
        #expect(response.text == #"{"success":true}"#)
        #expect(try stored(stack, user) == .object([("enabled", .bool(true)), ("frequency", .int(5))]))
    }

    @Test(arguments: [5, 15])
    func frequencyBoundsAreAccepted(_ frequency: Int) throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        #expect(try stack.client.put(Self.path, json: #"{"frequency": \#(frequency)}"#, as: user).status == 200)
        #expect(try stored(stack, user)["frequency"] == .int(Int64(frequency)))
    }

    @Test(arguments: [(4, "greater_than_equal"), (16, "less_than_equal")])
    func frequencyOutsideFiveToFifteenIsRejected(_ frequency: Int, _ type: String) throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let response = try stack.client.put(Self.path, json: #"{"frequency": \#(frequency)}"#, as: user)
        expectValidationError(response, at: ["body", "frequency"], type: type)
        #expect(try stored(stack, user)["frequency"] == .int(10))
    }

    @Test(arguments: [#""yes""#, #""true""#, "2", "[true]", "{}"])
    func enabledMustBeABoolean(_ enabled: String) throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let response = try stack.client.put(Self.path, json: #"{"enabled": \#(enabled)}"#, as: user)
        expectValidationError(response, at: ["body", "enabled"], type: "bool_type")
        #expect(try stored(stack, user)["enabled"] == .bool(false))
    }

    @Test func aRejectedFieldLeavesTheValidOneUnwrittenToo() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let response = try stack.client.put(Self.path, json: #"{"enabled": true, "frequency": 99}"#, as: user)
        expectValidationError(response, at: ["body", "frequency"])
        #expect(try stored(stack, user) == .object([("enabled", .bool(false)), ("frequency", .int(10))]))
    }

    @Test func updatingOneFieldKeepsTheOther() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        #expect(try stack.client.put(Self.path, json: #"{"enabled": true, "frequency": 7}"#, as: user).status == 200)
        #expect(try stack.client.put(Self.path, json: #"{"frequency": 12}"#, as: user).status == 200)
        #expect(try stored(stack, user) == .object([("enabled", .bool(true)), ("frequency", .int(12))]))
        #expect(try stack.client.put(Self.path, json: #"{"enabled": false}"#, as: user).status == 200)
        #expect(try stored(stack, user) == .object([("enabled", .bool(false)), ("frequency", .int(12))]))
    }

    @Test func notificationSettingsNeedAuthentication() throws {
        let stack = try TestStack()
        expectDetail(try stack.client.get(Self.path), 401, "Not authenticated")
        expectDetail(try stack.client.put(Self.path, json: #"{"enabled": true}"#), 401, "Not authenticated")
    }
}
