import ClienteleIO

/// Reads a CSV file record by record, streaming: RFC 4180 with a header row.
///
/// The header is read by `init`; ``next()`` returns each data record with its position and any
/// defect confined to it (a wrong field count, invalid UTF-8), and throws only when the input
/// cannot be read on (an unclosed quote, a record over the limit, an I/O error). Blank lines are
/// skipped; a UTF-8 byte order mark is dropped. Memory stays bounded by
/// ``CSVOptions/maxRecordBytes`` whatever the file size: a 1 MiB read buffer and the record's own
/// buffers are reused, and each field's String is built once.
///
/// ```swift
/// let reader = try CSVReader(source: try FileByteSource(path: "customers.csv"))
/// print(reader.header)                       // ["email", "first_name", …]
/// while let record = try reader.next() {
///     if let defect = record.defect { print("\(record.position): \(defect)"); continue }
///     use(record.fields)
/// }
/// ```
public final class CSVReader {
    /// The column names: BOM stripped (also a stray one at the start of a name), surrounding spaces
    /// trimmed; non-empty and unique.
    public let header: [String]
    /// The field separator, given or detected.
    public let delimiter: UInt8
    /// The options the reader was made with.
    public let options: CSVOptions

    private let scanner: CSVRecordScanner
    private var recordCount = 0

    /// Opens a CSV stream and reads its header row.
    ///
    /// - Throws: ``FormatError/badHeader(file:detail:)`` for a missing or empty header, invalid
    ///   UTF-8 in it, or empty or duplicate column names; the errors of ``next()`` otherwise.
    public init(source: ByteSource, options: CSVOptions = CSVOptions()) throws(FormatError) {
        self.options = options
        scanner = CSVRecordScanner(source: source, limit: options.maxRecordBytes)
        try scanner.skipByteOrderMark()
        if let given = options.delimiter {
            delimiter = given
        } else {
            delimiter = try scanner.detectDelimiter(among: CSVOptions.detectableDelimiters)
        }
        scanner.start(delimiter: delimiter)
        guard try scanner.nextRecord() else {
            throw .badHeader(file: source.name, detail: "the file has no header row")
        }
        if options.encoding == .utf8, let bad = scanner.withRawRecord({ TextEncoding.firstInvalidUTF8($0) }) {
            throw .badHeader(
                file: source.name,
                detail: "invalid UTF-8 at byte \(scanner.tokenizer.recordStartOffset + Int64(bad))")
        }
        var names: [String] = []
        var seen: Set<String> = []
        for k in 0..<scanner.tokenizer.fieldCount {
            let name = Self.columnName(options.encoding.decode(scanner.field(k)))
            if name.isEmpty {
                throw .badHeader(file: source.name, detail: "column \(k + 1) has no name")
            }
            if !seen.insert(name).inserted {
                throw .badHeader(file: source.name, detail: "column name \"\(name)\" appears twice")
            }
            names.append(name)
        }
        header = names
    }

    /// The next data record, or `nil` at the end of input.
    ///
    /// - Throws: ``FormatError/unterminatedQuote(file:line:)`` with the line where the quote
    ///   opened, ``FormatError/recordTooLarge(file:line:limit:)``, or ``FormatError/io(_:)``.
    public func next() throws(FormatError) -> CSVRecord? {
        guard try scanner.nextRecord() else { return nil }
        recordCount += 1
        let tokenizer = scanner.tokenizer
        let count = tokenizer.fieldCount
        let encoding = options.encoding
        var fields: [String] = []
        fields.reserveCapacity(count)
        // Pointers in locals: no class property access per field.
        let output = scanner.output.baseAddress!
        let ends = scanner.ends.baseAddress!
        var start = 0
        for k in 0..<count {
            let bytes = UnsafeBufferPointer(start: output + start, count: ends[k] - start)
            start = ends[k]
            fields.append(encoding == .utf8 ? String(decoding: bytes, as: UTF8.self) : encoding.decode(bytes))
        }
        let position = SourcePosition(
            line: tokenizer.recordStartLine, byteOffset: tokenizer.recordStartOffset, record: recordCount)
        var defect: RecordDefect?
        if encoding == .utf8, let bad = scanner.withRawRecord({ TextEncoding.firstInvalidUTF8($0) }) {
            defect = .invalidUTF8(byteOffset: tokenizer.recordStartOffset + Int64(bad))
        } else if count != header.count {
            defect = .fieldCount(expected: header.count, actual: count)
        }
        return CSVRecord(fields: fields, position: position, defect: defect)
    }

    /// Bytes of the input read into records so far (for progress display).
    public var bytesConsumed: Int64 { scanner.bytesConsumed }

    /// The name of the source, for messages.
    public var sourceName: String { scanner.source.name }

    /// A header cell as a column name: spaces trimmed, and a stray byte order mark (U+FEFF) at its
    /// start dropped. Files saved twice with a BOM, or with one after leading spaces, otherwise had
    /// a first column named "\u{FEFF}email" that matched nothing (found by fuzzing: such a name,
    /// written out first, starts a file with a BOM and does not read back).
    static func columnName(_ cell: String) -> String {
        var name = trimmingSpaces(cell)
        while name.unicodeScalars.first == "\u{FEFF}" { name = trimmingSpaces(String(name.unicodeScalars.dropFirst())) }
        return name
    }

    /// `string` without leading and trailing U+0020 spaces.
    static func trimmingSpaces(_ string: String) -> String {
        let utf8 = string.utf8
        guard let first = utf8.firstIndex(where: { $0 != 0x20 }) else { return "" }
        let last = utf8.lastIndex(where: { $0 != 0x20 })!
        return String(string[first...last])
    }
}
