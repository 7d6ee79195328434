/// One data row of a CSV file, with where it starts and what is wrong with it, if anything.
///
/// ```swift
/// while let record = try reader.next() {
///     if let defect = record.defect { print("\(record.position): \(defect)") }
/// }
/// ```
public struct CSVRecord: Sendable {
    /// The fields as parsed (unquoted, decoded); as many as the row has, which may differ from
    /// the header when ``defect`` is a field-count defect.
    public var fields: [String]
    /// The line where the record starts (the header is line 1), the byte offset of its first
    /// byte, and its 1-based index among the data records.
    public var position: SourcePosition
    /// `.invalidUTF8(byteOffset:)` (first bad byte, absolute; the fields then hold U+FFFD in its
    /// place), else `.fieldCount(expected:actual:)`, else `nil`.
    public var defect: RecordDefect?

    public init(fields: [String], position: SourcePosition, defect: RecordDefect? = nil) {
        self.fields = fields
        self.position = position
        self.defect = defect
    }
}
