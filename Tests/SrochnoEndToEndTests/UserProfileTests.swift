import SrochnoCore
import SrochnoPostgres
import Testing

/// `GET /api/users/me` (SPEC §2, §4, §6 Users): the user is created on first sight, its
/// Telegram fields refreshed when initData carries changed ones, and a new user has no
/// orders, no rating and no money.
@Suite struct UserProfileTests {
    @Test func aNewUserIsCreatedOnFirstSightWithZeroCounters() throws {
        let stack = try TestStack()
        let user = TestUser(stack, firstName: "Новичок")
        let response = try stack.client.get("/api/users/me", as: user)
        #expect(response.status == 200)
        #expect(response.headers["content-type"] == "application/json")
        let profile = try response.json()
        #expect(profile["id"] == .int(user.id))
        #expect(profile["first_name"] == .string("Новичок"))
        #expect(profile["last_name"] == .null)
        #expect(profile["username"] == .string("u\(user.id)"))
        #expect(profile["completed_orders"] == .int(0))
        #expect(profile["active_orders"] == .int(0))
        #expect(profile["rating"] == .double(0) || profile["rating"] == .int(0))
        #expect(profile["balance"] == .int(0))
        let rows = try stack.database().execute(sql: "SELECT count(*) FROM users WHERE id = $1::bigint", [user.id])
        #expect(rows.int(0, 0) == 1)
    }

    @Test func profileHasExactlyTheContractFieldsInOrder() throws {
        let stack = try TestStack()
        let response = try stack.client.get("/api/users/me", as: TestUser(stack))
        guard case .object(let members) = try response.json() else {
            Issue.record("not an object: \(response.text)")
            return
        }
        #expect(
            members.map(\.key) == ["id", "first_name", "last_name", "username", "completed_orders", "active_orders", "rating", "balance"])
    }

    @Test func changedNamesInInitDataAreStored() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let before = try stack.client.get(
            "/api/users/me",
            headers: [
                telegramAuthorization(for: user, firstName: "Анна", username: "anna_\(user.id)")
            ])
        #expect(before.status == 200)
        #expect(try before.json()["first_name"] == .string("Анна"))

        let after = try stack.client.get(
            "/api/users/me",
            headers: [
                telegramAuthorization(for: user, firstName: "Мария", lastName: "Иванова", username: "maria_\(user.id)")
            ])
        #expect(after.status == 200)
        let profile = try after.json()
        #expect(profile["id"] == .int(user.id))
        #expect(profile["first_name"] == .string("Мария"))
        #expect(profile["last_name"] == .string("Иванова"))
        #expect(profile["username"] == .string("maria_\(user.id)"))
    }

    @Test func aDroppedUsernameIsClearedToo() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        _ = try stack.client.get(
            "/api/users/me", headers: [telegramAuthorization(for: user, firstName: "Олег", username: "oleg_\(user.id)")])
        let response = try stack.client.get("/api/users/me", headers: [telegramAuthorization(for: user, firstName: "Олег")])
        #expect(response.status == 200)
        #expect(try response.json()["username"] == .null)
    }

    @Test func unchangedInitDataDoesNotWriteTheUserRow() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        #expect(try stack.client.get("/api/users/me", as: user).status == 200)
        let database = try stack.database()
        let query = "SELECT xmin::text || '/' || epoch_us(updated_at)::text FROM users WHERE id = $1::bigint"
        let firstVersion = try database.execute(sql: query, [user.id]).string(0, 0)
        #expect(try stack.client.get("/api/users/me", as: user).status == 200)
        #expect(try stack.client.get("/api/balance", as: user).status == 200)
        let secondVersion = try database.execute(sql: query, [user.id]).string(0, 0)
        #expect(firstVersion != nil)
        #expect(firstVersion == secondVersion)
    }
}
