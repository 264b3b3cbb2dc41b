public import SrochnoCore
public import SrochnoTelegramAuth

/// Static configuration, read once at start-up (SPEC §7). Every executable builds it from the
/// same `SROCHNO_*` names, so one config file serves the worker, the migrator and the closer.
public struct Settings: Sendable, Equatable {
    public var databaseURL: String
    /// The connection string `srochno-migrate` uses: the schema owner's role, which may run DDL,
    /// while `databaseURL` names the runtime role of the workers and jobs, which may not. Nil:
    /// the migrations use `databaseURL` (a one-role database, as in development).
    public var migrateDatabaseURL: String?
    public var botToken: String?
    public var authMode: AuthMode
    public var botID: Int64?
    public var telegramPublicKey: String
    public var authMaxAgeSeconds: Int64
    public var corsOrigins: [String]
    public var orderLifetimeMinutes: Int
    public var noResponseMinutes: Int
    public var maxExecutors: Int
    /// Effectively active orders one client may hold at once (SPEC §3): every active order
    /// blocks its contact for an hour, so one user must not be able to block contacts at will.
    public var maxActiveOrders: Int
    public var takeCost: Int64
    public var devRecharge: Bool
    /// A unix socket path to bind; nil means accept on the inherited fd 0 (systemd, spawn-fcgi).
    public var listenPath: String?
    /// Permissions of the socket at `listenPath`: 0660 when nginx shares the service's group.
    public var listenMode: UInt32
    public var workers: Int
    /// Per-statement limit so a stuck query cannot pin a worker forever.
    public var statementTimeoutMilliseconds: Int
    /// How long a worker waits for PostgreSQL to accept a connection.
    public var connectTimeoutSeconds: Int
    /// The whole request's deadline in the worker: no statement runs and no transaction commits
    /// after it, so with nginx's `fastcgi_read_timeout` above it (10 s against the default
    /// 8 s), an answer nginx gave up on was never committed.
    public var requestTimeoutMilliseconds: Int
    /// Crypto Pay's API token; without it `crypto_bot` top-ups are not configured.
    public var cryptoPayToken: String?
    /// Crypto Pay's API (mainnet, or the testnet for trials).
    public var cryptoPayURL: String
    /// The Telegram Bot API (a local Bot API server, or a fake one in tests).
    public var botAPIURL: String
    /// The secret Telegram sends in `X-Telegram-Bot-Api-Secret-Token` with every webhook update.
    public var telegramWebhookSecret: String?
    /// Stars charged per ruble, in millionths (0.7 → 700,000); nil: Stars top-ups not configured.
    public var starsPerRubleMicros: Int64?
    /// The provider of a top-up that names none.
    public var defaultPaymentProvider: PaymentProvider
    /// Connect and total timeout of every call to a payment provider, and of each Bot API call
    /// of the notification sender.
    public var providerTimeoutMilliseconds: Int
    /// The bot's username without `@`, for the Mini App links in notifications
    /// (`https://t.me/<username>?startapp=order_<id>`); nil: the message says to open the app.
    public var botUsername: String?
    /// Messages per second one notification sender sends at most (Telegram allows about 30 in
    /// all); several senders each send at this rate.
    public var notifyRate: Int
    /// How often a sender looks for work without a NOTIFY: the fallback when one was lost (a
    /// reconnect) and the clock that ends executors' waits.
    public var notifySweepSeconds: Int
    /// How long a sender holds an executor while sending to it; another sender takes the
    /// executor over only after this (a sender that died), so it bounds the delay a crash adds.
    public var notifyLeaseSeconds: Int
    /// How long sends to one executor may keep failing (5xx, no answer) before their queued
    /// orders are dropped and recorded.
    public var notifyGiveUpMinutes: Int

