import Glibc
import SrochnoCore
import SrochnoSystem

/// Resolves settings the way every executable does: the file named by `SROCHNO_CONFIG`
/// (if any), then `SROCHNO_*` environment variables on top, then the bot token from
/// `SROCHNO_BOT_TOKEN_FILE` or the systemd credential `$CREDENTIALS_DIRECTORY/bot-token`
/// when no token was given directly.
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

    private static func resolve(_ environment: [String: String]) throws(ConfigurationError) -> [String: String] {
        var values: [String: String] = [:]
        if let path = environment["SROCHNO_CONFIG"], !path.isEmpty {
            values = try Settings.parseFile(readSecretFile(path, purpose: "the config file (SROCHNO_CONFIG)"))
        }
        for (name, value) in environment where name.hasPrefix("SROCHNO_") {
            values[name] = value
        }
        if values["SROCHNO_BOT_TOKEN", default: ""].isEmpty {
            if let path = values["SROCHNO_BOT_TOKEN_FILE"], !path.isEmpty {
                let token = try readSecretFile(path, purpose: "the bot token file (SROCHNO_BOT_TOKEN_FILE)")
                values["SROCHNO_BOT_TOKEN"] = token.trimmingCharacters()
            } else if let directory = environment["CREDENTIALS_DIRECTORY"], let token = readTextFile(directory + "/bot-token") {
                values["SROCHNO_BOT_TOKEN"] = token.trimmingCharacters()
            }
        }
        return values
    }

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
