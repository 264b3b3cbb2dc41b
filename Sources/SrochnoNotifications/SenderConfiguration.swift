public import SrochnoBotAPI
public import SrochnoConfig

/// What one sender runs with, from the settings every executable reads.
public struct SenderConfiguration: Sendable {
    public var botAPI: BotAPIConfiguration
    /// For the Mini App links; nil: the text says to open the app.
    public var botUsername: String?
    /// Messages per second at most.
    public var rate: Int
    /// Longest sleep without a NOTIFY.
    public var sweepSeconds: Int
    public var leaseSeconds: Int
    public var giveUpMinutes: Int
    /// Outbox orders fanned out per transaction. An order in a large city queues thousands of
    /// rows (about 25 µs each), so a batch stays well under a second.
    public var fanOutBatch = 20

    public init(
        botAPI: BotAPIConfiguration, botUsername: String?, rate: Int, sweepSeconds: Int, leaseSeconds: Int, giveUpMinutes: Int
    ) {
        self.botAPI = botAPI
        self.botUsername = botUsername
        self.rate = rate
        self.sweepSeconds = sweepSeconds
        self.leaseSeconds = leaseSeconds
        self.giveUpMinutes = giveUpMinutes
    }

    /// The sender's settings, or nil without a bot token (nothing can be sent).
    public init?(settings: Settings) {
        guard let token = settings.botToken else { return nil }
        self.init(
            botAPI: BotAPIConfiguration(
                token: token, baseURL: settings.botAPIURL, connectTimeoutMilliseconds: settings.providerTimeoutMilliseconds,
                totalTimeoutMilliseconds: settings.providerTimeoutMilliseconds, maxResponseBytes: 64 * 1024),
            botUsername: settings.botUsername, rate: settings.notifyRate, sweepSeconds: settings.notifySweepSeconds,
            leaseSeconds: settings.notifyLeaseSeconds, giveUpMinutes: settings.notifyGiveUpMinutes)
    }

    /// Executors leased at once: about a quarter of a lease's worth of sends at the rate, so the
    /// last of them is reached long before the lease ends even with a few retry_after waits.
    var leaseBatch: Int { max(1, min(500, rate * leaseSeconds / 4)) }

    /// A send starts only while the lease has this much left: the call's timeout twice, and a second.
    var leaseMarginMicroseconds: Int64 { Int64(2 * botAPI.totalTimeoutMilliseconds + 1000) * 1000 }
}
