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
