// CSVTokenizer: the byte-level core of the CSV reader (after rust-csv's csv-core).
//
// Invariants:
// - It does no I/O, never allocates and never throws. The caller owns every buffer; the tokenizer
//   keeps only its state (a handful of integers), so it resumes at any byte boundary: feeding a
//   record in one call or one byte per call gives the same output.
// - An empty input means "end of input"; a non-empty input is always consumed unless a result
//   asks for more output or ends space (`.outputFull`, `.endsFull`), or a record ends.
// - Field bytes go to `output` unquoted (doubled quotes collapsed) from index `outputCount`;
//   the end of field k (exclusive, relative to the record's first output byte) goes to
//   `ends[k]`. Both counters restart when the next record begins, so after `.record` the caller
//   reads `output[0..<outputCount]` and `ends[0..<fieldCount]`, and may resize the buffers
//   between calls (copying what was written).
// - Lines: a line break is LF, CRLF or a lone CR, inside or outside quotes, and counts once.
//   Outside quotes every line break ends a record; empty lines are skipped.
// - Lenient like csv-core: a quote inside an unquoted field is a literal byte; bytes after a
//   closing quote are appended to the field.

/// A resumable RFC 4180 state machine that splits bytes into fields and records.
///
/// It is the allocation-free core under ``CSVReader``: the reader feeds it slices of its read
/// buffer and turns its results into Strings, record defects and errors.
///
/// ```swift
/// var tokenizer = CSVTokenizer(delimiter: UInt8(ascii: ","))
/// var out = [UInt8](repeating: 0, count: 64), ends = [Int](repeating: 0, count: 8)
/// let bytes = Array("a,\"b\"\"c\"\n".utf8)
/// let (step, consumed) = bytes.withUnsafeBufferPointer { input in
///     out.withUnsafeMutableBufferPointer { o in
///         ends.withUnsafeMutableBufferPointer { e in tokenizer.readRecord(input, output: o, ends: e) } } }
/// // step == .record, consumed == 9, out[0..<4] == "ab\"c", ends[0..<2] == [1, 4]
/// ```
public struct CSVTokenizer: Sendable {
    /// Why ``readRecord(_:output:ends:)`` returned.
    public enum Step: Sendable, Equatable {
        /// All of the input was consumed inside a record or between records: feed more.
        case inputEmpty
        /// `output` is full: call again with a larger buffer holding the bytes written so far.
        case outputFull
        /// `ends` is full: call again with a larger buffer holding the ends written so far.
        case endsFull
        /// A record is complete: its fields are in `output` and `ends`.
        case record
        /// The input ended (an empty input was fed) between records.
        case end
        /// The input ended inside a quoted field opened on ``quoteOpenLine``.
        case unclosedQuote
    }

    @usableFromInline
    enum State: UInt8, Sendable {
        case startRecord, startRecordAfterCR, startField, inField, inQuoted, inQuotedAfterCR, quoteInQuoted, finished
    }

    /// The byte that separates fields.
    public let delimiter: UInt8
    /// Absolute offset of the next byte the tokenizer will read.
    public private(set) var byteOffset: Int64
    /// The current 1-based line.
    public private(set) var line: Int = 1
    /// Line on which the current (or last) record started.
    public private(set) var recordStartLine: Int = 1
    /// Absolute offset of the current (or last) record's first byte.
    public private(set) var recordStartOffset: Int64 = 0
    /// Line on which the last quoted field opened.
    public private(set) var quoteOpenLine: Int = 1
    /// Bytes written to `output` for the current record.
    public private(set) var outputCount: Int = 0
    /// Fields completed (ends written) in the current record.
    public private(set) var fieldCount: Int = 0
    /// Whether a record has started and not yet ended.
    public private(set) var isInRecord = false
    @usableFromInline var state: State = .startRecord

    /// - Parameters:
    ///   - delimiter: the field separator, for example `,` or `\t`.
    ///   - byteOffset: the absolute offset of the first byte that will be fed (after a BOM, say).
    ///   - line: the line of that byte.
    public init(delimiter: UInt8, byteOffset: Int64 = 0, line: Int = 1) {
        self.delimiter = delimiter
        self.byteOffset = byteOffset
        self.line = line
    }

    /// Whether the tokenizer is inside a quoted field (so an end of input now is an unclosed quote).
    public var isInQuotedField: Bool { state == .inQuoted || state == .inQuotedAfterCR }

    /// Copies whole eight-byte words of a field while none of their bytes is `a`, `b` or `c`
    /// (``ByteWordScan``), leaving the rest to the caller's byte loop; byte by byte, the fields'
    /// plain runs were most of reading a file.
    @inline(__always)
    static func copyWords(from inp: UnsafePointer<UInt8>, to out: UnsafeMutablePointer<UInt8>, i: inout Int, o: inout Int,
                          stop: Int, until a: UInt8, _ b: UInt8, _ c: UInt8) {
        while i + 8 <= stop {
            let w = UnsafeRawPointer(inp + i).loadUnaligned(as: UInt64.self)
            let found = ByteWordScan.bytes(of: w, equalTo: a) | ByteWordScan.bytes(of: w, equalTo: b) | ByteWordScan.bytes(of: w, equalTo: c)
            if found != 0 { return }
            UnsafeMutableRawPointer(out + o).storeBytes(of: w, as: UInt64.self)
            o += 8
            i += 8
        }
    }

