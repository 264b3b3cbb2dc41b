import SrochnoTelegramAuth
import Testing

@Suite struct ConfigurationTests {
    private static let validKey = "e7bf03a2fa4602af4580703d88dda5bb59f32ed8b02a56c187fe7d34caed242d"

    private func configurationMessage(
        mode: AuthMode, botToken: String? = nil, botID: Int64? = nil, publicKeyHex: String = validKey,
        maxAgeSeconds: Int64 = 86_400
    ) -> String? {
        do {
            _ = try InitDataVerifier(
                mode: mode, botToken: botToken, botID: botID, publicKeyHex: publicKeyHex, maxAgeSeconds: maxAgeSeconds)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func acceptsCompleteConfigurations() {
        #expect(configurationMessage(mode: .hmac, botToken: "1:abc") == nil)
        #expect(configurationMessage(mode: .hmac, botToken: "1:abc", publicKeyHex: "") == nil)
        #expect(configurationMessage(mode: .ed25519, botID: 1) == nil)
        #expect(configurationMessage(mode: .either, botToken: "1:abc") == nil)
        #expect(configurationMessage(mode: .either, botID: 1) == nil)
        #expect(configurationMessage(mode: .either, botToken: "1:abc", botID: 1, maxAgeSeconds: 0) == nil)
        #expect(configurationMessage(mode: .ed25519, botID: 1, publicKeyHex: Self.validKey.uppercased()) == nil)
    }

    @Test func hmacNeedsABotToken() {
        #expect(configurationMessage(mode: .hmac, botID: 1)?.contains("bot token") == true)
        #expect(configurationMessage(mode: .hmac, botToken: "")?.contains("bot token") == true)
    }

    @Test(arguments: ["1:abc\n", " 1:abc", "1:a b", "1:abc\r"])
    func rejectsATokenWithWhitespace(botToken: String) {
        #expect(configurationMessage(mode: .hmac, botToken: botToken)?.contains("whitespace") == true)
    }

    @Test func ed25519NeedsAPositiveBotID() {
        #expect(configurationMessage(mode: .ed25519, botToken: "1:abc")?.contains("numeric id") == true)
        #expect(configurationMessage(mode: .ed25519, botID: 0)?.contains("positive") == true)
        #expect(configurationMessage(mode: .ed25519, botID: -5)?.contains("positive") == true)
    }

    @Test(arguments: ["", "e7bf03", String(validKey.dropLast()), validKey + "00", String(validKey.dropLast()) + "g"])
    func ed25519NeedsAHexPublicKey(publicKeyHex: String) {
        #expect(configurationMessage(mode: .ed25519, botID: 1, publicKeyHex: publicKeyHex)?.contains("64 hex") == true)
    }

    @Test func eitherNeedsAtLeastOneCheck() {
        #expect(configurationMessage(mode: .either)?.contains("either") == true)
        #expect(configurationMessage(mode: .either, botToken: "")?.contains("either") == true)
    }

    @Test func eitherValidatesTheKeyWhenABotIDIsGiven() {
        #expect(configurationMessage(mode: .either, botToken: "1:abc", botID: 1, publicKeyHex: "xyz")?.contains("64 hex") == true)
    }

    @Test func rejectsANegativeMaxAge() {
        #expect(configurationMessage(mode: .hmac, botToken: "1:abc", maxAgeSeconds: -1)?.contains("max age") == true)
    }

    @Test func messagesNeverContainTheToken() {
        let message = configurationMessage(mode: .hmac, botToken: "123:secret-part\n")
        #expect(message != nil)
        #expect(message?.contains("secret-part") == false)
    }

    @Test func modeNamesMatchConfigurationValues() {
        #expect(AuthMode(rawValue: "hmac") == .hmac)
        #expect(AuthMode(rawValue: "ed25519") == .ed25519)
        #expect(AuthMode(rawValue: "either") == .either)
        #expect(AuthMode(rawValue: "HMAC") == nil)
    }
}
