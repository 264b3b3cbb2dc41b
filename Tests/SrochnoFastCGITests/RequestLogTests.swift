@testable import SrochnoFastCGI
import Testing

@Suite struct RequestLogTests {
    private func line(
        _ method: String = "GET", _ path: String = "/api/orders", status: Int = 200,
        nanoseconds: Int64 = 1_234_567, user: Int64? = nil
    ) -> [UInt8] {
        RequestLog.line(method: method, path: path, status: status, nanoseconds: nanoseconds, user: user)
    }

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    @Test func oneLineOfSpaceSeparatedFields() {
        #expect(text(line()) == "GET /api/orders 200 1.2ms user=-\n")
        #expect(
            text(line("POST", "/api/orders/abc/take", status: 409, nanoseconds: 15_000_000, user: 1001))
                == "POST /api/orders/abc/take 409 15.0ms user=1001\n")
        #expect(text(line(status: 503, user: 0)) == "GET /api/orders 503 1.2ms user=0\n")
        #expect(text(line(user: Int64.max)) == "GET /api/orders 200 1.2ms user=9223372036854775807\n")
    }

    @Test func aMissingMethodIsADash() {
        #expect(text(line("", "/")) == "- / 200 1.2ms user=-\n")
    }

    @Test func escapesSpacesControlBytesAndPercent() {
        #expect(text(line("GET", "/a b\t%\u{7F}\n\r\u{0}\u{1F}!~")) == "GET /a%20b%09%25%7F%0A%0D%00%1F!~ 200 1.2ms user=-\n")
        #expect(text(line("G T", "/")) == "G%20T / 200 1.2ms user=-\n")
        // Bytes of 0x80 and above (UTF-8) are kept as they are.
        #expect(text(line("GET", "/заказ")) == "GET /заказ 200 1.2ms user=-\n")
    }

    @Test func pathsAreCutAfter256Bytes() {
        #expect(RequestLog.maxPathBytes == 256)
        let exact = "/" + String(repeating: "a", count: 255)
        #expect(text(line("GET", exact)) == "GET \(exact) 200 1.2ms user=-\n")
        let longer = exact + "bc"
        #expect(text(line("GET", longer)) == "GET \(exact)... 200 1.2ms user=-\n")
        // The limit counts input bytes: an escaped byte counts once.
        let spaces = String(repeating: " ", count: 300)
        #expect(text(line("GET", spaces)) == "GET \(String(repeating: "%20", count: 256))... 200 1.2ms user=-\n")
    }

    @Test func theCutCountsBytesNotCharacters() {
        // 1 + 2 × 200 bytes: the cut falls inside a two-byte letter, and the line keeps its first byte.
        let path = "/" + String(repeating: "я", count: 200)
        let expected =
            Array("GET /".utf8) + Array(String(repeating: "я", count: 127).utf8) + [0xD1]
            + Array("... 200 1.2ms user=-\n".utf8)
        #expect(line("GET", path) == expected)
    }

    @Test func methodsAreCutAfter16Bytes() {
        #expect(text(line("ABCDEFGHIJKLMNOP", "/")) == "ABCDEFGHIJKLMNOP / 200 1.2ms user=-\n")
        #expect(text(line("ABCDEFGHIJKLMNOPQ", "/")) == "ABCDEFGHIJKLMNOP... / 200 1.2ms user=-\n")
    }

    @Test(arguments: [
        (0 as Int64, "0.0"),
        (49_999, "0.0"),
        (50_000, "0.1"),
        (149_999, "0.1"),
        (150_000, "0.2"),
        (1_234_567, "1.2"),
        (1_250_000, "1.3"),
        (9_950_000, "10.0"),
        (999_950_000, "1000.0"),
        (12_345_678_901, "12345.7"),
        (-5, "0.0"),
        (-10_000_000, "0.0"),
    ])
    func millisecondsHaveOneRoundedDecimal(_ nanoseconds: Int64, _ expected: String) {
        #expect(RequestLog.milliseconds(nanoseconds) == expected)
        #expect(text(line(nanoseconds: nanoseconds)) == "GET /api/orders 200 \(expected)ms user=-\n")
    }
}
