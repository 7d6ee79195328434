// Invariants (read before changing anything here):
// - The tokenizer is a push state machine over caller-owned bytes: `next(_:)` never allocates
//   (except for the deep-nesting overflow words past 64 levels), never throws and does no I/O.
// - It can be suspended at ANY byte boundary: every piece of lexical state (inside a string, an
//   escape, a \uXXXX, a multi-byte UTF-8 sequence, a number, a literal) lives in stored fields.
// - `offset` is the absolute number of bytes consumed since `init`; `tokenStart` is the absolute
//   offset of the first byte of the current (or last) token. A caller that keeps bytes from
//   `tokenStart` onwards can slice every completed token out of its own buffer.
// - A number has no terminator of its own: it completes when the next byte is not part of it (that
//   byte is NOT consumed) or when the caller calls `finish()`.
// - After `.error` the tokenizer is stuck and returns `.error` again; after `.invalidUTF8` it goes
//   on (the bad bytes are skipped), so a reader can report the record and still find its end.
// - `line` counts LF bytes; LF can only occur in whitespace (a raw LF inside a string is an error).

/// A strict RFC 8259 tokenizer: an allocation-free, resumable state machine over byte chunks
/// (the csv-core half of rust-csv's split, for JSON).
///
/// Feed it bytes with ``next(_:)``; each call consumes bytes up to the end of the next token (or up
/// to the end of the chunk) and tells what it found. It validates the whole grammar (commas, colons,
/// nesting, number syntax, escapes, literals), UTF-8 inside strings, and tracks the nesting depth
/// against a limit. It builds nothing: the caller slices tokens out of its own buffer using
/// ``tokenStart`` and ``offset``.
///
/// ```swift
/// var tokenizer = JSONTokenizer(maxDepth: 64)
/// var rest = UnsafeRawBufferPointer(chunk)
/// while true {
///     let step = tokenizer.next(rest)
///     rest = UnsafeRawBufferPointer(rebasing: rest[step.consumed...])
///     if step.event == .needMore { break }   // feed the next chunk, or call finish() at the end
/// }
/// ```
public struct JSONTokenizer: Sendable {
    /// What one call of ``next(_:)`` found.
    public enum Event: UInt8, Sendable {
        /// Every byte given was consumed without completing a token: feed more, or call ``finish()``.
        case needMore
        case beginObject, endObject, beginArray, endArray
        /// An object member name (a string token followed by `:`); ``lastStringHasEscapes`` tells
        /// whether it must be unescaped.
        case key
        case string
        /// A number literal, validated against RFC 8259's grammar.
        case number
        case trueLiteral, falseLiteral, nullLiteral
        /// Bytes inside a string are not UTF-8 (first bad byte at ``invalidUTF8Offset``). The
        /// tokenizer skips them and can go on.
        case invalidUTF8
        /// The text is not JSON; ``failure`` says why and where. The tokenizer is stuck.
        case error
        /// Returned by ``finish()`` only: exactly one complete value was read, and nothing but
        /// whitespace after it.
        case end
    }

    /// The result of one ``next(_:)`` call.
    public struct Step: Equatable, Sendable {
        public var event: Event
        /// How many bytes of the chunk were consumed (the rest must be fed again).
        public var consumed: Int
    }

    /// Why the text is not acceptable.
    public struct Failure: Equatable, Sendable {
        public enum Kind: Equatable, Sendable { case syntax, unexpectedEnd, tooDeep }
        public var kind: Kind
        /// Absolute offset of the offending byte (or of the end of input).
        public var byteOffset: Int
        /// 1-based line of the offending byte.
        public var line: Int
        public var message: String
    }

    // What may come next when between tokens.
    @usableFromInline enum Expect: UInt8, Sendable {
        case value, valueOrEndArray, keyOrEndObject, key, colon, commaOrEnd, done
    }

    // Lexical state.
    @usableFromInline enum Lex: UInt8, Sendable {
        case between, string, failed
        case numMinus, numZero, numInt, numDot, numFrac, numE, numExpSign, numExp
        case literal
    }

    /// Absolute number of bytes consumed so far.
    public private(set) var offset: Int
    /// 1-based line of the next byte.
    public private(set) var line: Int
    /// Absolute offset of the first byte of the current or last token.
    public private(set) var tokenStart: Int = 0
    /// Current nesting depth (open objects and arrays).
    public private(set) var depth: Int = 0
    /// The nesting limit given at `init`.
    public let maxDepth: Int
    /// Whether the last string or key token contained a backslash escape.
    public private(set) var lastStringHasEscapes = false
    /// Absolute offset of the first byte of the last invalid UTF-8 sequence reported.
    public private(set) var invalidUTF8Offset = 0
    /// Set once ``Event/error`` was returned.
    public private(set) var failure: Failure?

