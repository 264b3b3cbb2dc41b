import Glibc
import SrochnoCore
import SrochnoPostgres
import SrochnoTelegramAuth
import Testing

/// `Authorization: Bearer <initData>` through nginx (SPEC §2): a missing header and every kind
/// of invalid initData are 401 with `WWW-Authenticate: Bearer`; optional-auth endpoints treat
/// both as an anonymous caller.
@Suite struct AuthenticationTests {
    static let invalidPrefix = "Invalid Telegram initData: "

    private func expectInvalidInitData(_ response: HTTPResult, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(response.status == 401, "body: \(response.text)", sourceLocation: sourceLocation)
        #expect(response.detail?.hasPrefix(Self.invalidPrefix) == true, "body: \(response.text)", sourceLocation: sourceLocation)
        #expect((response.detail?.count ?? 0) > Self.invalidPrefix.count, "no reason: \(response.text)", sourceLocation: sourceLocation)
        #expect(response.headers["www-authenticate"] == "Bearer", sourceLocation: sourceLocation)
        #expect(response.headers["content-type"] == "application/json", sourceLocation: sourceLocation)
    }

    private func now() -> Int64 { Int64(time(nil)) }

    @Test(arguments: [
        "/api/users/me", "/api/users/me/preferences", "/api/users/me/notification-settings",
        "/api/balance", "/api/balance/transactions",
    ])
    func aMissingHeaderIsNotAuthenticated(_ path: String) throws {
        let stack = try TestStack()
        let response = try stack.client.get(path)
        expectDetail(response, 401, "Not authenticated")
        #expect(response.headers["www-authenticate"] == "Bearer")
    }

    @Test(arguments: ["Basic dXNlcjpwYXNz", "Bearer", "Bearer    "])
    func aHeaderWithoutABearerTokenIsNotAuthenticated(_ header: String) throws {
        let stack = try TestStack()
        let response = try stack.client.get("/api/users/me", headers: [("Authorization", header)])
        expectDetail(response, 401, "Not authenticated")
        #expect(response.headers["www-authenticate"] == "Bearer")
    }

