/// Appends compact JSON text to a reusable byte buffer (the writers of the archive build on it).
///
/// Output is deterministic: strings escape `"`, `\` and control characters only (`\b \f \n \r \t`,
/// the others as `\u00XX` with lowercase hex); everything else, non-ASCII included, is written as
/// raw UTF-8. Numbers are written as their literal text, object members in their order.
///
/// ```swift
/// var writer = JSONTextWriter()
/// writer.writeLiteral("{")
/// writer.writeString("email"); writer.writeLiteral(":"); writer.writeString("ann@example.com")
/// writer.writeLiteral("}\n")
/// try sink.write(writer.bytes)
/// writer.removeAll()
/// ```
public struct JSONTextWriter {
    /// The text written so far.
    public var bytes: [UInt8]

    public init(capacity: Int = 4096) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends `s` as a quoted, escaped JSON string.
    public mutating func writeString(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in appendQuoted(utf8) }
    }

    /// Appends `s` as it is (punctuation, numbers, literals).
    public mutating func writeRaw(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends punctuation or a literal known when compiling (`{"count":`): no String is made.
    @inlinable
    public mutating func writeLiteral(_ s: StaticString) {
        // Punctuation is one byte: a plain append is a fraction of `append(contentsOf:)`'s cost.
        if s.utf8CodeUnitCount == 1 {
            bytes.append(s.utf8Start.pointee)
        } else {
            bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
        }
    }

    /// Appends `"name":` for a member name known when compiling (it must need no escaping).
    @inlinable
    public mutating func writeKey(_ name: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        bytes.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    /// Appends `value` as compact JSON (no spaces), keeping member order and number literals.
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: bytes.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])
        case .bool(true): bytes.append(contentsOf: [0x74, 0x72, 0x75, 0x65])
        case .bool(false): bytes.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])
        case .number(let literal): writeRaw(literal)
        case .string(let s): writeString(s)
        case .array(let items):
            bytes.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                write(item)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            bytes.append(UInt8(ascii: "{"))
            for (i, member) in members.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(member.key)
                bytes.append(UInt8(ascii: ":"))
                write(member.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Empties the text, keeping the capacity.
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    private mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        bytes.append(UInt8(ascii: "\""))
        // Fast path: one scan; most strings need no escaping and are appended in one go.
        var clean = true
        for b in utf8 where b < 0x20 || b == 0x22 || b == 0x5C {
            clean = false
            break
        }
        if clean {
            bytes.append(contentsOf: utf8)
        } else {
            appendEscaped(utf8)
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        let hex: (UInt8) -> UInt8 = { $0 < 10 ? 0x30 + $0 : 0x57 + $0 }  // lowercase
        var runStart = 0
        for (i, b) in utf8.enumerated() where b < 0x20 || b == 0x22 || b == 0x5C {
            if i > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
            runStart = i + 1
            bytes.append(0x5C)
            switch b {
            case 0x22: bytes.append(0x22)
            case 0x5C: bytes.append(0x5C)
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            default:
                bytes.append(contentsOf: [UInt8(ascii: "u"), 0x30, 0x30, hex(b >> 4), hex(b & 0xF)])
            }
        }
        if runStart < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
    }
}