    /// Every setting name this parser knows; a config file line with another name is a typo.
    /// (The environment may hold other `SROCHNO_*` variables, e.g. the dev scripts' own.)
    public static let knownNames: Set<String> = [
        "SROCHNO_CONFIG", "SROCHNO_DATABASE_URL", "SROCHNO_MIGRATE_DATABASE_URL", "SROCHNO_MIGRATE_DATABASE_URL_FILE",
        "SROCHNO_BOT_TOKEN", "SROCHNO_BOT_TOKEN_FILE", "SROCHNO_AUTH_MODE",
        "SROCHNO_BOT_ID", "SROCHNO_TELEGRAM_PUBLIC_KEY", "SROCHNO_AUTH_MAX_AGE", "SROCHNO_CORS_ORIGINS",
        "SROCHNO_ORDER_LIFETIME_MINUTES", "SROCHNO_NO_RESPONSE_MINUTES", "SROCHNO_MAX_EXECUTORS", "SROCHNO_MAX_ACTIVE_ORDERS",
        "SROCHNO_TAKE_COST",
        "SROCHNO_DEV_RECHARGE", "SROCHNO_LISTEN", "SROCHNO_LISTEN_MODE", "SROCHNO_WORKERS", "SROCHNO_STATEMENT_TIMEOUT_MS",
        "SROCHNO_CONNECT_TIMEOUT", "SROCHNO_REQUEST_TIMEOUT_MS", "SROCHNO_CRYPTO_PAY_TOKEN", "SROCHNO_CRYPTO_PAY_TOKEN_FILE",
        "SROCHNO_CRYPTO_PAY_URL", "SROCHNO_BOT_API_URL", "SROCHNO_TELEGRAM_WEBHOOK_SECRET", "SROCHNO_STARS_PER_RUBLE",
        "SROCHNO_PAYMENT_DEFAULT_PROVIDER", "SROCHNO_PROVIDER_TIMEOUT_MS", "SROCHNO_BOT_USERNAME", "SROCHNO_NOTIFY_RATE",
        "SROCHNO_NOTIFY_SWEEP_SECONDS", "SROCHNO_NOTIFY_LEASE_SECONDS", "SROCHNO_NOTIFY_GIVE_UP_MINUTES",
    ]

    /// The default of `requestTimeoutMilliseconds`; nginx's `fastcgi_read_timeout` (10 s in
    /// nginx/) must stay above it plus the time a COMMIT can take.
    public static let defaultRequestTimeoutMilliseconds = 8000

