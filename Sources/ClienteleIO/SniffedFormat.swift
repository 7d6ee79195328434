/// What the first bytes of an input say it is.
///
/// Detected from the first non-blank byte after an optional UTF-8 byte-order mark:
/// `<` is XML, `{` or `[` JSON, anything else CSV; no non-blank byte at all is `empty`.
///
/// ```swift
/// SniffedFormat.detect(Array("\u{FEFF}  [{}]".utf8))   // .json
/// ```
public enum SniffedFormat: Sendable, Equatable {
    case csv, json, xml, empty

    /// The format the bytes at the start of an input show, or `nil` when `prefix` is all blank
    /// (after any BOM) and more input might still decide.
    public static func detect(_ prefix: UnsafeRawBufferPointer) -> SniffedFormat? {
        var index = 0
        if prefix.count >= 3 && prefix[0] == 0xEF && prefix[1] == 0xBB && prefix[2] == 0xBF { index = 3 }
        while index < prefix.count {
            switch prefix[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            case UInt8(ascii: "<"): return .xml
            case UInt8(ascii: "{"), UInt8(ascii: "["): return .json
            default: return .csv
            }
        }
        return nil
    }

    /// The format of a complete input held in memory (`empty` when it has no non-blank byte).
    public static func detect(_ bytes: [UInt8]) -> SniffedFormat {
        bytes.withUnsafeBytes { detect($0) } ?? .empty
    }
}
