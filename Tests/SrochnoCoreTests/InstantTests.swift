import SrochnoCore
import Testing

@Suite struct InstantTests {
    @Test(arguments: [
        (Int64(0), "1970-01-01T00:00:00.000Z"),
        (1_795_788_185_123_456, "2026-11-27T14:03:05.123Z"),
        (951_782_400_000_000, "2000-02-29T00:00:00.000Z"),
        (-1_000, "1969-12-31T23:59:59.999Z"),
        (4_102_444_799_999_000, "2099-12-31T23:59:59.999Z"),
        (-30_636_114_649_995_000, "0999-03-07T08:09:10.005Z"),
        (-62_135_596_799_999_000, "0001-01-01T00:00:00.001Z"),
        (253_402_300_800_000_000, "10000-01-01T00:00:00.000Z"),
    ])
    func formatsRFC3339InUTC(_ microseconds: Int64, _ expected: String) {
        #expect(Instant(microseconds: microseconds).rfc3339 == expected)
    }

    @Test func arithmeticInMinutesAndSeconds() {
        let start = Instant(seconds: 100)
        #expect(start.adding(minutes: 2) == Instant(seconds: 220))
        #expect(start.adding(seconds: -100).microseconds == 0)
        #expect(Instant(microseconds: -1).seconds == -1)
    }
}
