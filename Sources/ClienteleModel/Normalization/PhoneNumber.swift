/// Phone numbers to E.164 (`+4930123456`) where they can be made so.
///
/// International forms (`+…`, `00…`) need nothing more; a national form needs the country the
/// number belongs to (the address's, or the customer's default address's), whose trunk prefix
/// (`0` in most of Europe, `1` in North America) is dropped, as is a `(0)` trunk marker
/// (`+49 (0)30 …`). Anything else is kept as given.
///
/// ```swift
/// PhoneNumber.e164("030 1234-5678", country: "DE")   // "+493012345678"
/// PhoneNumber.e164("(415) 555-0134", country: "US")  // "+14155550134"
/// PhoneNumber.e164("ext. 12", country: nil)          // nil
/// ```
public enum PhoneNumber {
    public static func e164(_ raw: String, country: String?) -> String? {
        var digits: [UInt8] = []
        var plus = false
        var seenDigit = false
        let bytes = Array(raw.utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            // "(0)" marks the trunk prefix that is not dialled from abroad: `+49 (0)30 …`.
            if b == UInt8(ascii: "("), i + 1 < bytes.count, bytes[i] == 48, bytes[i + 1] == UInt8(ascii: ")") {
                i += 2
                continue
            }
            switch b {
            case 48...57:
                digits.append(b)
                seenDigit = true
            case UInt8(ascii: "+") where !seenDigit && !plus:
                plus = true
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "/"), UInt8(ascii: "'"), 9:
                continue
            default:
                return nil  // letters, extensions, …: not a plain number
            }
        }
        var international: [UInt8]
        if plus {
            international = digits
        } else if digits.starts(with: [48, 48]) {
            international = Array(digits.dropFirst(2))
        } else if let country, let (code, trunk) = CountryCode.dialing(country) {
            var national = digits[...]
            if code == 1, digits.count == 11, digits.first == 49 { national = digits.dropFirst() }  // 1-415-…
            else if code == 1, digits.starts(with: Array("011".utf8)) { return finish(Array(digits.dropFirst(3))) }
            else if !trunk.isEmpty, digits.starts(with: Array(trunk.utf8)), code != 1 { national = digits.dropFirst(trunk.utf8.count) }
            if code == 1 && national.count != 10 { return nil }
            international = Array(String(code).utf8) + national
        } else {
            return nil
        }
        return finish(international)
    }

    private static func finish(_ international: [UInt8]) -> String? {
        // E.164: at most 15 digits; fewer than 8 is no subscriber number anywhere; no leading 0.
        guard (8...15).contains(international.count), international.first != 48 else { return nil }
        return "+" + String(decoding: international, as: UTF8.self)
    }
}
