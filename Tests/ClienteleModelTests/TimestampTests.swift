import ClienteleModel
import Testing

@Suite struct TimestampTests {
    @Test(arguments: [
        ("2024-03-01T09:30:00Z", "2024-03-01T09:30:00Z"),
        ("2024-03-01t09:30:00z", "2024-03-01T09:30:00Z"),
        (" 2024-03-01T09:30:00Z ", "2024-03-01T09:30:00Z"),
        ("2024-03-01 10:30:00+01:00", "2024-03-01T09:30:00Z"),
        ("2024-03-01T04:00:00-05:30", "2024-03-01T09:30:00Z"),
        ("2024-03-01T09:30:00+00:00", "2024-03-01T09:30:00Z"),
        ("2024-03-01T09:30:00-00:00", "2024-03-01T09:30:00Z"),
        // Offsets that cross a day, a month (leap and not), and a year.
        ("2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00Z"),
        ("2023-03-01T00:30:00+01:00", "2023-02-28T23:30:00Z"),
        ("2024-01-01T00:30:00+01:00", "2023-12-31T23:30:00Z"),
        ("2023-12-31T23:30:00-01:00", "2024-01-01T00:30:00Z"),
        ("2024-06-30T20:00:00-10:00", "2024-07-01T06:00:00Z"),
        ("2024-01-01T05:00:00+14:00", "2023-12-31T15:00:00Z"),
        // Before 1970.
        ("1969-12-31T23:59:59Z", "1969-12-31T23:59:59Z"),
        ("1970-01-01T00:30:00+01:00", "1969-12-31T23:30:00Z"),
        ("1960-02-29T12:00:00Z", "1960-02-29T12:00:00Z"),
        ("1900-01-01T00:00:00Z", "1900-01-01T00:00:00Z"),
        ("1601-01-01T00:00:00Z", "1601-01-01T00:00:00Z"),
        // Fractions: kept as written, trailing zeros dropped.
        ("2024-03-01T09:30:00.5Z", "2024-03-01T09:30:00.5Z"),
        ("2024-03-01T09:30:00.500Z", "2024-03-01T09:30:00.5Z"),
        ("2024-03-01T09:30:00.000Z", "2024-03-01T09:30:00Z"),
        ("2024-03-01T09:30:00.123456789Z", "2024-03-01T09:30:00.123456789Z"),
        ("2024-03-01T10:30:00.010+01:00", "2024-03-01T09:30:00.01Z"),
        ("1969-12-31T23:59:59.25Z", "1969-12-31T23:59:59.25Z"),
        // Date only: midnight UTC.
        ("2024-03-01", "2024-03-01T00:00:00Z"),
        ("1950-07-04", "1950-07-04T00:00:00Z"),
        // A leap second is kept inside its minute.
        ("2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z"),
    ])
    func normalizesToUTC(raw: String, expected: String) {
        let t = Timestamp(raw)
        #expect(t?.description == expected)
        // The normalized form reads back as itself.
        #expect(t.flatMap { Timestamp($0.description) } == t)
    }

    @Test(arguments: [
        "", "2024", "2024-03", "2024-3-01", "2024-03-1", "24-03-01",
        "2024-03-01T24:00:00Z", "2024-03-01T23:60:00Z", "2024-03-01T23:59:61Z",
        "2024-13-01T00:00:00Z", "2024-00-10", "2024-02-30", "2023-02-29T10:00:00Z", "2024-04-31",
        "2024-03-01T09:30:00",        // no offset
        "2024-03-01T09:30Z",          // no seconds
        "2024-03-01T09:30:00+0100", "2024-03-01T09:30:00+01", "2024-03-01T09:30:00+24:00", "2024-03-01T09:30:00+01:60",
        "2024-03-01T09:30:00.Z", "2024-03-01T09:30:00.1234567891Z", "2024-03-01T09:30:00Zjunk",
        "2024-03-01X09:30:00Z", "2024-03-01T", "2024-03-01 ",  // (trailing space is trimmed: see below)
        "03/04/1990", "1990/03/04", "04.03.1990", "March 4, 1990", "1710000000",
    ])
    func rejects(raw: String) {
        if raw == "2024-03-01 " {
            #expect(Timestamp(raw) != nil)  // white space around is trimmed
        } else {
            #expect(Timestamp(raw) == nil)
        }
    }

