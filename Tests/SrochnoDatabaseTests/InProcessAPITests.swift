import SrochnoAPI
import SrochnoCore
import SrochnoPostgres
import SrochnoTelegramAuth
import SrochnoTestSupport
import Testing

/// The API in this process against the real database, for settings the running stack does not
/// have: dev recharge off (SPEC §6 Balance) and Ed25519 third-party validation (SPEC §2).
@Suite struct InProcessAPITests {
    private func balanceAndLedger(of userID: Int64) throws -> (balance: Int64?, entries: Int64?) {
        let database = try PostgresConnection(conninfo: try TestEnvironment.required("SROCHNO_TEST_DATABASE_URL"))
        let result = try database.execute(
            sql: """
                SELECT (SELECT balance FROM users WHERE id = $1::bigint),
                       (SELECT count(*) FROM balance_transactions WHERE user_id = $1::bigint)
                """, [userID])
        return (result.int(0, 0), result.int(0, 1))
    }

    // MARK: dev recharge off

    @Test func rechargeIsForbiddenWhenDevRechargeIsOff() throws {
        let api = try InProcess.hmacAPI(["SROCHNO_DEV_RECHARGE": "off"])
        let userID = InProcess.uniqueUserID()
        let initData = InitDataSigner.hmac(
            botToken: try TestEnvironment.required("SROCHNO_TEST_BOT_TOKEN"), fields: InProcess.fields(userID: userID))
        let response = api.handle(InProcess.request("POST", "/api/balance/recharge", initData: initData, body: #"{"amount": 500}"#))
        #expect(response.status == 403)
        #expect(InProcess.detail(response) == "Direct recharge is disabled")
        #expect(InProcess.header("content-type", of: response) == "application/json")
        let state = try balanceAndLedger(of: userID)
        #expect(state.balance == 0)
        #expect(state.entries == 0)
    }

    @Test func rechargeIsOffByDefault() throws {
        let api = try InProcess.hmacAPI()
        let userID = InProcess.uniqueUserID()
        let initData = InitDataSigner.hmac(
            botToken: try TestEnvironment.required("SROCHNO_TEST_BOT_TOKEN"), fields: InProcess.fields(userID: userID))
        let response = api.handle(InProcess.request("POST", "/api/balance/recharge", initData: initData, body: #"{"amount": 1}"#))
        #expect(response.status == 403)
        #expect(InProcess.detail(response) == "Direct recharge is disabled")
        #expect(try balanceAndLedger(of: userID).entries == 0)
    }

    @Test func withRechargeOffTheBalanceCanStillBeRead() throws {
        let api = try InProcess.hmacAPI(["SROCHNO_DEV_RECHARGE": "off"])
        let userID = InProcess.uniqueUserID()
        let initData = InitDataSigner.hmac(
            botToken: try TestEnvironment.required("SROCHNO_TEST_BOT_TOKEN"), fields: InProcess.fields(userID: userID))
        let response = api.handle(InProcess.request("GET", "/api/balance", initData: initData))
        #expect(response.status == 200)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"balance":0}"#)
    }

    @Test func withRechargeOffAnAnonymousCallerIsStillNotAuthenticated() throws {
        let api = try InProcess.hmacAPI(["SROCHNO_DEV_RECHARGE": "off"])
        let response = api.handle(InProcess.request("POST", "/api/balance/recharge", body: #"{"amount": 1}"#))
        #expect(response.status == 401)
        #expect(InProcess.detail(response) == "Not authenticated")
    }

    // MARK: Ed25519 third-party validation

    private func ed25519API(_ key: Ed25519TestKey, botID: Int64) throws -> API {
        try InProcess.api([
            "SROCHNO_AUTH_MODE": "ed25519",
            "SROCHNO_BOT_ID": String(botID),
            "SROCHNO_TELEGRAM_PUBLIC_KEY": try key.publicKeyHex(),
        ])
    }

    @Test func ed25519ModeAcceptsInitDataSignedByTelegramsKey() throws {
        let key = try Ed25519TestKey()
        let botID: Int64 = 7_123_456_789
        let api = try ed25519API(key, botID: botID)
        let userID = InProcess.uniqueUserID()
        let initData = try key.thirdPartySigned(InProcess.fields(userID: userID, firstName: "Ирина"), botID: botID)
        let response = api.handle(InProcess.request("GET", "/api/users/me", initData: initData))
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        let profile = try InProcess.json(response)
        #expect(profile["id"] == .int(userID))
        #expect(profile["first_name"] == .string("Ирина"))
        #expect(profile["balance"] == .int(0))
    }

    @Test func ed25519ModeRejectsASignatureFromAnotherKey() throws {
        let telegram = try Ed25519TestKey()
        let impostor = try Ed25519TestKey()
        let botID: Int64 = 7_123_456_789
        let api = try ed25519API(telegram, botID: botID)
        let userID = InProcess.uniqueUserID()
        let initData = try impostor.thirdPartySigned(InProcess.fields(userID: userID), botID: botID)
        let response = api.handle(InProcess.request("GET", "/api/users/me", initData: initData))
        #expect(response.status == 401)
        #expect(InProcess.detail(response) == "Invalid Telegram initData: signature mismatch")
        #expect(InProcess.header("www-authenticate", of: response) == "Bearer")
    }

    @Test func ed25519ModeRejectsASignatureForAnotherBot() throws {
        let key = try Ed25519TestKey()
        let api = try ed25519API(key, botID: 7_123_456_789)
        let initData = try key.thirdPartySigned(InProcess.fields(userID: InProcess.uniqueUserID()), botID: 7_000_000_002)
        let response = api.handle(InProcess.request("GET", "/api/users/me", initData: initData))
        #expect(response.status == 401)
        #expect(InProcess.detail(response) == "Invalid Telegram initData: signature mismatch")
    }

    @Test func ed25519ModeRejectsAUserChangedAfterSigning() throws {
        let key = try Ed25519TestKey()
        let botID: Int64 = 7_123_456_789
        let api = try ed25519API(key, botID: botID)
        let signedFor = InProcess.uniqueUserID()
        let victim = InProcess.uniqueUserID()
        let initData = try key.thirdPartySigned(InProcess.fields(userID: signedFor), botID: botID)
        let original = InProcess.fields(userID: signedFor)[1].1
        let forged = InProcess.fields(userID: victim)[1].1
        let forgedData = initData.split(separator: "&").map { segment -> String in
            segment.hasPrefix("user=") ? "user=" + PercentEncoding.encode(forged) : String(segment)
        }.joined(separator: "&")
        #expect(forgedData != initData && original != forged)
        let response = api.handle(InProcess.request("GET", "/api/users/me", initData: forgedData))
        #expect(response.status == 401)
        #expect(InProcess.detail(response) == "Invalid Telegram initData: signature mismatch")
    }

    @Test func ed25519ModeRejectsInitDataWithoutASignature() throws {
        let key = try Ed25519TestKey()
        let api = try ed25519API(key, botID: 7_123_456_789)
        let initData = InitDataSigner.hmac(botToken: "7123456789:some-token", fields: InProcess.fields(userID: InProcess.uniqueUserID()))
        let response = api.handle(InProcess.request("GET", "/api/users/me", initData: initData))
        #expect(response.status == 401)
        #expect(InProcess.detail(response) == "Invalid Telegram initData: missing signature")
    }

    @Test func ed25519ModeStillRejectsExpiredInitData() throws {
        let key = try Ed25519TestKey()
        let botID: Int64 = 7_123_456_789
        let api = try ed25519API(key, botID: botID)
        let fields = InProcess.fields(userID: InProcess.uniqueUserID(), authDate: InProcess.now() - 2 * 86_400)
        let response = api.handle(InProcess.request("GET", "/api/users/me", initData: try key.thirdPartySigned(fields, botID: botID)))
        #expect(response.status == 401)
        #expect(InProcess.detail(response) == "Invalid Telegram initData: expired")
    }
}
