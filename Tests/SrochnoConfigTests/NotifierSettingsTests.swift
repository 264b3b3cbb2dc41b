import SrochnoConfig
import SrochnoCore
import Testing

/// The notification sender's settings (SPEC §8.2): the bot's username for links, the send rate,
/// the sweep, the lease and the give-up time, each checked at start-up.
@Suite struct NotifierSettingsTests {
    let minimal = ["SROCHNO_DATABASE_URL": "host=/tmp dbname=x", "SROCHNO_BOT_TOKEN": "1:abc"]

    private func parse(_ overrides: [String: String]) throws -> Settings {
        try Settings.parse(minimal.merging(overrides) { _, override in override })
    }

    @Test func defaultsSendAtTwentyFivePerSecondWithoutAUsername() throws {
        let settings = try parse([:])
        #expect(settings.botUsername == nil)
        #expect(settings.notifyRate == 25)
        #expect(settings.notifySweepSeconds == 30)
        #expect(settings.notifyLeaseSeconds == 60)
        #expect(settings.notifyGiveUpMinutes == 60)
    }

    @Test func readsEveryNotificationSetting() throws {
        let settings = try parse([
            "SROCHNO_BOT_USERNAME": "@Srochno_bot", "SROCHNO_NOTIFY_RATE": "5", "SROCHNO_NOTIFY_SWEEP_SECONDS": "2",
            "SROCHNO_NOTIFY_LEASE_SECONDS": "20", "SROCHNO_NOTIFY_GIVE_UP_MINUTES": "1",
        ])
        #expect(settings.botUsername == "Srochno_bot", "the @ is dropped: links have none")
        #expect(settings.notifyRate == 5)
        #expect(settings.notifySweepSeconds == 2)
        #expect(settings.notifyLeaseSeconds == 20)
        #expect(settings.notifyGiveUpMinutes == 1)
        #expect(try parse(["SROCHNO_BOT_USERNAME": "SrochnoBot"]).botUsername == "SrochnoBot")
    }

    @Test func theSettingsAreKnownNamesOfTheConfigFile() throws {
        let file = try Settings.parseFile("SROCHNO_BOT_USERNAME=SrochnoBot\nSROCHNO_NOTIFY_RATE=10\n")
        #expect(file["SROCHNO_BOT_USERNAME"] == "SrochnoBot" && file["SROCHNO_NOTIFY_RATE"] == "10")
    }

    @Test(arguments: [
        (
            "SROCHNO_BOT_USERNAME", "bot",
            "SROCHNO_BOT_USERNAME must be the bot's username, 5-32 of A-Z, a-z, 0-9 and _ (e.g. SrochnoBot), got 'bot'"
        ),
        (
            "SROCHNO_BOT_USERNAME", "srochno/bot?x=1",
            "SROCHNO_BOT_USERNAME must be the bot's username, 5-32 of A-Z, a-z, 0-9 and _ (e.g. SrochnoBot), got 'srochno/bot?x=1'"
        ),
        ("SROCHNO_NOTIFY_RATE", "0", "SROCHNO_NOTIFY_RATE must be a whole number in 1...1000, got '0'"),
        ("SROCHNO_NOTIFY_RATE", "2.5", "SROCHNO_NOTIFY_RATE must be a whole number in 1...1000, got '2.5'"),
        ("SROCHNO_NOTIFY_SWEEP_SECONDS", "0", "SROCHNO_NOTIFY_SWEEP_SECONDS must be a whole number in 1...3600, got '0'"),
        ("SROCHNO_NOTIFY_LEASE_SECONDS", "4", "SROCHNO_NOTIFY_LEASE_SECONDS must be a whole number in 5...3600, got '4'"),
        ("SROCHNO_NOTIFY_GIVE_UP_MINUTES", "0", "SROCHNO_NOTIFY_GIVE_UP_MINUTES must be a whole number in 1...10080, got '0'"),
    ])
    func aBadNotificationSettingStopsStartUp(_ name: String, _ value: String, _ message: String) throws {
        #expect(throws: ConfigurationError(message)) { try parse([name: value]) }
    }

    /// The lease must outlast a Bot API call and its retry, or a sender would never send.
    @Test func theLeaseMustOutlastFourBotAPICalls() throws {
        let message =
            "SROCHNO_NOTIFY_LEASE_SECONDS (10) must be at least 4 x SROCHNO_PROVIDER_TIMEOUT_MS (5000): a lease must outlast a Bot API call and its retry"
        #expect(throws: ConfigurationError(message)) { try parse(["SROCHNO_NOTIFY_LEASE_SECONDS": "10"]) }
        #expect(try parse(["SROCHNO_NOTIFY_LEASE_SECONDS": "10", "SROCHNO_PROVIDER_TIMEOUT_MS": "2500"]).notifyLeaseSeconds == 10)
    }
}