    /// Reads bytes of `input` until a record ends, the input is used up, or a buffer is full.
    ///
    /// - Parameters:
    ///   - input: the next bytes; empty means the end of input.
    ///   - output: receives the current record's field bytes from index ``outputCount``.
    ///   - ends: receives the current record's field ends from index ``fieldCount``.
    /// - Returns: why it stopped, and how many bytes of `input` it consumed.
    public mutating func readRecord(
        _ input: UnsafeBufferPointer<UInt8>,
        output: UnsafeMutableBufferPointer<UInt8>,
        ends: UnsafeMutableBufferPointer<Int>
    ) -> (step: Step, consumed: Int) {
        guard let inp = input.baseAddress, input.count > 0 else { return finish(ends) }
        let n = input.count
        let out = output.baseAddress
        let outCap = output.count
        let endsBase = ends.baseAddress
        let endsCap = ends.count
        let d = delimiter
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        // Locals, written back once: the loop touches no stored property.
        var i = 0
        var o = outputCount
        var f = fieldCount
        var line = self.line
        var state = self.state
        defer {
            self.byteOffset += Int64(i)
            self.outputCount = o
            self.fieldCount = f
            self.line = line
            self.state = state
        }

        while i < n {
            switch state {
            case .startRecord, .startRecordAfterCR:
                let b = inp[i]
                if b == lf {
                    if state == .startRecord { line += 1 }
                    state = .startRecord
                    i += 1
                } else if b == cr {
                    line += 1
                    state = .startRecordAfterCR
                    i += 1
                } else {
                    recordStartLine = line
                    recordStartOffset = byteOffset + Int64(i)
                    isInRecord = true
                    o = 0
                    f = 0
                    state = .startField
                }

            case .startField:
                let b = inp[i]
                if b == quote {
                    quoteOpenLine = line
                    state = .inQuoted
                    i += 1
                } else if b == d || b == lf || b == cr {
                    guard f < endsCap else { return (.endsFull, i) }
                    endsBase![f] = o
                    f += 1
                    i += 1
                    if b != d {
                        line += 1
                        state = b == cr ? .startRecordAfterCR : .startRecord
                        isInRecord = false
                        return (.record, i)
                    }
                } else {
                    state = .inField
                }

            case .inField:
                // Hot loop: ordinary bytes of an unquoted field.
                let stop = i + min(n - i, outCap - o)
                CSVTokenizer.copyWords(from: inp, to: out!, i: &i, o: &o, stop: stop, until: d, lf, cr)
                while i < stop {
                    let b = inp[i]
                    if b == d || b == lf || b == cr { break }
                    out![o] = b
                    o += 1
                    i += 1
                }
                if i == n { break }
                let b = inp[i]
                guard b == d || b == lf || b == cr else { return (.outputFull, i) }
                guard f < endsCap else { return (.endsFull, i) }
                endsBase![f] = o
                f += 1
                i += 1
                if b == d {
                    state = .startField
                } else {
                    line += 1
                    state = b == cr ? .startRecordAfterCR : .startRecord
                    isInRecord = false
                    return (.record, i)
                }

            case .inQuoted, .inQuotedAfterCR:
                if state == .inQuotedAfterCR {
                    state = .inQuoted
                    if inp[i] == lf {
                        guard o < outCap else { state = .inQuotedAfterCR; return (.outputFull, i) }
                        out![o] = lf
                        o += 1
                        i += 1
                        continue
                    }
                }
                // Hot loop: ordinary bytes of a quoted field.
                let stop = i + min(n - i, outCap - o)
                CSVTokenizer.copyWords(from: inp, to: out!, i: &i, o: &o, stop: stop, until: quote, lf, cr)
                while i < stop {
                    let b = inp[i]
                    if b == quote || b == lf || b == cr { break }
                    out![o] = b
                    o += 1
                    i += 1
                }
                if i == n { break }
                let b = inp[i]
                if b == quote {
                    state = .quoteInQuoted
                    i += 1
                } else {
                    guard b == lf || b == cr, o < outCap else { return (.outputFull, i) }
                    out![o] = b
                    o += 1
                    i += 1
                    line += 1
                    if b == cr { state = .inQuotedAfterCR }
                }

            case .quoteInQuoted:
                let b = inp[i]
                if b == quote {
                    guard o < outCap else { return (.outputFull, i) }
                    out![o] = quote
                    o += 1
                    i += 1
                    state = .inQuoted
                } else if b == d || b == lf || b == cr {
                    guard f < endsCap else { return (.endsFull, i) }
                    endsBase![f] = o
                    f += 1
                    i += 1
                    if b == d {
                        state = .startField
                    } else {
                        line += 1
                        state = b == cr ? .startRecordAfterCR : .startRecord
                        isInRecord = false
                        return (.record, i)
                    }
                } else {
                    // Lenient: text after the closing quote joins the field.
                    state = .inField
                }

            case .finished:
                return (.end, i)
            }
        }
        return (.inputEmpty, i)
    }

    /// The end of input: closes a record in progress.
    private mutating func finish(_ ends: UnsafeMutableBufferPointer<Int>) -> (step: Step, consumed: Int) {
        switch state {
        case .startRecord, .startRecordAfterCR, .finished:
            state = .finished
            return (.end, 0)
        case .inQuoted, .inQuotedAfterCR:
            return (.unclosedQuote, 0)
        case .startField, .inField, .quoteInQuoted:
            guard fieldCount < ends.count else { return (.endsFull, 0) }
            ends[fieldCount] = outputCount
            fieldCount += 1
            state = .finished
            isInRecord = false
            return (.record, 0)
        }
    }
}
