/// ISO 3166-1 country lookups: alpha-2 (any case), alpha-3 and English names map to alpha-2.
///
/// ```swift
/// CountryCode.normalize("deu")       // "DE"
/// CountryCode.normalize("Germany")   // "DE"
/// CountryCode.normalize("XX")        // nil
/// ```
public enum CountryCode {
    private static let byKey: [String: CountryEntry] = {
        var map: [String: CountryEntry] = [:]
        for entry in CountryTable.entries {
            map[entry.alpha2] = entry
            map[entry.alpha3] = entry
            for name in entry.names { map[name.uppercased()] = entry }
        }
        // Names people type that the standard does not list.
        for (alias, code) in ["UK": "GB", "GREAT BRITAIN": "GB", "ENGLAND": "GB", "USA": "US", "U.S.A.": "US",
                              "U.S.": "US", "AMERICA": "US", "RUSSIA": "RU", "SOUTH KOREA": "KR", "KOREA": "KR",
                              "HOLLAND": "NL", "THE NETHERLANDS": "NL", "CZECH REPUBLIC": "CZ", "VIETNAM": "VN",
                              "IRAN": "IR", "TAIWAN": "TW", "DEUTSCHLAND": "DE", "ÖSTERREICH": "AT", "SCHWEIZ": "CH"] {
            map[alias] = map[code]
        }
        return map
    }()

    /// The alpha-2 code for `raw`, or `nil` when it names no country.
    public static func normalize(_ raw: String) -> String? {
        byKey[raw.trimmed.uppercased()]?.alpha2
    }

    /// Whether `code` is an assigned alpha-2 code (exact case).
    public static func isAlpha2(_ code: String) -> Bool {
        code.utf8.count == 2 && byKey[code]?.alpha2 == code
    }

    /// The E.164 calling code and national trunk prefix of an alpha-2 country.
    static func dialing(_ alpha2: String) -> (callingCode: Int, trunkPrefix: String)? {
        guard let e = byKey[alpha2], e.callingCode > 0 else { return nil }
        return (e.callingCode, e.trunkPrefix)
    }
}