    @usableFromInline var expect: Expect = .value
    @usableFromInline var lex: Lex = .between
    var stringIsKey = false
    // 0: plain, 1: after a backslash, 2...5: hex digits of \uXXXX still expected + 1.
    var escapeState: UInt8 = 0
    // Pending UTF-8 continuation bytes, and the bounds of the next one.
    var utf8Need: UInt8 = 0
    var utf8Low: UInt8 = 0x80
    var utf8High: UInt8 = 0xBF
    var utf8SequenceStart = 0
    // Literal being matched: its bytes packed little-endian, its length, bytes matched so far.
    var literalPattern: UInt64 = 0
    var literalLength: UInt8 = 0
    var literalMatched: UInt8 = 0
    var literalEvent: Event = .nullLiteral
    // Container kinds, one bit per level (1 = object): levels 1...64 inline, deeper ones overflow.
    var kindsLow: UInt64 = 0
    var kindsHigh: [UInt64] = []

    /// Creates a tokenizer for one JSON text (exactly one value, surrounded by whitespace).
    ///
    /// - Parameters:
    ///   - maxDepth: the deepest nesting of objects and arrays accepted.
    ///   - startOffset: the absolute offset of the first byte that will be fed (for positions).
    ///   - line: the line of the first byte that will be fed.
    public init(maxDepth: Int = 512, startOffset: Int = 0, line: Int = 1) {
        self.maxDepth = maxDepth
        self.offset = startOffset
        self.line = line
    }

    /// Whether the tokenizer is inside a token (string, number or literal), whose bytes from
    /// ``tokenStart`` the caller must keep.
    public var isInsideToken: Bool { lex != .between && lex != .failed }

    /// Whether the innermost open container is an object.
    public var isInObject: Bool { depth > 0 && isObject(level: depth) }

    // MARK: - Stepping

