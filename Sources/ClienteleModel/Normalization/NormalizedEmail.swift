/// An email address as Clientele compares it: trimmed and Unicode-lowercased, nothing else
/// (no provider rewrites such as dropping dots in Gmail addresses).
///
/// Only valid addresses can be made into one, so a raw string can never reach the indexes.
///
/// ```swift
/// NormalizedEmail(validating: "  Ann.Lee@Example.COM ")?.value   // "ann.lee@example.com"
/// NormalizedEmail(validating: "ann@")                             // nil
/// ```
public struct NormalizedEmail: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let value: String

    /// Normalizes and validates `raw`; `nil` when it is not a plausible address.
    public init?(validating raw: String) {
        let normalized = raw.trimmed.unicodeLowercased
        guard NormalizedEmail.isPlausible(normalized) else { return nil }
        value = normalized
    }

    /// Wraps a value that is known to be normalized (read back from an archive's own spill files).
    public init(trusted value: String) { self.value = value }

    public var description: String { value }
    public static func < (a: NormalizedEmail, b: NormalizedEmail) -> Bool { a.value < b.value }

    /// A syntactic check close to what shops accept: `local@domain.tld`, no spaces or control
    /// characters (Unicode ones included), no empty dot-separated parts, at most 254 bytes
    /// (RFC 5321 path limit).
    static func isPlausible(_ s: String) -> Bool {
        let bytes = Array(s.utf8)
        guard bytes.count >= 3, bytes.count <= 254 else { return false }
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1 else { return false }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        guard local.count <= 64 else { return false }
        // Local part: printable, no specials that need quoting, no leading/trailing/double dots.
        for b in local where b < 33 || b == 127 || forbiddenInLocalPart[Int(b)] { return false }
        if local.first == UInt8(ascii: ".") || local.last == UInt8(ascii: ".") { return false }
        // Domain: dot-separated labels of letters, digits, hyphens (or non-ASCII for IDNs), a TLD of 2+.
        let labels = domain.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard labels.count >= 2 else { return false }
        for label in labels {
            guard !label.isEmpty, label.count <= 63 else { return false }
            if label.first == UInt8(ascii: "-") || label.last == UInt8(ascii: "-") { return false }
            for b in label {
                let ok = (b >= 97 && b <= 122) || (b >= 48 && b <= 57) || b == UInt8(ascii: "-") || b >= 128
                if !ok { return false }
            }
        }
        if zip(local, local.dropFirst()).contains(where: { $0 == 46 && $1 == 46 }) { return false }
        // Non-ASCII spaces, controls and invisible format characters (NBSP, U+3000, U+200B, a BOM)
        // are as wrong as ASCII ones; ZWNJ/ZWJ stay, IDNA allows them in some scripts.
        if bytes.contains(where: { $0 >= 128 }), s.unicodeScalars.contains(where: isInvisible) { return false }
        // A TLD of 2+ that is not all digits (none is, RFC 3696 §2): `a@10.0.0.12` has none.
        let tld = labels.last!
        return tld.count >= 2 && tld.contains(where: { $0 < 48 || $0 > 57 })
    }

    /// `()<>[]\,;:@"` and space, by byte (a table: this runs for every record).
    private static let forbiddenInLocalPart: [Bool] = {
        var table = [Bool](repeating: false, count: 256)
        for b in "()<>[]\\,;:@\" ".utf8 { table[Int(b)] = true }
        return table
    }()

    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.properties.isWhitespace { return true }
        switch scalar.properties.generalCategory {
        case .control: return true
        case .format: return scalar.value != 0x200C && scalar.value != 0x200D
        default: return false
        }
    }
}
