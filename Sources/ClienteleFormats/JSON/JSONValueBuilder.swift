// Invariants:
// - Tokens arrive in an order the tokenizer has already validated, so the builder checks no grammar.
// - Open containers are kept flat: `values` and `keys` are stacks shared by all open levels, and a
//   frame remembers where its own items start. Closing a frame slices them off in one go, so no
//   array nested in an enum is ever mutated (which would copy it on every append).
// - A lone surrogate escape (\uD800 without its pair, or a stray \uDC00) cannot be put into a
//   Swift String: it becomes U+FFFD and `loneSurrogateOffset` remembers the first one, so callers
//   reject consistently (JSONDocument throws, the record reader sets a `.malformed` defect).

/// Turns the token stream of a ``JSONTokenizer`` into ``JSONValue``s, decoding escapes and
/// surrogate pairs. Reusable: ``reset()`` keeps the capacity of its stacks.
struct JSONValueBuilder {
    private struct Frame {
        var isObject: Bool
        var valueStart: Int
        var keyStart: Int
    }

    private var frames: [Frame] = []
    private var values: [JSONValue] = []
    private var keys: [String] = []
    private var scratch: [UInt8] = []
    /// Absolute offset of the first lone surrogate escape met since the last reset.
    private(set) var loneSurrogateOffset: Int?

    init() {}

    /// Whether no container is open (the next token starts a new top-level value).
    var isIdle: Bool { frames.isEmpty }

    mutating func reset() {
        frames.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        keys.removeAll(keepingCapacity: true)
        loneSurrogateOffset = nil
    }

    /// Takes one token.
    ///
    /// - Parameters:
    ///   - token: the token's bytes (for strings and keys including the quotes; for numbers the literal).
    ///     Ignored for punctuation and literals.
    ///   - escaped: whether a string token contains backslash escapes.
    ///   - tokenOffset: the absolute offset of the token's first byte (for lone surrogates).
    /// - Returns: the completed value when this token completes a top-level value.
    mutating func accept(
        _ event: JSONTokenizer.Event, token: UnsafeRawBufferPointer, escaped: Bool, tokenOffset: Int
    ) -> JSONValue? {
        let value: JSONValue
        switch event {
        case .beginObject, .beginArray:
            frames.append(Frame(isObject: event == .beginObject, valueStart: values.count, keyStart: keys.count))
            return nil
        case .key:
            keys.append(makeString(token, escaped: escaped, tokenOffset: tokenOffset))
            return nil
        case .string:
            value = .string(makeString(token, escaped: escaped, tokenOffset: tokenOffset))
        case .number:
            value = .number(String(decoding: token, as: UTF8.self))
        case .trueLiteral: value = .bool(true)
        case .falseLiteral: value = .bool(false)
        case .nullLiteral: value = .null
        case .endObject:
            let frame = frames.removeLast()
            var members: [JSONMember] = []
            members.reserveCapacity(values.count - frame.valueStart)
            var k = frame.keyStart
            for v in frame.valueStart..<values.count {
                members.append(JSONMember(keys[k], values[v]))
                k += 1
            }
            values.removeSubrange(frame.valueStart...)
            keys.removeSubrange(frame.keyStart...)
            value = .object(members)
        case .endArray:
            let frame = frames.removeLast()
            let items = Array(values[frame.valueStart...])
            values.removeSubrange(frame.valueStart...)
            value = .array(items)
        default:
            return nil
        }
        if frames.isEmpty { return value }
        values.append(value)
        return nil
    }

    /// The String of a string token (quotes included in `token`), unescaped when needed.
    private mutating func makeString(_ token: UnsafeRawBufferPointer, escaped: Bool, tokenOffset: Int) -> String {
        let inner = UnsafeRawBufferPointer(rebasing: token[1..<(token.count - 1)])
        guard escaped else { return String(decoding: inner, as: UTF8.self) }
        scratch.removeAll(keepingCapacity: true)
        var i = 0
        let n = inner.count
        while i < n {
            // Copy the run up to the next backslash in one go.
            var j = i
            while j < n && inner[j] != 0x5C { j += 1 }
            if j > i { scratch.append(contentsOf: UnsafeRawBufferPointer(rebasing: inner[i..<j])) }
            if j == n { break }
            let e = inner[j + 1]
            i = j + 2
            switch e {
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = Self.hex4(inner, at: i)
                i += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF, i + 6 <= n, inner[i] == 0x5C, inner[i + 1] == UInt8(ascii: "u") {
                    let low = Self.hex4(inner, at: i + 2)
                    if low >= 0xDC00 && low <= 0xDFFF {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                    }
                }
                if scalar >= 0xD800 && scalar <= 0xDFFF {
                    if loneSurrogateOffset == nil { loneSurrogateOffset = tokenOffset + 1 + j }
                    scalar = 0xFFFD
                }
                appendUTF8(scalar)
            default: scratch.append(e)  // " \ /
            }
        }
        return String(decoding: scratch, as: UTF8.self)
    }

    private mutating func appendUTF8(_ s: UInt32) {
        switch s {
        case 0..<0x80:
            scratch.append(UInt8(s))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (s >> 6)))
            scratch.append(UInt8(0x80 | (s & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (s >> 12)))
            scratch.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (s & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (s >> 18)))
            scratch.append(UInt8(0x80 | ((s >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((s >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (s & 0x3F)))
        }
    }

    private static func hex4(_ bytes: UnsafeRawBufferPointer, at i: Int) -> UInt32 {
        var v: UInt32 = 0
        for k in i..<(i + 4) {
            let b = bytes[k]
            let d: UInt8 = b &- UInt8(ascii: "0") < 10 ? b &- UInt8(ascii: "0") : (b | 0x20) &- UInt8(ascii: "a") &+ 10
            v = v << 4 | UInt32(d)
        }
        return v
    }
}
