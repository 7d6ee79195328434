/// BCP 47 language tags in their conventional case: language lowercase, script title case,
/// region uppercase (`de-DE`, `zh-Hant-TW`). `_` separators (`de_DE`, as Java and PHP write them)
/// become `-`. Regions must be assigned ISO 3166-1 codes or UN M.49 numbers.
///
/// ```swift
/// LocaleTag.normalize("DE_de")    // "de-DE"
/// LocaleTag.normalize("english")  // nil
/// ```
public enum LocaleTag {
    public static func normalize(_ raw: String) -> String? {
        if let fast = normalizeCommonForm(raw) { return fast }
        let text = raw.trimmed.replacingAll("_", with: "-")
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map(String.init)
        guard let language = parts.first, (2...3).contains(language.count), language.allSatisfy(\.isASCIILetter) else { return nil }
        var out = [language.lowercased()]
        var i = 1
        if i < parts.count, parts[i].count == 4, parts[i].allSatisfy(\.isASCIILetter) {
            out.append(parts[i].prefix(1).uppercased() + parts[i].dropFirst().lowercased())
            i += 1
        }
        if i < parts.count {
            let p = parts[i]
            if p.count == 2, p.allSatisfy(\.isASCIILetter) {
                guard CountryCode.isAlpha2(p.uppercased()) else { return nil }
                out.append(p.uppercased())
                i += 1
            } else if p.count == 3, p.allSatisfy(\.isASCIIDigit) {
                out.append(p)
                i += 1
            }
        }
        // Variants and extensions: alphanumerics of 1–8, kept lowercase.
        while i < parts.count {
            let p = parts[i]
            guard (1...8).contains(p.count), p.allSatisfy({ $0.isASCIILetter || $0.isASCIIDigit }) else { return nil }
            out.append(p.lowercased())
            i += 1
        }
        return out.joined(separator: "-")
    }
}

extension LocaleTag {
    /// `ll` and `ll-RR` / `ll_RR` in ASCII, the forms nearly every export uses, without splitting
    /// into Strings; `nil` sends anything else (and every invalid tag) the general way.
    static func normalizeCommonForm(_ raw: String) -> String? {
        var raw = raw
        return raw.withUTF8 { b -> String? in
            func letter(_ x: UInt8) -> UInt8? {
                switch x {
                case 65...90: return x
                case 97...122: return x - 32
                default: return nil
                }
            }
            guard b.count == 2 || b.count == 5, let l0 = letter(b[0]), let l1 = letter(b[1]) else { return nil }
            if b.count == 2 { return String(decoding: [l0 + 32, l1 + 32], as: UTF8.self) }
            guard b[2] == UInt8(ascii: "-") || b[2] == UInt8(ascii: "_"), let r0 = letter(b[3]), let r1 = letter(b[4]) else { return nil }
            let region = String(decoding: [r0, r1], as: UTF8.self)
            guard CountryCode.isAlpha2(region) else { return nil }
            return String(decoding: [l0 + 32, l1 + 32, UInt8(ascii: "-"), r0, r1], as: UTF8.self)
        }
    }
}

extension Character {
    var isASCIILetter: Bool { isASCII && isLetter }
    var isASCIIDigit: Bool { isASCII && isNumber }
}

extension String {
    func replacingAll(_ target: Character, with replacement: Character) -> String {
        guard contains(target) else { return self }
        return String(map { $0 == target ? replacement : $0 })
    }
}
