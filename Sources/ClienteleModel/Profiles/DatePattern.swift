/// A date or timestamp layout named by a profile or a mapping file, so that dates are read as the
/// platform writes them and never guessed (`03/04/1990` means whatever the pattern says).
///
/// Letters (as in Unicode date patterns): `yyyy` four-digit year, `MM`/`dd`/`HH`/`mm`/`ss` two
/// digits, `M`/`d`/`H` one or two digits, `S…` a fraction of any length, `XXX` an offset
/// (`Z`, `+01:00`) or `Z` (`+0100`). Any other letter is a mistake in the pattern; other characters,
/// and letters inside single quotes, are literal. Two-digit years are refused: they are guesses.
/// A timestamp without an offset is UTC.
///
/// ```swift
/// let magento = try DatePattern("M/d/yyyy")
/// magento.isoDate("3/4/1990")                      // "1990-03-04"
/// magento.isoDate("1990-03-04")                    // nil: does not fit
/// try DatePattern("yyyy-MM-dd HH:mm:ss").rfc3339("2024-01-02 03:04:05")   // "2024-01-02T03:04:05Z"
/// ```
public struct DatePattern: Sendable, Equatable, CustomStringConvertible {
    /// The pattern as written.
    public let description: String
    private let tokens: [Token]

    enum Token: Equatable {
        case year, month(padded: Bool), day(padded: Bool), hour(padded: Bool), minute, second, fraction, offset(colon: Bool)
        case literal([UInt8])
    }

    /// Parses a pattern.
    ///
    /// - Throws: a message naming the letter that is not understood.
    public init(_ pattern: String) throws(PatternError) {
        description = pattern
        var tokens: [Token] = []
        let b = Array(pattern.utf8)
        var i = 0
        func literal(_ bytes: [UInt8]) {
            if case let .literal(existing)? = tokens.last { tokens[tokens.count - 1] = .literal(existing + bytes) } else { tokens.append(.literal(bytes)) }
        }
        while i < b.count {
            let c = b[i]
            if c == UInt8(ascii: "'") {
                var j = i + 1
                var text: [UInt8] = []
                while j < b.count, b[j] != UInt8(ascii: "'") { text.append(b[j]); j += 1 }
                guard j < b.count else { throw PatternError(pattern: pattern, detail: "a quote is not closed") }
                literal(text.isEmpty ? [UInt8(ascii: "'")] : text)
                i = j + 1
                continue
            }
            let isLetter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
            guard isLetter else { literal([c]); i += 1; continue }
            var n = 1
            while i + n < b.count, b[i + n] == c { n += 1 }
            let run = String(decoding: b[i..<(i + n)], as: UTF8.self)
            switch (Character(UnicodeScalar(c)), n) {
            case ("y", 4): tokens.append(.year)
            case ("y", _): throw PatternError(pattern: pattern, detail: "'\(run)': write the year as yyyy (two-digit years would be guesses)")
            case ("M", 1): tokens.append(.month(padded: false))
            case ("M", 2): tokens.append(.month(padded: true))
            case ("d", 1): tokens.append(.day(padded: false))
            case ("d", 2): tokens.append(.day(padded: true))
            case ("H", 1): tokens.append(.hour(padded: false))
            case ("H", 2): tokens.append(.hour(padded: true))
            case ("m", 2): tokens.append(.minute)
            case ("s", 2): tokens.append(.second)
            case ("S", _): tokens.append(.fraction)
            case ("X", 3): tokens.append(.offset(colon: true))
            case ("Z", 1): tokens.append(.offset(colon: false))
            default:
                throw PatternError(pattern: pattern, detail: "'\(run)' is not understood (yyyy MM M dd d HH H mm ss S XXX Z; quote literal letters: 'T')")
            }
            i += n
        }
        guard tokens.contains(.year), tokens.contains(where: { if case .month = $0 { return true } else { return false } }),
              tokens.contains(where: { if case .day = $0 { return true } else { return false } })
        else { throw PatternError(pattern: pattern, detail: "a pattern needs a year (yyyy), a month (MM or M) and a day (dd or d)") }
        self.tokens = tokens
    }

    /// A pattern that is known to be valid (built-in profiles).
    public init(known pattern: String) {
        do { try self.init(pattern) } catch { preconditionFailure("built-in date pattern \(pattern): \(error)") }
    }

    /// Whether the pattern has a time of day.
    public var hasTime: Bool { tokens.contains { if case .hour = $0 { return true } else { return false } } }

    /// The parts of a value that fits the pattern.
    struct Parts {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0
        var fraction: [UInt8] = []
        var offsetMinutes = 0
    }

