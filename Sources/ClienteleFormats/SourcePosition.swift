/// Where a record starts in its input: attached to every record and every format error.
///
/// `line` is 1-based and counts physical lines (a quoted CSV field with newlines spans several);
/// `byteOffset` is 0-based in the decoded (decompressed) byte stream; `record` is the 1-based
/// index of the record among the data records of the file (a CSV header is not a record).
public struct SourcePosition: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var byteOffset: Int64
    public var record: Int

    public init(line: Int, byteOffset: Int64, record: Int) {
        self.line = line
        self.byteOffset = byteOffset
        self.record = record
    }

    public var description: String { "record \(record) (line \(line), byte \(byteOffset))" }
}
