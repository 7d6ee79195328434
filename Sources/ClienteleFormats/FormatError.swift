import ClienteleIO

/// A problem in an input that the reader cannot recover from: the run stops (exit 65, or the
/// ``IOError``'s own code). Problems confined to one record are not thrown; readers hand them up
/// with the record (``RecordDefect``) so that the record is rejected and the run goes on.
public enum FormatError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A CSV quote opened at `line` is never closed (or not before `--max-record-bytes`).
    case unterminatedQuote(file: String, line: Int)
    /// One record exceeds the byte limit without being an unclosed quote.
    case recordTooLarge(file: String, line: Int, limit: Int)
    /// The document's structure is broken where the reader cannot resynchronize (a JSON array).
    case malformed(file: String, line: Int, byteOffset: Int64, detail: String)
    /// The CSV header row is missing or unusable.
    case badHeader(file: String, detail: String)
    /// Nesting deeper than the reader allows.
    case tooDeep(file: String, line: Int, limit: Int)
    /// The bytes below the format failed.
    case io(IOError)

    public var description: String {
        switch self {
        case let .unterminatedQuote(file, line):
            return "\(file):\(line): a quoted field opened on this line is never closed"
        case let .recordTooLarge(file, line, limit):
            return "\(file):\(line): record is larger than the limit of \(limit) bytes (--max-record-bytes)"
        case let .malformed(file, line, offset, detail):
            return "\(file):\(line): byte \(offset): \(detail)"
        case let .badHeader(file, detail):
            return "\(file):1: header: \(detail)"
        case let .tooDeep(file, line, limit):
            return "\(file):\(line): nesting deeper than \(limit) levels"
        case let .io(error):
            return error.description
        }
    }
}

/// A problem confined to one record: the reader hands the record up with it and goes on.
public enum RecordDefect: Equatable, Sendable, CustomStringConvertible {
    /// The row has a different number of fields than the header.
    case fieldCount(expected: Int, actual: Int)
    /// The record's bytes are not valid UTF-8; `byteOffset` is the first bad byte in the input.
    case invalidUTF8(byteOffset: Int64)
    /// The record is not well-formed (a JSON Lines line that does not parse, a JSON value that
    /// is not an object).
    case malformed(detail: String)

    public var description: String {
        switch self {
        case let .fieldCount(expected, actual):
            return "expected \(expected) fields as in the header, found \(actual)"
        case let .invalidUTF8(offset):
            return "invalid UTF-8 at byte \(offset)"
        case let .malformed(detail):
            return detail
        }
    }
}