    /// Consumes bytes of `input` up to the end of the next token.
    ///
    /// - Returns: the event and the number of bytes consumed; bytes not consumed must be fed
    ///   again (followed by more input).
    public mutating func next(_ input: UnsafeRawBufferPointer) -> Step {
        guard let base = input.baseAddress, input.count > 0 else {
            return Step(event: lex == .failed ? .error : .needMore, consumed: 0)
        }
        let bytes = base.assumingMemoryBound(to: UInt8.self)
        let count = input.count
        var i = 0

        while i < count {
            // An if-chain, most frequent state first: a jump table here mispredicts on every token.
            if lex == .string {
                // The hot loop: plain ASCII runs.
                if escapeState == 0 && utf8Need == 0 {
                    // Eight bytes at a time while none is a quote, backslash, control or non-ASCII
                    // byte (the tests may flag false positives, never miss one; the byte loop decides).
                    while count - i >= 8 {
                        let x = UnsafeRawPointer(bytes + i).loadUnaligned(as: UInt64.self)
                        let ones: UInt64 = 0x0101_0101_0101_0101
                        let quote = x ^ (ones &* 0x22)
                        let backslash = x ^ (ones &* 0x5C)
                        let flagged = ((x &- ones &* 0x20) | (quote &- ones) | (backslash &- ones) | x) & (ones &* 0x80)
                        if flagged != 0 { break }
                        i += 8
                    }
                    while i < count {
                        let b = bytes[i]
                        if b >= 0x20 && b < 0x80 && b != 0x22 && b != 0x5C { i += 1; continue }
                        // Complete 2- and 3-byte sequences without range subtleties (not E0, not ED).
                        if b >= 0xC2 && b <= 0xDF && i + 1 < count && bytes[i + 1] & 0xC0 == 0x80 { i += 2; continue }
                        if b >= 0xE1 && b <= 0xEF && b != 0xED && i + 2 < count
                            && bytes[i + 1] & 0xC0 == 0x80 && bytes[i + 2] & 0xC0 == 0x80
                        {
                            i += 3
                            continue
                        }
                        break
                    }
                    if i == count { return emit(.needMore, i) }
                }
                let b = bytes[i]
                if utf8Need > 0 {
                    if b >= utf8Low && b <= utf8High {
                        utf8Need -= 1
                        utf8Low = 0x80
                        utf8High = 0xBF
                        i += 1
                        continue
                    }
                    // A truncated sequence: report its lead byte; this byte is looked at again.
                    utf8Need = 0
                    invalidUTF8Offset = utf8SequenceStart
                    return emit(.invalidUTF8, i)
                }
                if escapeState == 1 {
                    switch b {
                    case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
                        UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                        escapeState = 0
                    case UInt8(ascii: "u"):
                        escapeState = 5
                    default:
                        return fail(.syntax, at: i, message: "invalid escape '\\\(Self.show(b))' in a string", consumedSoFar: i)
                    }
                    i += 1
                    continue
                }
                if escapeState > 1 {
                    guard Self.isHexDigit(b) else {
                        return fail(.syntax, at: i, message: "invalid \\u escape: \(Self.describe(b)) is not a hex digit", consumedSoFar: i)
                    }
                    escapeState -= 1
                    if escapeState == 1 { escapeState = 0 }
                    i += 1
                    continue
                }
                switch b {
                case 0x22:
                    lex = .between
                    expect = stringIsKey ? .colon : (depth == 0 ? .done : .commaOrEnd)
                    return emit(stringIsKey ? .key : .string, i + 1)
                case 0x5C:
                    lastStringHasEscapes = true
                    escapeState = 1
                    i += 1
                case 0..<0x20:
                    return fail(.syntax, at: i, message: "control character \(Self.describe(b)) in a string (must be escaped)", consumedSoFar: i)
                default:
                    // A UTF-8 lead byte (RFC 3629 table: no overlongs, no surrogates, ≤ U+10FFFF).
                    utf8SequenceStart = offset + i
                    switch b {
                    case 0xC2...0xDF: utf8Need = 1; utf8Low = 0x80; utf8High = 0xBF
                    case 0xE0: utf8Need = 2; utf8Low = 0xA0; utf8High = 0xBF
                    case 0xE1...0xEC, 0xEE, 0xEF: utf8Need = 2; utf8Low = 0x80; utf8High = 0xBF
                    case 0xED: utf8Need = 2; utf8Low = 0x80; utf8High = 0x9F
                    case 0xF0: utf8Need = 3; utf8Low = 0x90; utf8High = 0xBF
                    case 0xF1...0xF3: utf8Need = 3; utf8Low = 0x80; utf8High = 0xBF
                    case 0xF4: utf8Need = 3; utf8Low = 0x80; utf8High = 0x8F
                    default:
                        invalidUTF8Offset = offset + i
                        return emit(.invalidUTF8, i + 1)
                    }
                    i += 1
                }

            } else if lex == .between {
                // Skip whitespace, then dispatch on the first byte of the next token.
                var b = bytes[i]
                while b <= 0x20 && (b == 0x20 || b == 0x0A || b == 0x0D || b == 0x09) {
                    if b == 0x0A { line += 1 }
                    i += 1
                    if i == count { return emit(.needMore, i) }
                    b = bytes[i]
                }
                // The frequent bytes first, by comparisons (see above).
                if b == 0x22 {
                    if expect == .key || expect == .keyOrEndObject {
                        stringIsKey = true
                    } else if expect == .value || expect == .valueOrEndArray {
                        stringIsKey = false
                    } else {
                        return fail(.syntax, at: i, unexpected: b, consumedSoFar: i)
                    }
                    tokenStart = offset + i
                    lastStringHasEscapes = false
                    escapeState = 0
                    utf8Need = 0
                    lex = .string
                    i += 1
                    continue
                }
                if b == UInt8(ascii: ":") {
                    guard expect == .colon else { return fail(.syntax, at: i, unexpected: b, consumedSoFar: i) }
                    expect = .value
                    i += 1
                    continue
                }
                if b == UInt8(ascii: ",") {
                    guard expect == .commaOrEnd else { return fail(.syntax, at: i, unexpected: b, consumedSoFar: i) }
                    expect = isObject(level: depth) ? .key : .value
                    i += 1
                    continue
                }
                switch b {
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    guard expect == .value || expect == .valueOrEndArray else {
                        return fail(.syntax, at: i, unexpected: b, consumedSoFar: i)
                    }
                    let isObject = b == UInt8(ascii: "{")
                    guard depth < maxDepth else {
                        return fail(.tooDeep, at: i, message: "nesting deeper than \(maxDepth) levels", consumedSoFar: i)
                    }
                    tokenStart = offset + i
                    push(isObject: isObject)
                    expect = isObject ? .keyOrEndObject : .valueOrEndArray
                    return emit(isObject ? .beginObject : .beginArray, i + 1)
                case UInt8(ascii: "}"), UInt8(ascii: "]"):
                    let closesObject = b == UInt8(ascii: "}")
                    let allowed: Bool
                    switch expect {
                    case .keyOrEndObject: allowed = closesObject
                    case .valueOrEndArray: allowed = !closesObject
                    case .commaOrEnd: allowed = isObject(level: depth) == closesObject
                    default: allowed = false
                    }
                    guard allowed else { return fail(.syntax, at: i, unexpected: b, consumedSoFar: i) }
                    tokenStart = offset + i
                    depth -= 1
                    expect = depth == 0 ? .done : .commaOrEnd
                    return emit(closesObject ? .endObject : .endArray, i + 1)
                case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                    guard expect == .value || expect == .valueOrEndArray else {
                        return fail(.syntax, at: i, unexpected: b, consumedSoFar: i)
                    }
                    tokenStart = offset + i
                    lex = b == UInt8(ascii: "-") ? .numMinus : (b == UInt8(ascii: "0") ? .numZero : .numInt)
                    i += 1
                case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                    guard expect == .value || expect == .valueOrEndArray else {
                        return fail(.syntax, at: i, unexpected: b, consumedSoFar: i)
                    }
                    tokenStart = offset + i
                    switch b {
                    case UInt8(ascii: "t"):
                        literalPattern = 0x6575_7274; literalLength = 4; literalEvent = .trueLiteral
                    case UInt8(ascii: "f"):
                        literalPattern = 0x65_736C_6166; literalLength = 5; literalEvent = .falseLiteral
                    default:
                        literalPattern = 0x6C6C_756E; literalLength = 4; literalEvent = .nullLiteral
                    }
                    literalMatched = 1
                    lex = .literal
                    i += 1
                default:
                    return fail(.syntax, at: i, unexpected: b, consumedSoFar: i)
                }

            } else if lex == .literal {
                let b = bytes[i]
                let expected = UInt8(truncatingIfNeeded: literalPattern >> (UInt64(literalMatched) &* 8))
                guard b == expected else {
                    return fail(.syntax, at: i, message: "invalid literal: unexpected \(Self.describe(b))", consumedSoFar: i)
                }
                literalMatched += 1
                i += 1
                if literalMatched == literalLength {
                    lex = .between
                    expect = depth == 0 ? .done : .commaOrEnd
                    return emit(literalEvent, i)
                }

            } else if lex == .failed {
                return Step(event: .error, consumed: 0)
            } else {  // inside a number
                let b = bytes[i]
                let isDigit = b &- UInt8(ascii: "0") < 10
                switch lex {
                case .numMinus:
                    guard isDigit else { return fail(.syntax, at: i, message: "invalid number: expected a digit after '-', found \(Self.describe(b))", consumedSoFar: i) }
                    lex = b == UInt8(ascii: "0") ? .numZero : .numInt
                case .numZero:
                    if isDigit { return fail(.syntax, at: i, message: "invalid number: leading zero", consumedSoFar: i) }
                    if b == UInt8(ascii: ".") { lex = .numDot } else if b | 0x20 == UInt8(ascii: "e") { lex = .numE } else { return endNumber(i) }
                case .numInt:
                    if isDigit {
                        // Digit runs are the common case: take them in one go.
                        i += 1
                        while i < count && bytes[i] &- UInt8(ascii: "0") < 10 { i += 1 }
                        continue
                    }
                    if b == UInt8(ascii: ".") { lex = .numDot } else if b | 0x20 == UInt8(ascii: "e") { lex = .numE } else { return endNumber(i) }
                case .numDot:
                    guard isDigit else { return fail(.syntax, at: i, message: "invalid number: expected a digit after '.', found \(Self.describe(b))", consumedSoFar: i) }
                    lex = .numFrac
                case .numFrac:
                    if isDigit { break }
                    if b | 0x20 == UInt8(ascii: "e") { lex = .numE } else { return endNumber(i) }
                case .numE:
                    if isDigit { lex = .numExp } else if b == UInt8(ascii: "+") || b == UInt8(ascii: "-") { lex = .numExpSign } else {
                        return fail(.syntax, at: i, message: "invalid number: expected an exponent, found \(Self.describe(b))", consumedSoFar: i)
                    }
                case .numExpSign:
                    guard isDigit else { return fail(.syntax, at: i, message: "invalid number: expected an exponent digit, found \(Self.describe(b))", consumedSoFar: i) }
                    lex = .numExp
                default:  // .numExp
                    if !isDigit { return endNumber(i) }
                }
                i += 1

            }
        }
        return emit(.needMore, i)
    }

