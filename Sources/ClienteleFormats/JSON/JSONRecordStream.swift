#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import ClienteleIO

// Invariants:
// - `buffer` (owned by the JSONRecordReader) holds input bytes [0, end); bytes before `start` are
//   consumed; `base` is the absolute input offset of buffer[0]. Refilling compacts by moving the
//   bytes still needed (a line being assembled, or the token the tokenizer is inside) to the front.
// - Lines layout: each line is parsed whole from the buffer with a fresh tokenizer, so a bad line
//   never disturbs the next. `line` is the line number of buffer[start].
// - Array layout: one tokenizer runs over the whole top-level array (depth limit + 1 for it); only
//   the bytes of the current token are kept, the builder holds the element built so far. Records
//   are the values whose first token arrives while the builder is idle at depth 1.
// - Defects never stop the stream; only structural problems, limits and I/O errors throw.

/// The working state of a ``JSONRecordReader``, kept in a struct so the hot loops touch locals and
/// inout fields rather than class properties (no dynamic exclusivity checks per byte or token).
struct JSONRecordStream {
    let name: String
    let maxRecordBytes: Int
    let maxDepth: Int
    let buffer: UnsafeMutableRawBufferPointer
    var start = 0
    var end = 0
    var base = 0
    var atEOF = false
    var line = 1
    var scanFrom = 0
    var recordIndex = 0
    var layout: JSONRecordReader.Layout = .lines
    var builder = JSONValueBuilder()
    // Array layout.
    var tokenizer = JSONTokenizer()
    var arrayOpened = false
    var arrayFinished = false
    var inElement = false
    var elementStart = 0
    var elementLine = 0
    var elementInvalidUTF8: Int?

    init(name: String, buffer: UnsafeMutableRawBufferPointer, maxRecordBytes: Int, maxDepth: Int) {
        self.name = name
        self.buffer = buffer
        self.maxRecordBytes = maxRecordBytes
        self.maxDepth = maxDepth
    }

    var bytesConsumed: Int { layout == .array ? tokenizer.offset : base + start }

    // MARK: - Buffer

