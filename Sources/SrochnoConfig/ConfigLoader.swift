import Glibc
import SrochnoCore
import SrochnoSystem

/// Resolves settings the way every executable does: the file named by `SROCHNO_CONFIG`
/// (if any), then `SROCHNO_*` environment variables on top, then each secret not given
/// directly from its `…_FILE` setting or its systemd credential in `$CREDENTIALS_DIRECTORY`.
public enum ConfigLoader {
    public static func load(environment: [String: String] = currentEnvironment()) throws(ConfigurationError) -> Settings {
        try Settings.parse(resolve(environment))
    }

    /// Only the database connection string, for tools that need nothing else (migrator, closer).
    public static func databaseURL(environment: [String: String] = currentEnvironment()) throws(ConfigurationError) -> String {
        guard let url = try resolve(environment)["SROCHNO_DATABASE_URL"], !url.isEmpty else {
            throw ConfigurationError("SROCHNO_DATABASE_URL is required")
        }
        return url
    }

    /// The connection string of `srochno-migrate`: `SROCHNO_MIGRATE_DATABASE_URL` (directly, from
    /// its `_FILE`, or the `migrate-database-url` credential) naming the schema owner's role, else
    /// `SROCHNO_DATABASE_URL`. Only the migrator reads it, so the workers' role needs no DDL.
    public static func migrateDatabaseURL(environment: [String: String] = currentEnvironment()) throws(ConfigurationError) -> String {
        let values = try resolve(environment)
        if let url = values["SROCHNO_MIGRATE_DATABASE_URL"], !url.isEmpty { return url }
        guard let url = values["SROCHNO_DATABASE_URL"], !url.isEmpty else {
            throw ConfigurationError("SROCHNO_MIGRATE_DATABASE_URL or SROCHNO_DATABASE_URL is required")
        }
        return url
    }

    private static func resolve(_ environment: [String: String]) throws(ConfigurationError) -> [String: String] {
        var values: [String: String] = [:]
        if let path = environment["SROCHNO_CONFIG"], !path.isEmpty {
            values = try Settings.parseFile(readSecretFile(path, purpose: "the config file (SROCHNO_CONFIG)"))
        }
        for (name, value) in environment where name.hasPrefix("SROCHNO_") {
            values[name] = value
        }
        for secret in secrets where values[secret.name, default: ""].isEmpty {
            if let path = values[secret.name + "_FILE"], !path.isEmpty {
                let text = try readSecretFile(path, purpose: "the \(secret.purpose) file (\(secret.name)_FILE)")
                values[secret.name] = text.trimmingCharacters()
            } else if let directory = environment["CREDENTIALS_DIRECTORY"],
                let text = readTextFile(directory + "/" + secret.credential)
            {
                values[secret.name] = text.trimmingCharacters()
            }
        }
        return values
    }

    /// Settings that hold a secret: given directly, in a file named by `NAME_FILE`, or as a
    /// systemd credential (`LoadCredential=`), in that order.
    static let secrets: [(name: String, credential: String, purpose: String)] = [
        ("SROCHNO_BOT_TOKEN", "bot-token", "bot token"),
        ("SROCHNO_CRYPTO_PAY_TOKEN", "crypto-pay-token", "Crypto Pay token"),
        ("SROCHNO_MIGRATE_DATABASE_URL", "migrate-database-url", "migration database URL"),
    ]

    public static func currentEnvironment() -> [String: String] {
        var environment: [String: String] = [:]
        var pointer = environ
        while let entry = pointer.pointee {
            let text = String(cString: entry)
            if let equals = text.firstIndex(of: "=") {
                environment[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            pointer += 1
        }
        return environment
    }
}

extension String {
    fileprivate func trimmingCharacters() -> String {
        String(self.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
