import Glibc
import SrochnoConfig
import SrochnoCore
import Testing

/// Files that can hold a secret (the config, whose database URL may carry a password, and the
/// bot token file) are refused when other users may read or write them, with the fix.
@Suite struct ConfigLoaderTests {
    /// A scratch directory with a config file and a token file in the given modes.
    private func files(config configMode: mode_t, token tokenMode: mode_t) throws -> (config: String, token: String) {
        var template = Array("/tmp/srochno-config-XXXXXX".utf8CString)
        guard let directory = mkdtemp(&template).map({ String(cString: $0) }) else { throw ConfigurationError("mkdtemp failed") }
        let token = directory + "/bot-token"
        let config = directory + "/srochno.conf"
        try write(token, "123:secret-token\n", mode: tokenMode)
        try write(config, "SROCHNO_DATABASE_URL=host=/tmp password=hunter2\nSROCHNO_BOT_TOKEN_FILE=\(token)\n", mode: configMode)
        return (config, token)
    }

    private func write(_ path: String, _ text: String, mode: mode_t) throws {
        guard let file = fopen(path, "w") else { throw ConfigurationError("cannot write \(path)") }
        _ = text.withCString { fputs($0, file) }
        fclose(file)
        chmod(path, mode)
    }

    @Test func privateFilesAreRead() throws {
        let paths = try files(config: 0o640, token: 0o600)
        let settings = try ConfigLoader.load(environment: ["SROCHNO_CONFIG": paths.config])
        #expect(settings.botToken == "123:secret-token")
        #expect(settings.databaseURL == "host=/tmp password=hunter2")
    }

    @Test(arguments: [mode_t(0o644), 0o604, 0o642, 0o666])
    func aConfigOthersCanReachStopsStartUp(_ mode: mode_t) throws {
        let paths = try files(config: mode, token: 0o600)
        let expected =
            "the config file (SROCHNO_CONFIG) \(paths.config) is accessible to other users (mode 0\(String(mode, radix: 8))); "
            + "it may hold a secret: chmod o-rwx \(paths.config) (e.g. 0640, owner root, group of the service user)"
        #expect(throws: ConfigurationError(expected)) { try ConfigLoader.load(environment: ["SROCHNO_CONFIG": paths.config]) }
        #expect(throws: ConfigurationError(expected)) { try ConfigLoader.databaseURL(environment: ["SROCHNO_CONFIG": paths.config]) }
    }

    @Test func aTokenFileOthersCanReadStopsStartUp() throws {
        let paths = try files(config: 0o600, token: 0o644)
        #expect {
            try ConfigLoader.load(environment: ["SROCHNO_CONFIG": paths.config])
        } throws: { error in
            (error as? ConfigurationError)?.message.hasPrefix(
                "the bot token file (SROCHNO_BOT_TOKEN_FILE) \(paths.token) is accessible to other users (mode 0644)") == true
        }
    }

    /// The Crypto Pay token comes like the bot token: directly, from its file, or as a credential.
    @Test func theCryptoPayTokenComesFromItsFileOrACredential() throws {
        let paths = try files(config: 0o600, token: 0o600)
        let directory = String(paths.token.dropLast("/bot-token".count))
        try write(directory + "/crypto-pay-token", "9876:crypto-secret\n", mode: 0o600)
        let fromFile = try ConfigLoader.load(environment: [
            "SROCHNO_CONFIG": paths.config, "SROCHNO_CRYPTO_PAY_TOKEN_FILE": directory + "/crypto-pay-token",
        ])
        #expect(fromFile.cryptoPayToken == "9876:crypto-secret")
        let fromCredential = try ConfigLoader.load(environment: ["SROCHNO_CONFIG": paths.config, "CREDENTIALS_DIRECTORY": directory])
        #expect(fromCredential.cryptoPayToken == "9876:crypto-secret")
        chmod(directory + "/crypto-pay-token", 0o604)
        #expect {
            try ConfigLoader.load(environment: [
                "SROCHNO_CONFIG": paths.config, "SROCHNO_CRYPTO_PAY_TOKEN_FILE": directory + "/crypto-pay-token",
            ])
        } throws: { error in
            (error as? ConfigurationError)?.message.hasPrefix("the Crypto Pay token file (SROCHNO_CRYPTO_PAY_TOKEN_FILE)") == true
        }
    }

    /// srochno-migrate connects as the schema owner when SROCHNO_MIGRATE_DATABASE_URL names it
    /// (in the config, its file, or the migrate-database-url credential), else as the workers do.
    @Test func theMigrationsUseTheirOwnDatabaseURLWhenGiven() throws {
        let paths = try files(config: 0o600, token: 0o600)
        let directory = String(paths.token.dropLast("/bot-token".count))
        let config = ["SROCHNO_CONFIG": paths.config]
        #expect(try ConfigLoader.migrateDatabaseURL(environment: config) == "host=/tmp password=hunter2")
        let owner = "host=/tmp user=srochno_owner"
        let fromEnvironment = config.merging(["SROCHNO_MIGRATE_DATABASE_URL": owner]) { $1 }
        #expect(try ConfigLoader.migrateDatabaseURL(environment: fromEnvironment) == owner)
        try write(directory + "/migrate-database-url", owner + " password=owner-secret\n", mode: 0o600)
        let withCredential = config.merging(["CREDENTIALS_DIRECTORY": directory]) { $1 }
        #expect(try ConfigLoader.migrateDatabaseURL(environment: withCredential) == owner + " password=owner-secret")
        let settings = try ConfigLoader.load(environment: withCredential)
        #expect(settings.databaseURL == "host=/tmp password=hunter2")
        #expect(settings.migrateDatabaseURL == owner + " password=owner-secret")
        // A config file may name it; an empty credential (the unit's SetCredential= default) leaves the fallback.
        #expect(try Settings.parseFile("SROCHNO_MIGRATE_DATABASE_URL=\(owner)\n")["SROCHNO_MIGRATE_DATABASE_URL"] == owner)
        try write(directory + "/migrate-database-url", "\n", mode: 0o600)
        #expect(try ConfigLoader.migrateDatabaseURL(environment: withCredential) == "host=/tmp password=hunter2")
    }
}
