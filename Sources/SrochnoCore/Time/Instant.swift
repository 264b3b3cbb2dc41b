/// A moment in UTC as whole microseconds since the Unix epoch — PostgreSQL's own resolution,
/// so values round-trip through `timestamptz` exactly.
public struct Instant: Comparable, Hashable, Sendable {
    public var microseconds: Int64

    public init(microseconds: Int64) { self.microseconds = microseconds }
    public init(seconds: Int64) { self.microseconds = seconds * 1_000_000 }

    public var seconds: Int64 { microseconds.floorDivided(by: 1_000_000) }

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.microseconds < rhs.microseconds }

    public func adding(minutes: Int) -> Instant { adding(seconds: Int64(minutes) * 60) }
    public func adding(seconds: Int64) -> Instant { Instant(microseconds: microseconds + seconds * 1_000_000) }

    /// RFC 3339 in UTC with milliseconds and a `Z`, e.g. `2026-11-27T14:03:05.123Z`. Written
    /// digit by digit into one buffer: lists format several per order.
    public var rfc3339: String {
        let totalMillis = microseconds.floorDivided(by: 1000)
        let millis = Int(totalMillis - totalMillis.floorDivided(by: 1000) * 1000)
        let totalSeconds = totalMillis.floorDivided(by: 1000)
        let days = totalSeconds.floorDivided(by: 86_400)
        let secondOfDay = Int(totalSeconds - days * 86_400)
        let (year, month, day) = Self.civilDate(daysSinceEpoch: days)
        guard (0...9999).contains(year) else {
            return "\(pad(Int(year), 4))-\(pad(month, 2))-\(pad(day, 2))T"
                + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
                + ".\(pad(millis, 3))Z"
        }
        return String(unsafeUninitializedCapacity: 24) { buffer in
            var index = 0
            func put(_ value: Int, digits: Int) {
                var divisor = 1
                for _ in 1..<digits { divisor *= 10 }
                while divisor > 0 {
                    buffer[index] = UInt8(ascii: "0") + UInt8(value / divisor % 10)
                    index += 1
                    divisor /= 10
                }
            }
            func put(_ character: Unicode.Scalar) {
                buffer[index] = UInt8(ascii: character)
                index += 1
            }
            put(Int(year), digits: 4); put("-"); put(month, digits: 2); put("-"); put(day, digits: 2); put("T")
            put(secondOfDay / 3600, digits: 2); put(":"); put(secondOfDay / 60 % 60, digits: 2); put(":")
            put(secondOfDay % 60, digits: 2); put("."); put(millis, digits: 3); put("Z")
            return index
        }
    }

    /// Howard Hinnant's days-to-civil algorithm (proleptic Gregorian calendar).
    static func civilDate(daysSinceEpoch: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = z.floorDivided(by: 146_097)
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

private func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}

extension Int64 {
    func floorDivided(by divisor: Int64) -> Int64 {
        let quotient = self / divisor
        return (self % divisor != 0 && (self < 0) != (divisor < 0)) ? quotient - 1 : quotient
    }
}
