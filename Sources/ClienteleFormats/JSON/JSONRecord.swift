/// One record read by a ``JSONRecordReader``: a value, where it starts, and what is wrong with it.
public struct JSONRecord: Sendable {
    /// The parsed value; `.null` when `defect != nil` and nothing could be parsed.
    public var value: JSONValue
    /// The line and byte where the record's value starts; `record` is 1-based among the records.
    public var position: SourcePosition
    /// `.malformed(detail:)` or `.invalidUTF8(byteOffset:)` when the record must be rejected.
    public var defect: RecordDefect?

    public init(value: JSONValue, position: SourcePosition, defect: RecordDefect? = nil) {
        self.value = value
        self.position = position
        self.defect = defect
    }
}
