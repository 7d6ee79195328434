/// How a ``CSVReader`` reads a file.
///
/// ```swift
/// let options = CSVOptions(delimiter: UInt8(ascii: ";"), encoding: .windows1252)
/// ```
public struct CSVOptions: Sendable {
    /// The field separator; `nil` detects it from the header line among `,` `;` tab `|`
    /// (the most frequent outside quotes; a tie goes to the earlier in that list, so `,` first).
    /// It must not be a quote, CR or LF; the command line checks that.
    public var delimiter: UInt8?
    /// The text encoding of the file.
    public var encoding: TextEncoding
    /// The largest record in bytes (not counting its line break); a longer one stops the read
    /// with ``FormatError/recordTooLarge(file:line:limit:)``, or with
    /// ``FormatError/unterminatedQuote(file:line:)`` when it is inside a quoted field.
    /// Memory stays within a small multiple of it.
    public var maxRecordBytes: Int

    public init(delimiter: UInt8? = nil, encoding: TextEncoding = .utf8, maxRecordBytes: Int = 1 << 20) {
        self.delimiter = delimiter
        self.encoding = encoding
        self.maxRecordBytes = max(1, maxRecordBytes)
    }

    /// The delimiters that detection chooses from, in tie-breaking order.
    public static let detectableDelimiters: [UInt8] = [
        UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|"),
    ]
}
