/// Text encodings of legacy single-byte exports; UTF-8 is the default.
///
/// Readers validate UTF-8 and hand bad bytes up as a record defect. The two single-byte
/// encodings cannot be invalid: every byte maps to one Unicode scalar, so they are transcoded.
///
/// ```swift
/// let options = CSVOptions(encoding: TextEncoding(rawValue: "windows-1252") ?? .utf8)
/// ```
public enum TextEncoding: String, Sendable, CaseIterable {
    case utf8 = "utf-8"
    case windows1252 = "windows-1252"
    case latin1

    /// The Unicode scalar value of `byte` in a single-byte encoding (`.latin1` or `.windows1252`).
    ///
    /// windows-1252 differs from latin1 only in 0x80–0x9F; its five unassigned bytes there
    /// (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 controls of the same value, as WHATWG does.
    @inlinable
    public func scalarValue(ofSingleByte byte: UInt8) -> UInt32 {
        if self == .windows1252, byte >= 0x80, byte <= 0x9F {
            return TextEncoding.windows1252High[Int(byte) - 0x80]
        }
        return UInt32(byte)
    }

    /// windows-1252 bytes 0x80–0x9F as Unicode scalar values.
    @usableFromInline
    static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
        0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x008D, 0x017D, 0x008F,
        0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
        0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    /// Decodes `bytes` in this encoding to a String. UTF-8 is decoded with repair (U+FFFD);
    /// validate first where bad bytes must be reported.
    public func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        if self == .utf8 || TextEncoding.isASCII(bytes) {
            return String(decoding: bytes, as: UTF8.self)
        }
        // Each single byte becomes at most 3 UTF-8 bytes (U+20AC is the widest).
        return String(unsafeUninitializedCapacity: bytes.count * 3) { out in
            var o = 0
            for byte in bytes {
                let v = scalarValue(ofSingleByte: byte)
                if v < 0x80 {
                    out[o] = UInt8(v); o += 1
                } else if v < 0x800 {
                    out[o] = UInt8(0xC0 | (v >> 6)); out[o + 1] = UInt8(0x80 | (v & 0x3F)); o += 2
                } else {
                    out[o] = UInt8(0xE0 | (v >> 12)); out[o + 1] = UInt8(0x80 | ((v >> 6) & 0x3F))
                    out[o + 2] = UInt8(0x80 | (v & 0x3F)); o += 3
                }
            }
            return o
        }
    }
}

// MARK: - UTF-8 validation

extension TextEncoding {
    /// Whether every byte of `bytes` is below 0x80; checks eight bytes at a time.
    @inlinable
    public static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        var i = 0
        let n = bytes.count
        while i + 8 <= n {
            if raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 != 0 { return false }
            i += 8
        }
        while i < n {
            if base[i] >= 0x80 { return false }
            i += 1
        }
        return true
    }

    /// The index of the first byte of `bytes` that is not part of well-formed UTF-8, or `nil`.
    ///
    /// Follows RFC 3629 (no overlongs, no surrogates, nothing above U+10FFFF). For a sequence cut
    /// short, the index is that of its lead byte. ASCII runs are skipped eight bytes at a time:
    /// this is the "hand validation, then `String(decoding:)`" of SWIFT-NOTES, 2× faster than
    /// `String(validating:)`.
    ///
    /// ```swift
    /// [0x61, 0xC3].withUnsafeBufferPointer { TextEncoding.firstInvalidUTF8($0) }   // 1
    /// ```
    public static func firstInvalidUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = bytes.baseAddress else { return nil }
        let raw = UnsafeRawPointer(base)
        let n = bytes.count
        var i = 0
        while i < n {
            if i + 8 <= n, raw.loadUnaligned(fromByteOffset: i, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                i += 8
                continue
            }
            let lead = base[i]
            if lead < 0x80 { i += 1; continue }
            // Bounds of the second byte and the number of continuation bytes, per RFC 3629 §4.
            var lo: UInt8 = 0x80, hi: UInt8 = 0xBF
            let need: Int
            switch lead {
            case 0xC2...0xDF: need = 1
            case 0xE0: need = 2; lo = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: need = 2
            case 0xED: need = 2; hi = 0x9F
            case 0xF0: need = 3; lo = 0x90
            case 0xF1...0xF3: need = 3
            case 0xF4: need = 3; hi = 0x8F
            default: return i
            }
            guard i + need < n else { return i }
            let second = base[i + 1]
            if second < lo || second > hi { return i }
            var k = 2
            while k <= need {
                if base[i + k] & 0xC0 != 0x80 { return i }
                k += 1
            }
            i += need + 1
        }
        return nil
    }
}

// MARK: - Encoding

extension TextEncoding {
    /// UTF-8 text in this encoding: unchanged for UTF-8; for a single-byte encoding each scalar
    /// becomes its byte, and a scalar the encoding lacks becomes `?` (the count is returned, so a
    /// writer can say how many were lost).
    public func encode(utf8 text: [UInt8]) -> (bytes: [UInt8], unrepresentable: Int) {
        guard self != .utf8, !text.withUnsafeBufferPointer(TextEncoding.isASCII) else { return (text, 0) }
        var out: [UInt8] = []
        out.reserveCapacity(text.count)
        var lost = 0
        for scalar in String(decoding: text, as: UTF8.self).unicodeScalars {
            if let byte = singleByte(for: scalar.value) { out.append(byte) } else { out.append(UInt8(ascii: "?")); lost += 1 }
        }
        return (out, lost)
    }

    /// The byte of `scalar` in a single-byte encoding, if it has one.
    func singleByte(for scalar: UInt32) -> UInt8? {
        if scalar < 0x80 { return UInt8(scalar) }
        if self == .windows1252, let i = TextEncoding.windows1252High.firstIndex(of: scalar) { return UInt8(0x80 + i) }
        if scalar <= 0xFF, !(self == .windows1252 && scalar >= 0x80 && scalar <= 0x9F) { return UInt8(scalar) }
        return nil
    }
}
