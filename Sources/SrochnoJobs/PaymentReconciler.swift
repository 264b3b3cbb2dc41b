public import SrochnoBotAPI
import SrochnoConfig
public import SrochnoCore
public import SrochnoCryptoPay
public import SrochnoPostgres
import SrochnoStore
import SrochnoSystem

/// srochno-reconcile: asks the payment providers about the top-ups still pending and credits
/// those a lost webhook missed (SPEC §8.1), through the same `PaymentBook.credit` the webhooks
/// use, so whichever path comes first credits once and the other changes nothing. Crypto Pay
/// is asked about its invoices (`getInvoices`), Telegram about the bot's Star transactions
/// (`getStarTransactions`). A provider that is not configured is skipped (`crypto=off`,
/// `stars=off`); one that fails does not stop the other, and the run then ends with exit 1
/// after crediting what it could. Started by a systemd timer; each run starts over from the
/// database, so a run cut short loses nothing.
public struct PaymentReconciler: Job {
    /// What one provider's part of a run found.
    public struct Counts: Sendable, Equatable {
        /// Pending payments asked about (Crypto Pay) or looked for among the transactions (Stars).
        public var checked = 0
        public var credited = 0
        /// Money the provider reports that does not match the payment it names: not credited,
        /// one stderr line each.
        public var mismatches = 0

        public init() {}
    }

    public struct Summary: Sendable, Equatable {
        /// Nil when the provider is not configured.
        public var cryptoPay: Counts?
        public var stars: Counts?
        /// One line per provider that failed (no answer, an API error), naming it; clients
        /// already keep tokens out of their errors.
        public var failures: [String] = []

        public init() {}

        /// The summary line's fields, in order.
        public var fields: [(String, String)] {
            var fields: [(String, String)] = []
            if let cryptoPay {
                fields += [("crypto_checked", "\(cryptoPay.checked)"), ("crypto_credited", "\(cryptoPay.credited)")]
            } else {
                fields.append(("crypto", "off"))
            }
            if let stars {
                fields += [("stars_checked", "\(stars.checked)"), ("stars_credited", "\(stars.credited)")]
            } else {
                fields.append(("stars", "off"))
            }
            fields.append(("mismatches", "\((cryptoPay?.mismatches ?? 0) + (stars?.mismatches ?? 0))"))
            return fields
        }
    }

    public static let name = "srochno-reconcile"
    public static let options = [
        JobOption(name: "hours", range: 1...720, defaultValue: 48, help: "pending payments created this many hours back are asked about"),
        JobOption(name: "star-pages", range: 1...100, defaultValue: 20, help: "getStarTransactions pages of 100 read at most"),
    ]

    /// The most pending payments of one provider asked about in one run, oldest first. More
    /// than this in the window means a flood of abandoned invoices; the newer ones wait until
    /// the older leave the window, and a stderr line says so.
    public static let pendingLimit: Int64 = 1000

    public let hours: Int
    public let starPages: Int
    /// Crypto Pay, or nil when no token is configured.
    public let cryptoPay: CryptoPayConfiguration?
    /// The Bot API for Stars, or nil when Stars top-ups are not configured (no bot token or
    /// no Stars rate).
    public let stars: BotAPIConfiguration?
    /// Where mismatch and warning lines go (stderr, prefixed with the job's name).
    let log: (String) -> Void

    /// Clients are made from the configurations inside each run, never kept: they are not
    /// `Sendable` and must not cross a `fork`. `log` takes the stderr lines (a test's capture);
    /// nil writes them to stderr.
    public init(
        hours: Int = 48, starPages: Int = 20, cryptoPay: CryptoPayConfiguration?, stars: BotAPIConfiguration?,
        log: ((String) -> Void)? = nil
    ) {
        precondition(hours > 0 && starPages > 0, "a window of at least an hour and at least one page")
        self.hours = hours
        self.starPages = starPages
        self.cryptoPay = cryptoPay
        self.stars = stars
        self.log = log ?? { StandardError.write(line: "\(PaymentReconciler.name): \($0)") }
    }