    @Test func epochSeconds() {
        #expect(Timestamp("1970-01-01T00:00:00Z")?.epochSeconds == 0)
        #expect(Timestamp("1970-01-01T01:00:00+01:00")?.epochSeconds == 0)
        #expect(Timestamp("1969-12-31T23:59:59Z")?.epochSeconds == -1)
        #expect(Timestamp("1969-12-31")?.epochSeconds == -86_400)
        #expect(Timestamp("2000-03-01T00:00:00Z")?.epochSeconds == 951_868_800)
        #expect(Timestamp("2024-03-01T09:30:00.5Z")?.fraction == "5")
    }

    @Test func orderingUsesOffsetsAndFractions() {
        func t(_ s: String) -> Timestamp { Timestamp(s)! }
        let ordered = [
            t("1969-12-31T23:59:59Z"),
            t("1969-12-31T23:59:59.5Z"),
            t("1970-01-01T00:00:00Z"),
            t("2024-03-01T09:30:00Z"),
            t("2024-03-01T09:30:00.09Z"),
            t("2024-03-01T09:30:00.1Z"),
            t("2024-03-01T09:30:00.123Z"),
            t("2024-03-01T10:30:00.5+01:00"),
            t("2024-03-01T09:30:00.50001Z"),
            t("2024-03-01T09:30:01Z"),
            t("2024-03-01T09:00:00-01:00"),
        ]
        for (i, a) in ordered.enumerated() {
            for (j, b) in ordered.enumerated() {
                #expect((a < b) == (i < j), "\(a) vs \(b)")
                #expect((a == b) == (i == j), "\(a) vs \(b)")
            }
        }
        #expect(t("2024-03-01T09:30:00.5Z") == t("2024-03-01T10:30:00.500+01:00"))
    }
}

@Suite struct CalendarDateTests {
    @Test(arguments: [
        ("2000-02-29", true), ("1900-02-29", false), ("2024-02-29", true), ("2023-02-29", false),
        ("2100-02-29", false), ("2400-02-29", true), ("1996-02-29", true),
        ("2024-02-28", true), ("2024-02-30", false), ("2024-04-30", true), ("2024-04-31", false),
        ("2024-12-31", true), ("2024-12-32", false), ("2024-13-01", false), ("2024-00-01", false), ("2024-01-00", false),
        ("0000-01-01", false), ("0001-01-01", true), ("9999-12-31", true),
        ("2024-1-01", false), ("20240101", false), ("2024-01-01T00:00:00Z", false), ("1990/03/04", false), ("", false),
    ])
    func validity(raw: String, valid: Bool) {
        let d = CalendarDate(iso: raw)
        #expect((d != nil) == valid, "\(raw)")
        if let d { #expect(d.description == raw.trimmingSpaces) }
    }

    @Test func componentsAndOrder() {
        #expect(CalendarDate(year: 2024, month: 2, day: 29)?.description == "2024-02-29")
        #expect(CalendarDate(year: 2023, month: 2, day: 29) == nil)
        #expect(CalendarDate(year: 987, month: 6, day: 5)?.description == "0987-06-05")
        #expect(CalendarDate(year: 2024, month: 1, day: 31)! < CalendarDate(year: 2024, month: 2, day: 1)!)
        #expect(CalendarDate(year: 2023, month: 12, day: 31)! < CalendarDate(year: 2024, month: 1, day: 1)!)
        #expect(CalendarDate(iso: " 1990-03-04 ") == CalendarDate(year: 1990, month: 3, day: 4))
    }
}

extension String {
    fileprivate var trimmingSpaces: String { String(drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed()) }
}

@Suite struct TimestampRangeTests {
    /// An offset may move a timestamp out of the years RFC 3339 can write (0001–9999): such a value
    /// could not be read back from the archive, so it is not a timestamp.
    @Test(arguments: [
        ("0001-01-01T00:30:00+01:00", nil as String?),
        ("0001-01-01T00:30:00-01:00", "0001-01-01T01:30:00Z"),
        ("0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"),
        ("9999-12-31T23:30:00-01:00", nil),
        ("9999-12-31T23:30:00+01:00", "9999-12-31T22:30:00Z"),
        ("9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.999Z"),
    ])
    func yearsStayWritable(raw: String, expected: String?) {
        let t = Timestamp(raw)
        #expect(t?.description == expected)
        if let t { #expect(Timestamp(t.description) == t) }
    }
}