    /// Tells the tokenizer that the input has ended.
    ///
    /// - Returns: ``Event/number`` if a number was pending (call again afterwards), ``Event/end``
    ///   when exactly one complete value was read, or ``Event/error`` (``failure`` says why).
    public mutating func finish() -> Event {
        switch lex {
        case .numZero, .numInt, .numFrac, .numExp:
            lex = .between
            expect = depth == 0 ? .done : .commaOrEnd
            return .number
        case .failed:
            return .error
        case .between:
            if expect == .done { return .end }
            let what: String
            switch expect {
            case .value: what = depth == 0 ? "no value (empty input)" : "expected a value"
            case .valueOrEndArray: what = "expected a value or ']'"
            case .keyOrEndObject: what = "expected a member name or '}'"
            case .key: what = "expected a member name"
            case .colon: what = "expected ':'"
            default: what = isObject(level: depth) ? "expected ',' or '}'" : "expected ',' or ']'"
            }
            setFailure(.unexpectedEnd, at: offset, message: "unexpected end of input: \(what)")
            return .error
        case .string:
            setFailure(.unexpectedEnd, at: offset, message: "unexpected end of input inside a string")
            return .error
        default:
            setFailure(.unexpectedEnd, at: offset, message: "unexpected end of input inside a number or literal")
            return .error
        }
    }

