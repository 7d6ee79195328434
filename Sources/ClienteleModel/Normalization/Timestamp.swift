/// A point in time, normalized to RFC 3339 in UTC (`2024-03-01T09:30:00Z`, fractions kept).
///
/// Accepts RFC 3339 with `T` or a space, with `Z` or a `±HH:MM` offset, and a bare `YYYY-MM-DD`
/// (taken as midnight UTC). Never guesses: `03/04/1990` is not a timestamp.
///
/// ```swift
/// Timestamp("2024-03-01 10:30:00+01:00")?.description   // "2024-03-01T09:30:00Z"
/// ```
public struct Timestamp: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// Seconds since 1970-01-01T00:00:00Z.
    public let epochSeconds: Int64
    /// The fraction's digits as written (no trailing zeros), e.g. `"5"` for `.500`.
    public let fraction: String

    public init?(_ text: String) {
        let b = Array(text.trimmed.utf8)
        guard let date = CalendarDate.parse(b, 0) else { return nil }
        var seconds = date.daysSinceEpoch * 86_400
        var fraction = ""
        var i = 10
        if i < b.count {
            guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ") else { return nil }
            i += 1
            guard let h = Self.number(b, i, 2), b.count > i + 7, b[i + 2] == 58, let m = Self.number(b, i + 3, 2),
                b[i + 5] == 58, let s = Self.number(b, i + 6, 2), h < 24, m < 60, s < 61
            else { return nil }
            seconds += Int64(h * 3600 + m * 60 + min(s, 59))
            i += 8
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                let start = i
                while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1 }
                guard i > start, i - start <= 9 else { return nil }
                fraction = String(decoding: b[start..<i], as: UTF8.self)
                while fraction.hasSuffix("0") { fraction.removeLast() }
            }
            guard i < b.count else { return nil }  // RFC 3339 needs an offset
            if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
                i += 1
            } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                guard b.count == i + 6, let oh = Self.number(b, i + 1, 2), b[i + 3] == 58, let om = Self.number(b, i + 4, 2),
                    oh < 24, om < 60
                else { return nil }
                let offset = Int64(oh * 3600 + om * 60)
                seconds += b[i] == UInt8(ascii: "+") ? -offset : offset
                i += 6
            } else {
                return nil
            }
            guard i == b.count else { return nil }
        }
        // An offset can carry the UTC time out of 0001–9999, which RFC 3339 cannot write back.
        guard (Self.earliest...Self.latest).contains(seconds) else { return nil }
        epochSeconds = seconds
        self.fraction = fraction
    }

    /// A timestamp made from the parts of one this run already checked (read back from its own
    /// spill files): not checked again.
    public init(trustedEpochSeconds: Int64, fraction: String) {
        epochSeconds = trustedEpochSeconds
        self.fraction = fraction
    }

    /// 0001-01-01T00:00:00Z and 9999-12-31T23:59:59Z.
    static let earliest: Int64 = -62_135_596_800
    static let latest: Int64 = 253_402_300_799

    public var description: String {
        let days = epochSeconds >= 0 ? epochSeconds / 86_400 : (epochSeconds - 86_399) / 86_400
        let rest = Int(epochSeconds - days * 86_400)
        let date = CalendarDate(daysSinceEpoch: days)
        // Written digit by digit into the string's own storage: the interpolated form took 7 % of
        // a profiled import (every record has two or three timestamps).
        var fractionText = fraction
        return fractionText.withUTF8 { fractionBytes in
            let length = 20 + (fractionBytes.isEmpty ? 0 : 1 + fractionBytes.count)
            return String(unsafeUninitializedCapacity: length) { out in
                date.writeDigits(into: out)
                out[10] = UInt8(ascii: "T")
                Timestamp.writeTwoDigits(rest / 3600, into: out, at: 11)
                out[13] = UInt8(ascii: ":")
                Timestamp.writeTwoDigits(rest / 60 % 60, into: out, at: 14)
                out[16] = UInt8(ascii: ":")
                Timestamp.writeTwoDigits(rest % 60, into: out, at: 17)
                var i = 19
                if !fractionBytes.isEmpty {
                    out[i] = UInt8(ascii: ".")
                    i += 1
                    for b in fractionBytes {
                        out[i] = b
                        i += 1
                    }
                }
                out[i] = UInt8(ascii: "Z")
                return i + 1
            }
        }
    }

    static func writeTwoDigits(_ n: Int, into out: UnsafeMutableBufferPointer<UInt8>, at i: Int) {
        out[i] = UInt8(48 + n / 10)
        out[i + 1] = UInt8(48 + n % 10)
    }

    public static func < (a: Timestamp, b: Timestamp) -> Bool {
        if a.epochSeconds != b.epochSeconds { return a.epochSeconds < b.epochSeconds }
        return a.fraction.padding(9) < b.fraction.padding(9)
    }

    static func number(_ b: [UInt8], _ at: Int, _ count: Int) -> Int? {
        guard at + count <= b.count else { return nil }
        var n = 0
        for i in at..<(at + count) {
            guard b[i] >= 48, b[i] <= 57 else { return nil }
            n = n * 10 + Int(b[i] - 48)
        }
        return n
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String { self + String(repeating: "0", count: max(0, width - count)) }
}

/// A calendar date, `YYYY-MM-DD` (proleptic Gregorian), as used for `dateOfBirth`.
public struct CalendarDate: Comparable, Hashable, Sendable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    /// Validates a date; `nil` for `2023-02-30` and the like.
    public init?(year: Int, month: Int, day: Int) {
        guard (1...9999).contains(year), (1...12).contains(month), day >= 1,
            day <= CalendarDate.daysIn(month: month, year: year)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(iso text: String) {
        let b = Array(text.trimmed.utf8)
        guard b.count == 10, let d = CalendarDate.parse(b, 0) else { return nil }
        self = d
    }

    static func parse(_ b: [UInt8], _ at: Int) -> CalendarDate? {
        guard b.count >= at + 10, b[at + 4] == 45, b[at + 7] == 45,
            let y = Timestamp.number(b, at, 4), let m = Timestamp.number(b, at + 5, 2), let d = Timestamp.number(b, at + 8, 2)
        else { return nil }
        return CalendarDate(year: y, month: m, day: d)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (Howard Hinnant's days_from_civil).
    var daysSinceEpoch: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64((month + 9) % 12)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    init(daysSinceEpoch z0: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = Int(yoe + era * 400 + (m <= 2 ? 1 : 0))
        month = Int(m)
        day = Int(d)
    }

    public var description: String {
        String(unsafeUninitializedCapacity: 10) { out in
            writeDigits(into: out)
            return 10
        }
    }

    /// Writes `YYYY-MM-DD` into the first ten bytes of `out`.
    func writeDigits(into out: UnsafeMutableBufferPointer<UInt8>) {
        out[0] = UInt8(48 + year / 1000)
        out[1] = UInt8(48 + year / 100 % 10)
        Timestamp.writeTwoDigits(year % 100, into: out, at: 2)
        out[4] = UInt8(ascii: "-")
        Timestamp.writeTwoDigits(month, into: out, at: 5)
        out[7] = UInt8(ascii: "-")
        Timestamp.writeTwoDigits(day, into: out, at: 8)
    }

    public static func < (a: CalendarDate, b: CalendarDate) -> Bool {
        (a.year, a.month, a.day) < (b.year, b.month, b.day)
    }
}
