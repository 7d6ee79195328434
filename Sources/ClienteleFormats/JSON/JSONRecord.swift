/// One record read by a ``JSONRecordReader``: a value, where it starts, and what is wrong with it.
public struct JSONRecord: Sendable {
    /// The parsed value; `.null` when `defect != nil` and nothing could be parsed.
    public var value: JSONValue
    /// The line and byte where the record's value starts; `record` is 1-based among the records.
    public var position: SourcePosition
    /// `.malformed(detail:)` or `.invalidUTF8(byteOffset:)` when the record must be rejected.
    public var defect: RecordDefect?
    /// A JSON Lines record's own text (its line, blanks and line break aside), when it parsed: a
    /// caller keeping the record as text copies these bytes instead of writing the value out again
    /// (that was a seventh of a JSON Lines import). `nil` for array elements and for defects.
    public var text: [UInt8]?

    public init(value: JSONValue, position: SourcePosition, defect: RecordDefect? = nil, text: [UInt8]? = nil) {
        self.value = value
        self.position = position
        self.defect = defect
        self.text = text
    }
}
