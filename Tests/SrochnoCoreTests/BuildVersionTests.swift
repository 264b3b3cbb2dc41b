import SrochnoCore
import Testing

@Suite struct BuildVersionTests {
    /// scripts/package uses VERSION as the Debian package's version as it is, with no Debian
    /// revision: a digit first, then only what such a version may hold (no `-`, no spaces).
    @Test func isAUsableDebianVersion() {
        #expect(BuildVersion.string.wholeMatch(of: #/[0-9][0-9A-Za-z.+~]*/#) != nil, "VERSION holds \(BuildVersion.string)")
    }

    @Test func lineNamesTheProgram() {
        #expect(BuildVersion.line(program: "srochno-fcgi") == "srochno-fcgi \(BuildVersion.string)")
    }
}
