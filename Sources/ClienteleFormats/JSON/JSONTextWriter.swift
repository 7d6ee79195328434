import ClienteleIO

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
/// try sink.write(writer)
/// writer.removeAll()
/// ```
///
/// The text is a ``ByteBuffer`` (a pointer the writer owns, not an `Array`, see there for why).
public struct JSONTextWriter: ~Copyable {
    /// The text written so far. Bytes that are already JSON (a record's stored text, a line feed)
    /// are appended to it directly.
    public var buffer: ByteBuffer

    public init(capacity: Int = 4096) {
        buffer = ByteBuffer(capacity: capacity)
    }

    /// The text written so far, as an array (a copy: for tests and cold paths; hot paths use
    /// ``withUnsafeBytes(_:)`` or write the writer to a sink).
    public var bytes: [UInt8] { buffer.array }
    @inlinable public var count: Int { buffer.count }
    @inlinable public var capacity: Int { buffer.capacity }
    @inlinable public var isEmpty: Bool { buffer.isEmpty }

    /// Calls `body` with the text written so far (valid only during the call).
    @inlinable
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try buffer.withUnsafeBytes(body)
    }

    /// Appends `s` as a quoted, escaped JSON string.
    public mutating func writeString(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in appendQuoted(utf8) }
    }

    /// Appends `s` as it is (punctuation, numbers, literals).
    public mutating func writeRaw(_ s: String) {
        var s = s
        s.withUTF8 { buffer.append(contentsOf: $0) }
    }

    /// Appends punctuation or a literal known when compiling (`{"count":`): no String is made.
    @inlinable
    public mutating func writeLiteral(_ s: StaticString) {
        if s.utf8CodeUnitCount == 1 {
            buffer.append(s.utf8Start.pointee)
        } else {
            buffer.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
        }
    }

    /// Appends `"name":` for a member name known when compiling (it must need no escaping).
    @inlinable
    public mutating func writeKey(_ name: StaticString) { buffer.appendQuotedKey(name) }

    /// Appends `value` as compact JSON (no spaces), keeping member order and number literals.
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: writeLiteral("null")
        case .bool(true): writeLiteral("true")
        case .bool(false): writeLiteral("false")
        case .number(let literal): writeRaw(literal)
        case .string(let s): writeString(s)
        case .array(let items):
            buffer.append(UInt8(ascii: "["))
            for (i, item) in items.enumerated() {
                if i > 0 { buffer.append(UInt8(ascii: ",")) }
                write(item)
            }
            buffer.append(UInt8(ascii: "]"))
        case .object(let members):
            buffer.append(UInt8(ascii: "{"))
            for (i, member) in members.enumerated() {
                if i > 0 { buffer.append(UInt8(ascii: ",")) }
                writeString(member.key)
                buffer.append(UInt8(ascii: ":"))
                write(member.value)
            }
            buffer.append(UInt8(ascii: "}"))
        }
    }

    /// Empties the text, keeping the capacity.
    public mutating func removeAll() { buffer.removeAll() }

    private mutating func appendQuoted(_ utf8: UnsafeBufferPointer<UInt8>) {
        // Room for the common case at once: the quotes and an unescaped string.
        buffer.reserve(utf8.count + 2)
        buffer.append(UInt8(ascii: "\""))
        // Fast path: one scan; most strings need no escaping and are appended in one go.
        if !Self.mayNeedEscaping(utf8) {
            buffer.append(contentsOf: utf8)
        } else {
            appendEscaped(utf8)
        }
        buffer.append(UInt8(ascii: "\""))
    }

    /// Whether `utf8` holds a control character, `"` or `\`, eight bytes a step (``ByteWordScan``);
    /// byte by byte, this scan was a third of writing a record's text.
    @inline(__always)
    static func mayNeedEscaping(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let start = utf8.baseAddress else { return false }
        let raw = UnsafeRawPointer(start)
        var i = 0
        while i + 8 <= utf8.count {
            let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
            let found = ByteWordScan.bytes(of: w, below: 0x20) | ByteWordScan.bytes(of: w, equalTo: 0x22)
                | ByteWordScan.bytes(of: w, equalTo: 0x5C)
            if found != 0 { return true }
            i += 8
        }
        while i < utf8.count {
            let c = utf8[i]
            if c < 0x20 || c == 0x22 || c == 0x5C { return true }
            i += 1
        }
        return false
    }

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        let hex: (UInt8) -> UInt8 = { $0 < 10 ? 0x30 + $0 : 0x57 + $0 }  // lowercase
        var runStart = 0
        for (i, b) in utf8.enumerated() where b < 0x20 || b == 0x22 || b == 0x5C {
            if i > runStart { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
            runStart = i + 1
            buffer.append(0x5C)
            switch b {
            case 0x22: buffer.append(0x22)
            case 0x5C: buffer.append(0x5C)
            case 0x08: buffer.append(UInt8(ascii: "b"))
            case 0x0C: buffer.append(UInt8(ascii: "f"))
            case 0x0A: buffer.append(UInt8(ascii: "n"))
            case 0x0D: buffer.append(UInt8(ascii: "r"))
            case 0x09: buffer.append(UInt8(ascii: "t"))
            default:
                buffer.append(UInt8(ascii: "u")); buffer.append(0x30); buffer.append(0x30); buffer.append(hex(b >> 4)); buffer.append(hex(b & 0xF))
            }
        }
        if runStart < utf8.count { buffer.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...])) }
    }
}

extension ByteSink {
    /// Writes the text `writer` holds.
    public func write(_ writer: borrowing JSONTextWriter) throws(IOError) { try write(writer.buffer) }
}