    /// The providers from the settings every executable reads (`ConfigLoader`).
    public init(options: [String: Int]) throws {
        let settings = try ConfigLoader.load()
        self.init(
            hours: options["hours"] ?? 48, starPages: options["star-pages"] ?? 20,
            cryptoPay: Self.cryptoPayConfiguration(settings), stars: Self.starsConfiguration(settings))
    }

    /// A job's calls wait as long as the API's: `SROCHNO_PROVIDER_TIMEOUT_MS` to connect and in all.
    static func cryptoPayConfiguration(_ settings: Settings) -> CryptoPayConfiguration? {
        settings.cryptoPayToken.map {
            CryptoPayConfiguration(
                token: $0, baseURL: settings.cryptoPayURL, connectTimeoutMilliseconds: settings.providerTimeoutMilliseconds,
                totalTimeoutMilliseconds: settings.providerTimeoutMilliseconds)
        }
    }

    /// Stars are on when the API can sell them: a bot token and a Stars rate. The rate itself
    /// is not needed here; each payment stored its price in Stars.
    static func starsConfiguration(_ settings: Settings) -> BotAPIConfiguration? {
        guard let token = settings.botToken, settings.starsPerRubleMicros != nil else { return nil }
        return BotAPIConfiguration(
            token: token, baseURL: settings.botAPIURL, connectTimeoutMilliseconds: settings.providerTimeoutMilliseconds,
            totalTimeoutMilliseconds: settings.providerTimeoutMilliseconds)
    }

    public func verifySchema(_ connection: PostgresConnection) throws {
        let found = try connection.execute(sql: "SELECT to_regclass('payments') IS NOT NULL")
        guard found.bool(0, 0) == true else { throw SchemaNotMigrated(missing: "payments table") }
    }

    public func perform(_ connection: PostgresConnection, now: Instant) throws -> [(String, String)] {
        let summary = try run(connection, now: now)
        guard summary.failures.isEmpty else { throw ReconciliationFailed(summary: summary) }
        return summary.fields
    }

    /// Asks each configured provider about the payments pending since `hours` before `now`
    /// and credits what it reports paid, at `now`. Provider failures are in the summary;
    /// database errors throw (the credits made before them stay).
    public func run(_ connection: PostgresConnection, now: Instant) throws -> Summary {
        let since = now.adding(seconds: -Int64(hours) * 3600)
        var summary = Summary()
        if let cryptoPay {
            let (counts, failure) = try reconcileCryptoPay(connection, cryptoPay, since: since, now: now)
            summary.cryptoPay = counts
            if let failure { summary.failures.append(failure) }
        }
        if let stars {
            let (counts, failure) = try reconcileStars(connection, stars, since: since, now: now)
            summary.stars = counts
            if let failure { summary.failures.append(failure) }
        }
        return summary
    }

    /// The pending payments of `provider` in the window, with a warning when the limit cut them.
    func pendingPayments(_ connection: PostgresConnection, _ provider: PaymentProvider, since: Instant) throws -> [PaymentRecord] {
        let pending = try PaymentBook.pending(connection, provider: provider, since: since, limit: Self.pendingLimit)
        if pending.count >= Self.pendingLimit {
            log("\(provider.rawValue): only the oldest \(Self.pendingLimit) pending payments of the window were checked")
        }
        return pending
    }

    /// Counts one credit attempt; a mismatch gets its line (ids and amounts only).
    func record(_ outcome: PaymentCreditOutcome, in counts: inout Counts, provider: String) {
        switch outcome {
        case .credited: counts.credited += 1
        // The webhook came first (or a run of its own): exactly once held, nothing to say.
        case .alreadyCredited: break
        // Listed as pending a moment ago; payments are never deleted, so nothing to credit.
        case .unknownPayment: break
        case .mismatch(let why):
            counts.mismatches += 1
            log("\(provider) mismatch: \(why)")
        }
    }
}

/// A provider failed during the run: its message, and what the run did all the same.
public struct ReconciliationFailed: Error, Sendable, CustomStringConvertible {
    public let summary: PaymentReconciler.Summary

    public var description: String {
        summary.failures.joined(separator: "; ") + " (after " + summary.fields.map { "\($0.0)=\($0.1)" }.joined(separator: " ") + ")"
    }
}
