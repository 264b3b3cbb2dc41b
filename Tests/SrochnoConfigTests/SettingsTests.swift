import SrochnoConfig
import SrochnoCore
import SrochnoTelegramAuth
import Testing

@Suite struct SettingsTests {
    let minimal = ["SROCHNO_DATABASE_URL": "host=/tmp dbname=x", "SROCHNO_BOT_TOKEN": "1:abc"]

    @Test func defaultsFollowTheSpec() throws {
        let settings = try Settings.parse(minimal)
        #expect(settings.authMode == .hmac)
        #expect(settings.orderLifetimeMinutes == 60)
        #expect(settings.noResponseMinutes == 15)
        #expect(settings.maxExecutors == 3)
        #expect(settings.takeCost == 2)
        #expect(settings.authMaxAgeSeconds == 86_400)
        #expect(settings.devRecharge == false)
        #expect(settings.telegramPublicKey == TelegramPublicKey.production)
        #expect(settings.listenPath == nil)
        #expect(settings.listenMode == 0o660)
        #expect(settings.maxActiveOrders == 5)
        #expect(settings.requestTimeoutMilliseconds == 8000)
    }

    /// A wildcard with credentials would let every web page act as the signed-in user.
    @Test(arguments: ["*", "https://app.example, *"])
    func aWildcardCORSOriginStopsStartUp(_ origins: String) throws {
        var values = minimal
        values["SROCHNO_CORS_ORIGINS"] = origins
        #expect(
            throws: ConfigurationError(
                "SROCHNO_CORS_ORIGINS may not contain '*': list the Mini App's origins (e.g. https://app.example.com)")
        ) {
            try Settings.parse(values)
        }
    }

    @Test func readsOverrides() throws {
        var values = minimal
        values["SROCHNO_CORS_ORIGINS"] = "http://localhost:10002, https://app.example"
        values["SROCHNO_DEV_RECHARGE"] = "on"
        values["SROCHNO_AUTH_MAX_AGE"] = "0"
        values["SROCHNO_LISTEN_MODE"] = "0666"
        let settings = try Settings.parse(values)
        #expect(settings.corsOrigins == ["http://localhost:10002", "https://app.example"])
        #expect(settings.devRecharge)
        #expect(settings.authMaxAgeSeconds == 0)
        #expect(settings.listenMode == 0o666)
    }

    @Test(arguments: [
        ("SROCHNO_DATABASE_URL", "", "SROCHNO_DATABASE_URL is required"),
        ("SROCHNO_AUTH_MODE", "magic", "SROCHNO_AUTH_MODE must be one of hmac, ed25519, either, got 'magic'"),
        ("SROCHNO_TAKE_COST", "-1", "SROCHNO_TAKE_COST must be a whole number in 1...1000000, got '-1'"),
        ("SROCHNO_DEV_RECHARGE", "maybe", "SROCHNO_DEV_RECHARGE must be on or off, got 'maybe'"),
        ("SROCHNO_TELEGRAM_PUBLIC_KEY", "abc", "SROCHNO_TELEGRAM_PUBLIC_KEY must be 64 hex characters (an Ed25519 public key)"),
    ])
    func invalidSettingsStopStartUp(_ name: String, _ value: String, _ message: String) {
        var values = minimal
        values[name] = value
        #expect(throws: ConfigurationError(message)) { try Settings.parse(values) }
    }

    @Test func eachAuthModeNeedsItsSecret() throws {
        #expect(throws: ConfigurationError.self) { try Settings.parse(["SROCHNO_DATABASE_URL": "x"]) }
        #expect(throws: ConfigurationError.self) {
            try Settings.parse(["SROCHNO_DATABASE_URL": "x", "SROCHNO_AUTH_MODE": "ed25519"])
        }
        let thirdParty = try Settings.parse(["SROCHNO_DATABASE_URL": "x", "SROCHNO_AUTH_MODE": "ed25519", "SROCHNO_BOT_ID": "42"])
        #expect(thirdParty.botToken == nil && thirdParty.botID == 42)
    }

    @Test func parsesConfigFiles() throws {
        let values = try Settings.parseFile(
            """
            # comment
            SROCHNO_DATABASE_URL = "host=/run/postgresql dbname=srochno"
            export SROCHNO_WORKERS=8

            SROCHNO_CORS_ORIGINS='https://a.example'
            """)
        #expect(
            values == [
                "SROCHNO_DATABASE_URL": "host=/run/postgresql dbname=srochno",
                "SROCHNO_WORKERS": "8",
                "SROCHNO_CORS_ORIGINS": "https://a.example",
            ])
        #expect(throws: ConfigurationError("config line 1: unknown setting SROCHNO_WROKERS")) {
            try Settings.parseFile("SROCHNO_WROKERS=4")
        }
        #expect(throws: ConfigurationError("config line 2: expected NAME=value")) {
            try Settings.parseFile("\njust words")
        }
    }
}