    /// Builds settings from resolved name → value pairs (file, then environment, then the bot
    /// token file already merged in by the caller). Throws one message naming the bad setting.
    public static func parse(_ values: [String: String]) throws(ConfigurationError) -> Settings {
        let reader = SettingsReader(values: values)
        let settings = Settings(
            databaseURL: try reader.required("SROCHNO_DATABASE_URL"),
            migrateDatabaseURL: reader.optional("SROCHNO_MIGRATE_DATABASE_URL"),
            botToken: reader.optional("SROCHNO_BOT_TOKEN"),
            authMode: try reader.choice("SROCHNO_AUTH_MODE", default: .hmac),
            botID: try reader.optionalInt("SROCHNO_BOT_ID", range: 1...Int64.max),
            telegramPublicKey: try reader.hexKey("SROCHNO_TELEGRAM_PUBLIC_KEY", default: TelegramPublicKey.production),
            authMaxAgeSeconds: try reader.int("SROCHNO_AUTH_MAX_AGE", default: 86_400, range: 0...Int64(Int32.max)),
            corsOrigins: reader.list("SROCHNO_CORS_ORIGINS"),
            orderLifetimeMinutes: Int(try reader.int("SROCHNO_ORDER_LIFETIME_MINUTES", default: 60, range: 1...10_080)),
            noResponseMinutes: Int(try reader.int("SROCHNO_NO_RESPONSE_MINUTES", default: 15, range: 1...10_080)),
            maxExecutors: Int(try reader.int("SROCHNO_MAX_EXECUTORS", default: 3, range: 1...100)),
            maxActiveOrders: Int(try reader.int("SROCHNO_MAX_ACTIVE_ORDERS", default: 5, range: 1...1000)),
            takeCost: try reader.int("SROCHNO_TAKE_COST", default: 2, range: 1...1_000_000),
            devRecharge: try reader.bool("SROCHNO_DEV_RECHARGE", default: false),
            listenPath: reader.optional("SROCHNO_LISTEN"),
            listenMode: try reader.octalMode("SROCHNO_LISTEN_MODE", default: 0o660),
            workers: Int(try reader.int("SROCHNO_WORKERS", default: 4, range: 0...256)),
            statementTimeoutMilliseconds: Int(try reader.int("SROCHNO_STATEMENT_TIMEOUT_MS", default: 5000, range: 0...3_600_000)),
            connectTimeoutSeconds: Int(try reader.int("SROCHNO_CONNECT_TIMEOUT", default: 2, range: 1...60)),
            requestTimeoutMilliseconds: Int(
                try reader.int(
                    "SROCHNO_REQUEST_TIMEOUT_MS", default: Int64(defaultRequestTimeoutMilliseconds), range: 100...600_000)),
            cryptoPayToken: reader.optional("SROCHNO_CRYPTO_PAY_TOKEN"),
            cryptoPayURL: try reader.httpURL("SROCHNO_CRYPTO_PAY_URL", default: "https://pay.crypt.bot"),
            botAPIURL: try reader.httpURL("SROCHNO_BOT_API_URL", default: "https://api.telegram.org"),
            telegramWebhookSecret: try reader.webhookSecret("SROCHNO_TELEGRAM_WEBHOOK_SECRET"),
            starsPerRubleMicros: try reader.decimalMicros("SROCHNO_STARS_PER_RUBLE"),
            defaultPaymentProvider: try reader.choice("SROCHNO_PAYMENT_DEFAULT_PROVIDER", default: .cryptoBot),
            providerTimeoutMilliseconds: Int(try reader.int("SROCHNO_PROVIDER_TIMEOUT_MS", default: 5000, range: 100...60_000)),
            botUsername: try reader.botUsername("SROCHNO_BOT_USERNAME"),
            notifyRate: Int(try reader.int("SROCHNO_NOTIFY_RATE", default: 25, range: 1...1000)),
            notifySweepSeconds: Int(try reader.int("SROCHNO_NOTIFY_SWEEP_SECONDS", default: 30, range: 1...3600)),
            notifyLeaseSeconds: Int(try reader.int("SROCHNO_NOTIFY_LEASE_SECONDS", default: 60, range: 5...3600)),
            notifyGiveUpMinutes: Int(try reader.int("SROCHNO_NOTIFY_GIVE_UP_MINUTES", default: 60, range: 1...10_080))
        )
        // Answering any origin with credentials allowed would let every web page act as the
        // signed-in user; there is no safe meaning for a wildcard here.
        if settings.corsOrigins.contains("*") {
            throw ConfigurationError("SROCHNO_CORS_ORIGINS may not contain '*': list the Mini App's origins (e.g. https://app.example.com)")
        }
        // create-invoice runs its statements and the provider call under one request deadline;
        // a provider allowed to take longer would leave the payment's last write no time.
        let callsProviders = settings.cryptoPayToken != nil || settings.starsPerRubleMicros != nil
        if callsProviders, settings.providerTimeoutMilliseconds + 1000 > settings.requestTimeoutMilliseconds {
            throw ConfigurationError(
                "SROCHNO_PROVIDER_TIMEOUT_MS (\(settings.providerTimeoutMilliseconds)) must be at least 1000 below "
                    + "SROCHNO_REQUEST_TIMEOUT_MS (\(settings.requestTimeoutMilliseconds)): the invoice's database work needs that time")
        }
        // A sender checks before each message that its lease leaves room for the call and one
        // retry; a lease shorter than that would never let it send.
        if settings.notifyLeaseSeconds * 1000 < 4 * settings.providerTimeoutMilliseconds {
            throw ConfigurationError(
                "SROCHNO_NOTIFY_LEASE_SECONDS (\(settings.notifyLeaseSeconds)) must be at least 4 x SROCHNO_PROVIDER_TIMEOUT_MS "
                    + "(\(settings.providerTimeoutMilliseconds)): a lease must outlast a Bot API call and its retry")
        }
        switch settings.authMode {
        case .hmac where settings.botToken == nil:
            throw ConfigurationError(
                "SROCHNO_BOT_TOKEN (or SROCHNO_BOT_TOKEN_FILE, or a bot-token credential) is required with SROCHNO_AUTH_MODE=hmac")
        case .ed25519 where settings.botID == nil:
            throw ConfigurationError("SROCHNO_BOT_ID is required with SROCHNO_AUTH_MODE=ed25519")
        case .either where settings.botToken == nil && settings.botID == nil:
            throw ConfigurationError("SROCHNO_AUTH_MODE=either needs SROCHNO_BOT_TOKEN or SROCHNO_BOT_ID")
        default:
            return settings
        }
    }