    /// Moves buffer[keepFrom..<end] to the front and reads more after it.
    private mutating func refill(_ source: ByteSource, keepFrom: Int, lineForErrors: Int) throws(FormatError) {
        if keepFrom > 0 {
            let kept = end - keepFrom
            if kept > 0 { memmove(buffer.baseAddress!, buffer.baseAddress! + keepFrom, kept) }
            base += keepFrom
            start -= keepFrom
            end -= keepFrom
            scanFrom = max(0, scanFrom - keepFrom)
        }
        guard end < buffer.count else {
            throw FormatError.recordTooLarge(file: name, line: lineForErrors, limit: maxRecordBytes)
        }
        let n: Int
        do { n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...])) } catch {
            throw FormatError.io(error)
        }
        if n == 0 { atEOF = true }
        end += n
    }

    @inline(__always) private static func isBlank(_ b: UInt8) -> Bool {
        b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A
    }

    /// Skips an optional BOM and leading whitespace, and decides the layout from the first byte.
    mutating func detectLayout(_ source: ByteSource) throws(FormatError) {
        while end - start < 3 && !atEOF { try refill(source, keepFrom: start, lineForErrors: 1) }
        if end - start >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF { start = 3 }
        while true {
            while start < end && Self.isBlank(buffer[start]) {
                if buffer[start] == 0x0A { line += 1 }
                start += 1
            }
            if start < end || atEOF { break }
            try refill(source, keepFrom: start, lineForErrors: line)
        }
        scanFrom = start
        if start < end && buffer[start] == UInt8(ascii: "[") {
            layout = .array
            tokenizer = JSONTokenizer(maxDepth: maxDepth + 1, startOffset: base + start, line: line)
        }
    }

    // MARK: - JSON Lines

    mutating func nextLine(_ source: ByteSource) throws(FormatError) -> JSONRecord? {
        while true {
            var lineFeed = -1
            while true {
                if scanFrom < end, let p = memchr(buffer.baseAddress! + scanFrom, 0x0A, end - scanFrom) {
                    lineFeed = UnsafeRawPointer(p) - UnsafeRawPointer(buffer.baseAddress!)
                    break
                }
                scanFrom = end
                if atEOF { break }
                // Content plus a possible CR: beyond that, no line feed can save the record.
                if end - start > maxRecordBytes + 1 {
                    throw FormatError.recordTooLarge(file: name, line: line, limit: maxRecordBytes)
                }
                try refill(source, keepFrom: start, lineForErrors: line)
            }
            if lineFeed < 0 && start == end { return nil }
            let lineEnd = lineFeed < 0 ? end : lineFeed
            let lineStart = start
            let lineNumber = line
            var contentEnd = lineEnd
            if contentEnd > lineStart && buffer[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            if contentEnd - lineStart > maxRecordBytes {
                throw FormatError.recordTooLarge(file: name, line: lineNumber, limit: maxRecordBytes)
            }
            start = lineFeed < 0 ? end : lineFeed + 1
            scanFrom = start
            line += 1
            var s = lineStart
            while s < lineEnd && Self.isBlank(buffer[s]) { s += 1 }
            if s == lineEnd { continue }
            recordIndex += 1
            return try parseLine(from: s, to: lineEnd, lineStart: lineStart, lineNumber: lineNumber)
        }
    }

    private mutating func parseLine(from s: Int, to e: Int, lineStart: Int, lineNumber: Int) throws(FormatError) -> JSONRecord {
        let bytes = UnsafeRawBufferPointer(rebasing: buffer[s..<e])
        let sliceBase = base + s
        let position = SourcePosition(line: lineNumber, byteOffset: Int64(sliceBase), record: recordIndex)
        var tokenizer = JSONTokenizer(maxDepth: maxDepth, startOffset: sliceBase, line: lineNumber)
        builder.reset()
        var rest = bytes
        var value: JSONValue = .null
        var invalidUTF8: Int?
        loop: while true {
            let step = tokenizer.next(rest)
            rest = UnsafeRawBufferPointer(rebasing: rest[step.consumed...])
            var event = step.event
            if event == .needMore { event = tokenizer.finish() }
            switch event {
            case .end:
                break loop
            case .invalidUTF8:
                if invalidUTF8 == nil { invalidUTF8 = tokenizer.invalidUTF8Offset }
            case .error:
                let failure = tokenizer.failure!
                if failure.kind == .tooDeep {
                    throw FormatError.tooDeep(file: name, line: lineNumber, limit: maxDepth)
                }
                if let bad = invalidUTF8 ?? UTF8Check.firstInvalid(bytes).map({ sliceBase + $0 }) {
                    return JSONRecord(value: .null, position: position, defect: .invalidUTF8(byteOffset: Int64(bad)))
                }
                let column = failure.byteOffset - (base + lineStart) + 1
                return JSONRecord(
                    value: .null, position: position,
                    defect: .malformed(detail: "\(failure.message) (line \(lineNumber), column \(column), byte \(failure.byteOffset))"))
            default:
                let token = UnsafeRawBufferPointer(
                    rebasing: bytes[(tokenizer.tokenStart - sliceBase)..<(tokenizer.offset - sliceBase)])
                if let done = builder.accept(
                    event, token: token, escaped: tokenizer.lastStringHasEscapes, tokenOffset: tokenizer.tokenStart)
                {
                    value = done
                }
            }
        }
        let problem = defect(of: value, invalidUTF8: invalidUTF8)
        return JSONRecord(value: value, position: position, defect: problem, text: problem == nil ? Array(bytes) : nil)
    }

    private func defect(of value: JSONValue, invalidUTF8: Int?) -> RecordDefect? {
        if let invalidUTF8 { return .invalidUTF8(byteOffset: Int64(invalidUTF8)) }
        if let offset = builder.loneSurrogateOffset {
            return .malformed(detail: "lone surrogate escape in a string at byte \(offset) (not a Unicode scalar)")
        }
        switch value {
        case .object: return nil
        case .array: return .malformed(detail: "expected an object, found an array")
        case .string: return .malformed(detail: "expected an object, found a string")
        case .number: return .malformed(detail: "expected an object, found a number")
        case .bool: return .malformed(detail: "expected an object, found a boolean")
        case .null: return .malformed(detail: "expected an object, found null")
        }
    }

    // MARK: - Array

    mutating func nextElement(_ source: ByteSource) throws(FormatError) -> JSONRecord? {
        if arrayFinished { return nil }
        while true {
            // The tokenizer is never fed more than one byte past the record limit of the element (or
            // token) in progress, so a record over the limit is found at the same byte however the
            // input arrives; fed a whole buffer, a syntax error further on used to win (fuzz finding).
            let open = inElement ? elementStart : (tokenizer.isInsideToken ? tokenizer.tokenStart : tokenizer.offset)
            let feed = max(0, min(end - start, open + maxRecordBytes + 1 - tokenizer.offset))
            let step = tokenizer.next(UnsafeRawBufferPointer(rebasing: buffer[start..<(start + feed)]))
            start += step.consumed
            var event = step.event
            if event == .needMore {
                let open = inElement ? elementStart : (tokenizer.isInsideToken ? tokenizer.tokenStart : tokenizer.offset)
                if tokenizer.offset - open > maxRecordBytes {
                    throw FormatError.recordTooLarge(file: name, line: inElement ? elementLine : tokenizer.line, limit: maxRecordBytes)
                }
                // Stopped by the limit above, with more bytes in the buffer already: go on with them.
                if start < end { continue }
                if !atEOF {
                    let keep = tokenizer.isInsideToken ? tokenizer.tokenStart - base : start
                    try refill(source, keepFrom: keep, lineForErrors: inElement ? elementLine : tokenizer.line)
                    continue
                }
                event = tokenizer.finish()
            }
            switch event {
            case .end:
                arrayFinished = true
                return nil
            case .needMore:
                continue
            case .invalidUTF8:
                if elementInvalidUTF8 == nil { elementInvalidUTF8 = tokenizer.invalidUTF8Offset }
            case .error:
                let failure = tokenizer.failure!
                if failure.kind == .tooDeep {
                    throw FormatError.tooDeep(file: name, line: inElement ? elementLine : failure.line, limit: maxDepth)
                }
                throw FormatError.malformed(
                    file: name, line: failure.line, byteOffset: Int64(failure.byteOffset), detail: failure.message)
            case .beginArray where !arrayOpened:
                arrayOpened = true
            case .endArray where tokenizer.depth == 0:
                break
            default:
                if !inElement {
                    inElement = true
                    elementStart = tokenizer.tokenStart
                    elementLine = tokenizer.line
                    builder.reset()
                }
                let token = UnsafeRawBufferPointer(
                    rebasing: buffer[(tokenizer.tokenStart - base)..<(tokenizer.offset - base)])
                if let value = builder.accept(
                    event, token: token, escaped: tokenizer.lastStringHasEscapes, tokenOffset: tokenizer.tokenStart)
                {
                    inElement = false
                    if tokenizer.offset - elementStart > maxRecordBytes {
                        throw FormatError.recordTooLarge(file: name, line: elementLine, limit: maxRecordBytes)
                    }
                    recordIndex += 1
                    let record = JSONRecord(
                        value: value,
                        position: SourcePosition(line: elementLine, byteOffset: Int64(elementStart), record: recordIndex),
                        defect: defect(of: value, invalidUTF8: elementInvalidUTF8))
                    elementInvalidUTF8 = nil
                    return record
                }
            }
        }
    }
}
