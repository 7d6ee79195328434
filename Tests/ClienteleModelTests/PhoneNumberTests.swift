import ClienteleModel
import Testing

@Suite struct PhoneNumberTests {
    @Test(arguments: [
        // International forms need no country, and ignore the one given.
        ("+49 30 1234567", nil, "+49301234567"),
        ("0049 30 1234567", nil, "+49301234567"),
        ("0049-30-1234567", "FR", "+49301234567"),
        ("+1 (415) 555-0134", "DE", "+14155550134"),
        ("+44 20 7946 0958", nil, "+442079460958"),
        ("+39 06 1234 5678", nil, "+390612345678"),
        // Germany: trunk 0 dropped.
        ("030 1234567", "DE", "+49301234567"),
        ("030/123 45-67", "DE", "+49301234567"),
        ("0171 2345678", "DE", "+491712345678"),
        // Italy: the leading 0 is part of the number.
        ("06 1234 5678", "IT", "+390612345678"),
        ("3123456789", "IT", "+393123456789"),
        // United States and Canada: 10 digits, or 11 with a leading 1, or 011 for abroad.
        ("(415) 555-0134", "US", "+14155550134"),
        ("415.555.0134", "US", "+14155550134"),
        ("1-415-555-0134", "US", "+14155550134"),
        ("604 555 0199", "CA", "+16045550199"),
        ("011 49 30 1234567", "US", "+49301234567"),
        ("555-0134", "US", nil),             // 7 digits: no area code
        ("415 555 01345", "US", nil),        // 11 digits not starting with 1
        ("2-415-555-0134", "CA", nil),
        // United Kingdom: trunk 0 dropped.
        ("020 7946 0958", "GB", "+442079460958"),
        ("07700 900123", "GB", "+447700900123"),
        // Garbage and limits.
        ("", "DE", nil),
        ("abc", "DE", nil),
        ("030 1234567 ext. 12", "DE", nil),
        ("12+34", nil, nil),
        ("++49 30 1234567", nil, nil),
        ("030 1234567", nil, nil),            // national without a country
        ("030 1234567", "AQ", nil),           // a country without a calling code
        ("+49 123", nil, nil),                // 5 digits: too short
        ("+4930123", nil, nil),               // 7 digits: too short
        ("+49301234", nil, "+49301234"),      // 8 digits: the shortest kept
        ("+1234567890123456", nil, nil),      // 16 digits: too long
        ("+123456789012345", nil, "+123456789012345"),
        ("+0 30 1234567", nil, nil),          // no calling code starts with 0
    ] as [(String, String?, String?)])
    func e164(raw: String, country: String?, expected: String?) {
        #expect(PhoneNumber.e164(raw, country: country) == expected, "\(raw) in \(country ?? "-")")
    }

    /// "(0)" marks the trunk prefix to leave out when dialling from abroad (`+49 (0)30 …`).
    @Test(arguments: [
        ("+49 (0)30 1234567", "US", "+49301234567"),
        ("0049 (0) 30 1234567", nil, "+49301234567"),
        ("+44 (0)20 7946 0958", nil, "+442079460958"),
        ("(0)30 1234567", "DE", "+49301234567"),
    ] as [(String, String?, String?)])
    func trunkMarkerIsDropped(raw: String, country: String?, expected: String?) {
        #expect(PhoneNumber.e164(raw, country: country) == expected)
    }
}
