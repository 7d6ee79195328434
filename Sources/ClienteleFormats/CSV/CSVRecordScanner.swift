import ClienteleIO

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// CSVRecordScanner: the buffers and refill logic under CSVReader.
//
// Invariants:
// - `buffer[0..<filled]` holds input bytes; `buffer[0]` is at absolute offset `bufferBase`;
//   `readIndex` is the next byte to feed the tokenizer.
// - A record in progress keeps all its raw bytes in the buffer: a refill first moves the bytes
//   from the record's start (or from `readIndex` between records) to the front. After
//   `nextRecord()` returns true, the record's raw bytes are `buffer[rawStart..<readIndex]`.
// - The tokenizer is never fed more than `limit + 1` bytes of one record, so a record's raw
//   bytes, its field bytes and its field count stay within `limit + 1`, and every buffer stays
//   within twice that (they only grow by doubling when full).

/// The read buffer, the record buffers and the tokenizer of a ``CSVReader``.
final class CSVRecordScanner {
    let source: ByteSource
    let limit: Int
    var tokenizer: CSVTokenizer
    private var buffer: UnsafeMutableBufferPointer<UInt8>
    private var bufferBase: Int64 = 0
    private var readIndex = 0
    private var filled = 0
    private var atEOF = false
    private(set) var output: UnsafeMutableBufferPointer<UInt8>
    private(set) var ends: UnsafeMutableBufferPointer<Int>

    init(source: ByteSource, limit: Int) {
        self.source = source
        // Clamped so that `limit + 1` and buffer doubling cannot overflow.
        self.limit = min(max(1, limit), Int.max / 8)
        tokenizer = CSVTokenizer(delimiter: UInt8(ascii: ","))
        buffer = .allocate(capacity: 1 << 20)
        output = .allocate(capacity: min(1 << 16, limit + 1))
        ends = .allocate(capacity: 256)
    }

    deinit {
        buffer.deallocate()
        output.deallocate()
        ends.deallocate()
    }

    // MARK: - Start of input

    /// Skips a UTF-8 byte order mark at the very start.
    func skipByteOrderMark() throws(FormatError) {
        while filled < 3, !atEOF { try refill() }
        if filled >= 3, buffer[0] == 0xEF, buffer[1] == 0xBB, buffer[2] == 0xBF { readIndex = 3 }
    }

    /// The most frequent of the candidate delimiters outside quotes on the first non-blank line.
    func detectDelimiter(among candidates: [UInt8]) throws(FormatError) -> UInt8 {
        var counts = [Int](repeating: 0, count: 256)
        while true {
            counts = [Int](repeating: 0, count: 256)
            var inQuotes = false
            var started = false
            var complete = false
            var i = readIndex
            let stop = min(filled, readIndex + limit + 1)
            while i < stop {
                let b = buffer[i]
                i += 1
                if b == UInt8(ascii: "\"") {
                    inQuotes.toggle()
                } else if !inQuotes, b == 10 || b == 13 {
                    if started { complete = true; break }
                    continue
                } else if !inQuotes {
                    counts[Int(b)] += 1
                }
                started = true
            }
            if complete || atEOF || stop < filled || filled - readIndex > limit { break }
            try refill()
        }
        var best = candidates[0]
        for c in candidates where counts[Int(c)] > counts[Int(best)] { best = c }
        return best
    }

    /// Starts tokenizing with `delimiter` at the current position.
    func start(delimiter: UInt8) {
        tokenizer = CSVTokenizer(delimiter: delimiter, byteOffset: bufferBase + Int64(readIndex))
    }

    // MARK: - Records

    /// Reads the next record into ``output`` / ``ends``; `false` at the end of input.
    func nextRecord() throws(FormatError) -> Bool {
        var tokenizer = self.tokenizer
        defer { self.tokenizer = tokenizer }
        while true {
            let available = filled - readIndex
            if available == 0, !atEOF {
                self.tokenizer = tokenizer
                try refill()
                continue
            }
            var take = available
            if take > 0, tokenizer.isInRecord {
                let soFar = Int(bufferBase + Int64(readIndex) - tokenizer.recordStartOffset)
                take = min(available, max(1, limit + 1 - soFar))
            } else if take > 0 {
                take = min(available, limit + 1)
            }
            let (step, consumed) = tokenizer.readRecord(
                UnsafeBufferPointer(start: buffer.baseAddress! + readIndex, count: take),
                output: output, ends: ends)
            readIndex += consumed
            switch step {
            case .record:
                return true
            case .end:
                return false
            case .inputEmpty:
                if tokenizer.isInRecord,
                   bufferBase + Int64(readIndex) - tokenizer.recordStartOffset > Int64(limit) {
                    if tokenizer.isInQuotedField {
                        throw .unterminatedQuote(file: source.name, line: tokenizer.quoteOpenLine)
                    }
                    throw .recordTooLarge(file: source.name, line: tokenizer.recordStartLine, limit: limit)
                }
            case .outputFull:
                output = Self.grown(output, keeping: tokenizer.outputCount)
            case .endsFull:
                ends = Self.grown(ends, keeping: tokenizer.fieldCount)
            case .unclosedQuote:
                throw .unterminatedQuote(file: source.name, line: tokenizer.quoteOpenLine)
            }
        }
    }

    /// The raw bytes of the record just read (from its first byte through its line break).
    func withRawRecord<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let start = Int(tokenizer.recordStartOffset - bufferBase)
        return body(UnsafeBufferPointer(start: buffer.baseAddress! + start, count: readIndex - start))
    }

    /// The bytes of field `k` of the record just read.
    @inline(__always)
    func field(_ k: Int) -> UnsafeBufferPointer<UInt8> {
        let start = k == 0 ? 0 : ends[k - 1]
        return UnsafeBufferPointer(start: output.baseAddress! + start, count: ends[k] - start)
    }

    /// Bytes fed to the tokenizer so far.
    var bytesConsumed: Int64 { tokenizer.byteOffset }

    // MARK: - Buffers

    /// Moves the bytes still needed to the front of the buffer and reads more after them.
    private func refill() throws(FormatError) {
        let keepFrom = tokenizer.isInRecord
            ? min(readIndex, Int(tokenizer.recordStartOffset - bufferBase)) : readIndex
        if keepFrom > 0 {
            let kept = filled - keepFrom
            if kept > 0 {
                memmove(buffer.baseAddress!, buffer.baseAddress! + keepFrom, kept)
            }
            bufferBase += Int64(keepFrom)
            readIndex -= keepFrom
            filled = kept
        }
        if filled == buffer.count { buffer = Self.grown(buffer, keeping: filled) }
        let free = UnsafeMutableRawBufferPointer(
            start: buffer.baseAddress! + filled, count: buffer.count - filled)
        let n: Int
        do { n = try source.read(into: free) } catch { throw .io(error) }
        if n == 0 { atEOF = true }
        filled += n
    }

    private static func grown<T>(_ old: UnsafeMutableBufferPointer<T>, keeping count: Int) -> UnsafeMutableBufferPointer<T> {
        let new = UnsafeMutableBufferPointer<T>.allocate(capacity: old.count * 2)
        if count > 0 { new.baseAddress!.initialize(from: old.baseAddress!, count: count) }
        old.deallocate()
        return new
    }
}