    /// Parses `NAME=value` lines: `#` comments, blank lines, optional `export ` and quotes.
    public static func parseFile(_ text: String) throws(ConfigurationError) -> [String: String] {
        var values: [String: String] = [:]
        for (number, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = String(rawLine).trimmingASCIIWhitespace()
            if line.isEmpty || line.hasPrefix("#") { continue }
            if line.hasPrefix("export ") { line = String(line.dropFirst(7)).trimmingASCIIWhitespace() }
            guard let equals = line.firstIndex(of: "=") else {
                throw ConfigurationError("config line \(number + 1): expected NAME=value")
            }
            let name = String(line[..<equals]).trimmingASCIIWhitespace()
            guard knownNames.contains(name) else {
                throw ConfigurationError("config line \(number + 1): unknown setting \(name)")
            }
            var value = String(line[line.index(after: equals)...]).trimmingASCIIWhitespace()
            if value.count >= 2, let first = value.first, first == "\"" || first == "'", value.last == first {
                value = String(value.dropFirst().dropLast())
            }
            values[name] = value
        }
        return values
    }
}

public struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

private struct SettingsReader {
    let values: [String: String]

    func optional(_ name: String) -> String? {
        guard let value = values[name], !value.isEmpty else { return nil }
        return value
    }

    func required(_ name: String) throws(ConfigurationError) -> String {
        guard let value = optional(name) else { throw ConfigurationError("\(name) is required") }
        return value
    }

    func int(_ name: String, default fallback: Int64, range: ClosedRange<Int64>) throws(ConfigurationError) -> Int64 {
        try optionalInt(name, range: range) ?? fallback
    }

    func optionalInt(_ name: String, range: ClosedRange<Int64>) throws(ConfigurationError) -> Int64? {
        guard let text = optional(name) else { return nil }
        guard let number = Int64(text), range.contains(number) else {
            throw ConfigurationError("\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound), got '\(text)'")
        }
        return number
    }

    func bool(_ name: String, default fallback: Bool) throws(ConfigurationError) -> Bool {
        guard let text = optional(name) else { return fallback }
        switch text.lowercased() {
        case "1", "true", "yes", "on": return true
        case "0", "false", "no", "off": return false
        default: throw ConfigurationError("\(name) must be on or off, got '\(text)'")
        }
    }

