/// One record read by an ``XMLRecordReader``: a value, where it starts, and what is wrong with it.
public struct XMLRecord: Sendable {
    /// The record as a JSON-shaped tree (an object of its child elements); `.null` when the record
    /// had to be skipped whole (too large), or what could be read of it when it is defective.
    public var value: JSONValue
    /// The line of the record's start tag, the byte offset of its `<`, and its 1-based number
    /// among the records of the document.
    public var position: SourcePosition
    /// Set when the record must be rejected: it is not well-formed (the reader resynchronized at
    /// the next record), does not have the layout's shape, or fails the schema.
    public var defect: RecordDefect?

    public init(value: JSONValue, position: SourcePosition, defect: RecordDefect? = nil) {
        self.value = value
        self.position = position
        self.defect = defect
    }
}