    @Test func aValidInitDataIsAccepted() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let response = try stack.client.get("/api/users/me", as: user)
        #expect(response.status == 200)
        #expect(try response.json()["id"] == .int(user.id))
    }

    @Test func theSchemeIsCaseInsensitive() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let response = try stack.client.get("/api/users/me", headers: [("Authorization", "bearer " + user.initData())])
        #expect(response.status == 200)
    }

    @Test func aTamperedHashIsRejected() throws {
        let stack = try TestStack()
        let initData = TestUser(stack).initData()
        let tampered = initData.split(separator: "&").map { segment -> String in
            guard segment.hasPrefix("hash=") else { return String(segment) }
            let hex = segment.dropFirst(5)
            return "hash=" + (hex.first == "0" ? "1" : "0") + hex.dropFirst()
        }.joined(separator: "&")
        #expect(tampered != initData)
        let response = try stack.client.get("/api/users/me", headers: [("Authorization", "Bearer " + tampered)])
        expectInvalidInitData(response)
    }

    @Test func aChangedUserIdUnderTheOriginalHashIsRejected() throws {
        let stack = try TestStack()
        let victim = TestUser(stack)
        let attacker = TestUser(stack)
        let signed = attacker.initData()
        let forgedUser = queryEncoded(
            InitDataSigner.userJSON(id: victim.id, firstName: "Тест", username: "u\(attacker.id)", languageCode: "ru"))
        let forged = signed.split(separator: "&").map { $0.hasPrefix("user=") ? "user=" + forgedUser : String($0) }.joined(separator: "&")
        let response = try stack.client.get("/api/users/me", headers: [("Authorization", "Bearer " + forged)])
        expectInvalidInitData(response)
        let rows = try stack.database().execute(sql: "SELECT count(*) FROM users WHERE id = $1::bigint", [victim.id])
        #expect(rows.int(0, 0) == 0)
    }

    @Test func anotherBotsTokenIsRejected() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let header = telegramAuthorization(for: user, firstName: "Тест", botToken: "123456:another-bot-token")
        expectInvalidInitData(try stack.client.get("/api/users/me", headers: [header]))
    }

    @Test func initDataOlderThanADayIsRejected() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let header = telegramAuthorization(for: user, firstName: "Тест", authDate: now() - 86_400 - 120)
        let response = try stack.client.get("/api/users/me", headers: [header])
        expectInvalidInitData(response)
        #expect(response.detail == Self.invalidPrefix + "expired")
    }

    @Test func initDataFromAnHourAgoIsStillAccepted() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let header = telegramAuthorization(for: user, firstName: "Тест", authDate: now() - 3600)
        #expect(try stack.client.get("/api/users/me", headers: [header]).status == 200)
    }

    @Test func anAuthDateMoreThanAMinuteAheadIsRejected() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let header = telegramAuthorization(for: user, firstName: "Тест", authDate: now() + 120)
        let response = try stack.client.get("/api/users/me", headers: [header])
        expectInvalidInitData(response)
        #expect(response.detail == Self.invalidPrefix + "auth_date in the future")
    }

    @Test func anAuthDateSlightlyAheadIsToleratedAsClockSkew() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let header = telegramAuthorization(for: user, firstName: "Тест", authDate: now() + 20)
        #expect(try stack.client.get("/api/users/me", headers: [header]).status == 200)
    }

    @Test(arguments: ["garbage", "user=%7B%7D", "query_id=1&auth_date=1&user=%7B%22id%22%3A1%7D", "hash=%ZZ"])
    func malformedInitDataIsRejected(_ initData: String) throws {
        let stack = try TestStack()
        expectInvalidInitData(try stack.client.get("/api/users/me", headers: [("Authorization", "Bearer " + initData)]))
    }

    @Test func rejectedInitDataCreatesNoUser() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let header = telegramAuthorization(for: user, firstName: "Тест", botToken: "123456:another-bot-token")
        #expect(try stack.client.get("/api/users/me", headers: [header]).status == 401)
        let rows = try stack.database().execute(sql: "SELECT count(*) FROM users WHERE id = $1::bigint", [user.id])
        #expect(rows.int(0, 0) == 0)
    }

    @Test func optionalAuthTreatsMissingAndInvalidInitDataAsAnonymous() throws {
        let stack = try TestStack()
        let user = TestUser(stack)
        let anonymous = try stack.client.get("/api/orders?limit=1")
        let invalid = try stack.client.get(
            "/api/orders?limit=1",
            headers: [
                telegramAuthorization(for: user, firstName: "Тест", botToken: "123456:another-bot-token")
            ])
        let expired = try stack.client.get(
            "/api/orders?limit=1",
            headers: [
                telegramAuthorization(for: user, firstName: "Тест", authDate: now() - 2 * 86_400)
            ])
        for response in [anonymous, invalid, expired] {
            #expect(response.status == 200, "body: \(response.text)")
            #expect(try response.json()["orders"] != nil)
            #expect(response.headers["www-authenticate"] == nil)
        }
    }

    /// Telegram ids are positive. A correctly signed initData naming 0 or a negative id is
    /// refused as invalid (it used to reach the users table's CHECK and answer 500), and is
    /// an anonymous caller where auth is optional.
    @Test(arguments: [Int64(0), -1, Int64.min])
    func aSignedNonPositiveUserIdIsInvalid(_ id: Int64) throws {
        let stack = try TestStack()
        let initData = InitDataSigner.hmac(
            botToken: stack.botToken,
            fields: [
                ("query_id", "AAHnonpositive"),
                ("user", InitDataSigner.userJSON(id: id, firstName: "Тест", username: nil, languageCode: "ru")),
                ("auth_date", String(now())),
            ])
        let header = ("Authorization", "Bearer " + initData)
        let profile = try stack.client.get("/api/users/me", headers: [header])
        expectInvalidInitData(profile)
        #expect(profile.detail == Self.invalidPrefix + "invalid user id", "\(profile.text)")
        let list = try stack.client.get("/api/orders?limit=1", headers: [header])
        #expect(list.status == 200, "optional auth: anonymous, \(list.text)")
        let create = try stack.client.post("/api/orders", json: OrderDraft().json, headers: [header])
        expectInvalidInitData(create)
    }
}