    func choice<T: RawRepresentable & CaseIterable>(_ name: String, default fallback: T) throws(ConfigurationError) -> T
    where T.RawValue == String {
        guard let text = optional(name) else { return fallback }
        guard let value = T(rawValue: text) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            throw ConfigurationError("\(name) must be one of \(allowed), got '\(text)'")
        }
        return value
    }

    func hexKey(_ name: String, default fallback: String) throws(ConfigurationError) -> String {
        guard let text = optional(name) else { return fallback }
        let lower = text.lowercased()
        guard lower.utf8.count == 64, lower.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            throw ConfigurationError("\(name) must be 64 hex characters (an Ed25519 public key)")
        }
        return lower
    }

    func octalMode(_ name: String, default fallback: UInt32) throws(ConfigurationError) -> UInt32 {
        guard let text = optional(name) else { return fallback }
        guard let mode = UInt32(text, radix: 8), mode <= 0o777 else {
            throw ConfigurationError("\(name) must be an octal file mode such as 0660, got '\(text)'")
        }
        return mode
    }

    /// An absolute http(s) URL without a trailing slash (paths are appended to it).
    func httpURL(_ name: String, default fallback: String) throws(ConfigurationError) -> String {
        guard let text = optional(name) else { return fallback }
        let url = text.hasSuffix("/") ? String(text.dropLast()) : text
        let rest = url.hasPrefix("https://") ? url.dropFirst(8) : (url.hasPrefix("http://") ? url.dropFirst(7) : nil)
        guard let rest, !rest.isEmpty, !url.utf8.contains(where: { $0 <= 0x20 || $0 == 0x7F }) else {
            throw ConfigurationError("\(name) must be an http:// or https:// URL, got '\(text)'")
        }
        return url
    }

    /// Telegram's `secret_token`: 1-256 characters of A-Z, a-z, 0-9, _ and -.
    func webhookSecret(_ name: String) throws(ConfigurationError) -> String? {
        guard let text = optional(name) else { return nil }
        let allowed = text.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == 95 || byte == 45
        }
        guard allowed, text.utf8.count <= 256 else {
            throw ConfigurationError("\(name) must be 1-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's secret_token)")
        }
        return text
    }

    /// A positive decimal such as `0.7` or `2`, in millionths, exactly (no floating point).
    func decimalMicros(_ name: String) throws(ConfigurationError) -> Int64? {
        guard let text = optional(name) else { return nil }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = parts[0], fraction = parts.count == 2 ? parts[1] : ""
        let digits = { (part: Substring) in part.utf8.allSatisfy { (48...57).contains($0) } }
        guard !whole.isEmpty, whole.count <= 6, fraction.count <= 6, digits(whole), digits(fraction),
            parts.count == 1 || !fraction.isEmpty,
            let units = Int64(whole), let fractionValue = Int64(fraction.isEmpty ? "0" : String(fraction))
        else {
            throw ConfigurationError("\(name) must be a positive decimal such as 0.7 (at most 6 decimals), got '\(text)'")
        }
        var scale: Int64 = 1
        for _ in 0..<(6 - fraction.count) { scale *= 10 }
        let micros = units * 1_000_000 + fractionValue * scale
        guard micros > 0 else { throw ConfigurationError("\(name) must be above 0, got '\(text)'") }
        return micros
    }

    /// A Telegram username (5-32 of A-Z, a-z, 0-9 and _), with or without its `@`, which goes
    /// into links as it is.
    func botUsername(_ name: String) throws(ConfigurationError) -> String? {
        guard let text = optional(name) else { return nil }
        let username = text.hasPrefix("@") ? String(text.dropFirst()) : text
        let allowed = username.utf8.allSatisfy { byte in
            (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte) || byte == 95
        }
        guard allowed, (5...32).contains(username.utf8.count) else {
            throw ConfigurationError("\(name) must be the bot's username, 5-32 of A-Z, a-z, 0-9 and _ (e.g. SrochnoBot), got '\(text)'")
        }
        return username
    }

    func list(_ name: String) -> [String] {
        (optional(name) ?? "").split(separator: ",").map { String($0).trimmingASCIIWhitespace() }.filter { !$0.isEmpty }
    }
}