    func parse(_ text: String) -> Parts? {
        let b = Array(text.utf8)
        var i = 0
        var p = Parts()
        func digits(_ min: Int, _ max: Int) -> Int? {
            var n = 0
            var k = 0
            while k < max, i + k < b.count, b[i + k] >= 48, b[i + k] <= 57 { n = n * 10 + Int(b[i + k] - 48); k += 1 }
            guard k >= min else { return nil }
            i += k
            return n
        }
        for token in tokens {
            switch token {
            case .year: guard let v = digits(4, 4) else { return nil }; p.year = v
            case let .month(padded): guard let v = digits(padded ? 2 : 1, 2) else { return nil }; p.month = v
            case let .day(padded): guard let v = digits(padded ? 2 : 1, 2) else { return nil }; p.day = v
            case let .hour(padded): guard let v = digits(padded ? 2 : 1, 2), v < 24 else { return nil }; p.hour = v
            case .minute: guard let v = digits(2, 2), v < 60 else { return nil }; p.minute = v
            case .second: guard let v = digits(2, 2), v < 61 else { return nil }; p.second = min(v, 59)
            case .fraction:
                let start = i
                while i < b.count, i - start < 9, b[i] >= 48, b[i] <= 57 { i += 1 }
                guard i > start else { return nil }
                p.fraction = Array(b[start..<i])
            case let .offset(colon):
                guard i < b.count else { return nil }
                if b[i] == UInt8(ascii: "Z") { i += 1; continue }
                guard b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return nil }
                let sign = b[i] == UInt8(ascii: "+") ? 1 : -1
                i += 1
                guard let h = digits(2, 2), h < 24 else { return nil }
                if colon { guard i < b.count, b[i] == UInt8(ascii: ":") else { return nil }; i += 1 }
                guard let m = digits(2, 2), m < 60 else { return nil }
                p.offsetMinutes = sign * (h * 60 + m)
            case let .literal(bytes):
                guard i + bytes.count <= b.count, Array(b[i..<(i + bytes.count)]) == bytes else { return nil }
                i += bytes.count
            }
        }
        guard i == b.count, CalendarDate(year: p.year, month: p.month, day: p.day) != nil else { return nil }
        return p
    }

    /// The value as `YYYY-MM-DD`, or `nil` when it does not fit the pattern or is no real date.
    /// A time of day in the pattern is read and dropped.
    public func isoDate(_ text: String) -> String? {
        guard let p = parse(text) else { return nil }
        return CalendarDate(year: p.year, month: p.month, day: p.day)?.description
    }

    /// The value as an RFC 3339 timestamp in UTC, or `nil` when it does not fit. A pattern without
    /// a time gives midnight; one without an offset is read as UTC.
    public func rfc3339(_ text: String) -> String? {
        guard let p = parse(text) else { return nil }
        var s = "\(Self.pad(p.year, 4))-\(Self.pad(p.month, 2))-\(Self.pad(p.day, 2))T\(Self.pad(p.hour, 2)):\(Self.pad(p.minute, 2)):\(Self.pad(p.second, 2))"
        if !p.fraction.isEmpty { s += "." + String(decoding: p.fraction, as: UTF8.self) }
        if p.offsetMinutes == 0 {
            s += "Z"
        } else {
            let m = abs(p.offsetMinutes)
            s += (p.offsetMinutes > 0 ? "+" : "-") + Self.pad(m / 60, 2) + ":" + Self.pad(m % 60, 2)
        }
        return Timestamp(s)?.description
    }

    /// A calendar date (`YYYY-MM-DD`) written in this pattern (time fields 00, offset `Z`).
    public func format(isoDate: String) -> String? {
        guard let d = CalendarDate(iso: isoDate) else { return nil }
        return format(Parts(year: d.year, month: d.month, day: d.day))
    }

    /// A timestamp written in this pattern, in UTC.
    public func format(_ timestamp: Timestamp) -> String {
        let text = Array(timestamp.description.utf8)  // YYYY-MM-DDTHH:MM:SS[.f]Z
        func n(_ at: Int, _ count: Int) -> Int { Timestamp.number(text, at, count) ?? 0 }
        var p = Parts(year: n(0, 4), month: n(5, 2), day: n(8, 2), hour: n(11, 2), minute: n(14, 2), second: n(17, 2))
        if text.count > 20, text[19] == UInt8(ascii: ".") { p.fraction = Array(text[20..<(text.count - 1)]) }
        return format(p)
    }

    private func format(_ p: Parts) -> String {
        var out = ""
        for token in tokens {
            switch token {
            case .year: out += Self.pad(p.year, 4)
            case let .month(padded): out += padded ? Self.pad(p.month, 2) : String(p.month)
            case let .day(padded): out += padded ? Self.pad(p.day, 2) : String(p.day)
            case let .hour(padded): out += padded ? Self.pad(p.hour, 2) : String(p.hour)
            case .minute: out += Self.pad(p.minute, 2)
            case .second: out += Self.pad(p.second, 2)
            case .fraction: out += p.fraction.isEmpty ? "0" : String(decoding: p.fraction, as: UTF8.self)
            case let .offset(colon): out += colon ? "Z" : "+0000"
            case let .literal(bytes): out += String(decoding: bytes, as: UTF8.self)
            }
        }
        return out
    }

    private static func pad(_ n: Int, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// A date pattern that cannot be used, with the reason.
public struct PatternError: Error, Sendable, CustomStringConvertible {
    public let pattern: String
    public let detail: String
    public var description: String { "date pattern '\(pattern)': \(detail)" }
}