    // MARK: - Helpers

    @inline(__always) func isObject(level: Int) -> Bool {
        if level <= 64 { return (kindsLow >> UInt64(level - 1)) & 1 == 1 }
        let bit = level - 65
        return (kindsHigh[bit >> 6] >> UInt64(bit & 63)) & 1 == 1
    }

    @inline(__always) mutating func push(isObject: Bool) {
        depth += 1
        if depth <= 64 {
            let mask: UInt64 = 1 << UInt64(depth - 1)
            if isObject { kindsLow |= mask } else { kindsLow &= ~mask }
            return
        }
        let bit = depth - 65
        if bit >> 6 >= kindsHigh.count { kindsHigh.append(0) }
        let mask: UInt64 = 1 << UInt64(bit & 63)
        if isObject { kindsHigh[bit >> 6] |= mask } else { kindsHigh[bit >> 6] &= ~mask }
    }

    @inline(__always) private mutating func emit(_ event: Event, _ consumed: Int) -> Step {
        offset += consumed
        return Step(event: event, consumed: consumed)
    }

    private mutating func endNumber(_ i: Int) -> Step {
        lex = .between
        expect = depth == 0 ? .done : .commaOrEnd
        offset += i
        return Step(event: .number, consumed: i)
    }

    private mutating func setFailure(_ kind: Failure.Kind, at absolute: Int, message: String) {
        lex = .failed
        failure = Failure(kind: kind, byteOffset: absolute, line: line, message: message)
    }

    private mutating func fail(_ kind: Failure.Kind, at i: Int, message: String, consumedSoFar: Int) -> Step {
        offset += consumedSoFar
        setFailure(kind, at: offset, message: message)
        return Step(event: .error, consumed: consumedSoFar)
    }

    private mutating func fail(_ kind: Failure.Kind, at i: Int, unexpected b: UInt8, consumedSoFar: Int) -> Step {
        let wanted: String
        switch expect {
        case .value: wanted = "a value"
        case .valueOrEndArray: wanted = "a value or ']'"
        case .keyOrEndObject: wanted = "a member name or '}'"
        case .key: wanted = "a member name (trailing commas are not allowed)"
        case .colon: wanted = "':'"
        case .commaOrEnd: wanted = isObject(level: depth) ? "',' or '}'" : "',' or ']'"
        case .done: wanted = "the end of input after the value"
        }
        return fail(kind, at: i, message: "unexpected \(Self.describe(b)), expected \(wanted)", consumedSoFar: consumedSoFar)
    }

    @inline(__always) static func isHexDigit(_ b: UInt8) -> Bool {
        b &- UInt8(ascii: "0") < 10 || (b | 0x20) &- UInt8(ascii: "a") < 6
    }

    static func show(_ b: UInt8) -> String {
        b >= 0x20 && b < 0x7F ? String(UnicodeScalar(b)) : "\\x" + hex2(b)
    }

    /// `'x'` for printable ASCII, `byte 0xNN` otherwise.
    static func describe(_ b: UInt8) -> String {
        b > 0x20 && b < 0x7F ? "'\(String(UnicodeScalar(b)))'" : "byte 0x" + hex2(b)
    }

    static func hex2(_ b: UInt8) -> String {
        let digits = Array("0123456789ABCDEF".utf8)
        return String(decoding: [digits[Int(b >> 4)], digits[Int(b & 15)]], as: UTF8.self)
    }
}
