import ClienteleIO

/// Streams the records of a JSON Lines file or of one top-level array, never holding more than
/// one record.
///
/// The layout is decided by the first non-blank byte (after an optional UTF-8 BOM): `[` means one
/// top-level array whose elements are the records, anything else means JSON Lines (one value per
/// non-blank line, LF or CRLF).
///
/// Problems confined to one record come back as the record's ``JSONRecord/defect``:
/// a line that does not parse (`.malformed`, and the reader resumes at the next line), a value that
/// is not an object (`.malformed("expected an object, found …")`), invalid UTF-8
/// (`.invalidUTF8(byteOffset:)`, absolute), or a lone surrogate escape (`.malformed`, replaced by
/// U+FFFD in the value). Problems that break the stream throw: a syntax error inside an array,
/// content after its `]` or a missing `]` (``FormatError/malformed(file:line:byteOffset:detail:)``),
/// a record over `maxRecordBytes` (``FormatError/recordTooLarge(file:line:limit:)``), nesting over
/// `maxDepth` (``FormatError/tooDeep(file:line:limit:)``) and I/O errors (``FormatError/io(_:)``).
///
/// ```swift
/// let reader = try JSONRecordReader(source: try FileByteSource(path: "customers.jsonl"))
/// while let record = try reader.next() {
///     if let defect = record.defect { reject(record.position, defect) } else { accept(record.value) }
/// }
/// ```
public final class JSONRecordReader {
    /// How the records are laid out in the input.
    public enum Layout: Sendable {
        /// JSON Lines: one value per non-blank line.
        case lines
        /// One top-level array of values.
        case array
    }

    /// Decided at `init` by the first non-blank byte: `[` → `.array`, anything else → `.lines`.
    public let layout: Layout
    private let source: ByteSource
    private let storage: UnsafeMutableRawBufferPointer
    private var stream: JSONRecordStream

    /// Opens a reader and reads up to the first non-blank byte to decide the layout.
    ///
    /// - Parameters:
    ///   - source: the decoded (decompressed) input.
    ///   - maxRecordBytes: the largest record accepted, in bytes (a line without its line break).
    ///   - maxDepth: the deepest nesting accepted inside one record (the record object is level 1).
    /// - Throws: ``FormatError/io(_:)`` when the source fails.
    public init(source: ByteSource, maxRecordBytes: Int = 1 << 20, maxDepth: Int = 64) throws(FormatError) {
        self.source = source
        // One reusable buffer: 1 MiB, or more when a record may be larger (a line needs its CR and LF too).
        let capacity = max(1 << 20, maxRecordBytes + 2)
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity, alignment: 16)
        var stream = JSONRecordStream(
            name: source.name, buffer: storage, maxRecordBytes: maxRecordBytes, maxDepth: maxDepth)
        do { try stream.detectLayout(source) } catch {
            storage.deallocate()
            throw error
        }
        self.storage = storage
        self.stream = stream
        self.layout = stream.layout
    }

    deinit { storage.deallocate() }

    /// The next record, or nil at the end of the input.
    ///
    /// - Throws: ``FormatError`` when the input cannot be read on (see the type's discussion).
    public func next() throws(FormatError) -> JSONRecord? {
        switch layout {
        case .lines: return try stream.nextLine(source)
        case .array: return try stream.nextElement(source)
        }
    }

    /// The number of input bytes consumed so far (for progress).
    public var bytesConsumed: Int64 { Int64(stream.bytesConsumed) }
}
