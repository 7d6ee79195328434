import ClienteleModel
import PropertyBased
import Testing

@Suite struct DatePatternTests {
    @Test(arguments: [
        ("M/d/yyyy", "3/4/1990", "1990-03-04"),
        ("M/d/yyyy", "12/31/1999", "1999-12-31"),
        ("MM/dd/yyyy", "03/04/1990", "1990-03-04"),
        ("dd.MM.yyyy", "03.04.1990", "1990-04-03"),
        ("yyyy-MM-dd", "2000-02-29", "2000-02-29"),
        ("yyyy-MM-dd HH:mm:ss", "1985-07-01 23:59:59", "1985-07-01"),
    ])
    func readsDatesInTheNamedPattern(pattern: String, text: String, iso: String) throws {
        #expect(try DatePattern(pattern).isoDate(text) == iso)
    }

    /// What does not fit is refused, never guessed: another order, another separator, an impossible day.
    @Test(arguments: [
        ("M/d/yyyy", "1990-03-04"), ("M/d/yyyy", "13/4/1990"), ("M/d/yyyy", "3/4/90"), ("MM/dd/yyyy", "3/4/1990"),
        ("dd.MM.yyyy", "31.02.1980"), ("yyyy-MM-dd", "1900-02-29"), ("yyyy-MM-dd", "2000-02-29x"), ("yyyy-MM-dd", ""),
    ])
    func refusesWhatDoesNotFit(pattern: String, text: String) throws {
        #expect(try DatePattern(pattern).isoDate(text) == nil)
    }

    @Test func timestampsAreUTCUnlessTheyCarryAnOffset() throws {
        #expect(try DatePattern("yyyy-MM-dd HH:mm:ss").rfc3339("2024-01-02 03:04:05") == "2024-01-02T03:04:05Z")
        #expect(try DatePattern("dd.MM.yyyy HH:mm").rfc3339("12.01.2019 09:15") == "2019-01-12T09:15:00Z")
        #expect(try DatePattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").rfc3339("2024-01-02T03:04:05.120+01:00") == "2024-01-02T02:04:05.12Z")
        #expect(try DatePattern("yyyy-MM-dd'T'HH:mm:ssZ").rfc3339("2024-01-02T03:04:05-0230") == "2024-01-02T05:34:05Z")
        #expect(try DatePattern("M/d/yyyy").rfc3339("3/4/1990") == "1990-03-04T00:00:00Z")
        #expect(try DatePattern("yyyy-MM-dd HH:mm:ss").rfc3339("2024-01-02 24:04:05") == nil)
    }

    @Test(arguments: ["yy-MM-dd", "YYYY-MM-dd", "yyyy-MM", "yyyy-MM-dd'T", "dd.MM.yyyy hh:mm", "yyyy-MM-DD"])
    func patternMistakesAreNamed(pattern: String) {
        #expect(throws: PatternError.self) { try DatePattern(pattern) }
    }

    @Test func formatsBackInThePattern() throws {
        #expect(try DatePattern("M/d/yyyy").format(isoDate: "1990-03-04") == "3/4/1990")
        #expect(try DatePattern("dd.MM.yyyy").format(isoDate: "1990-03-04") == "04.03.1990")
        let ts = try #require(Timestamp("2019-01-12T09:15:07.5Z"))
        #expect(try DatePattern("yyyy-MM-dd HH:mm:ss").format(ts) == "2019-01-12 09:15:07")
        #expect(try DatePattern("yyyy-MM-dd'T'HH:mm:ss.SXXX").format(ts) == "2019-01-12T09:15:07.5Z")
    }

    /// Any real date written in a pattern reads back as itself.
    @Test func everyDateRoundTripsThroughEveryPattern() async throws {
        let patterns = try ["M/d/yyyy", "dd.MM.yyyy", "yyyy-MM-dd", "d-M-yyyy HH:mm"].map { try DatePattern($0) }
        await propertyCheck(input: Gen.int(in: 1...9999), Gen.int(in: 1...12), Gen.int(in: 1...31)) { year, month, day in
            guard let date = CalendarDate(year: year, month: month, day: day) else { return }
            for pattern in patterns {
                let text = try #require(pattern.format(isoDate: date.description))
                #expect(pattern.isoDate(text) == date.description, "\(pattern) \(text)")
            }
        }
    }
}
