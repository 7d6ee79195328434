import ClienteleFormats
import ClienteleIO

/// Reads an input the way `import` does, up to its records and no further (no mapping, nothing
/// written): measures a reader on its own, and tells whether a file reads at all.
///
/// ```swift
/// let result = try InputScan.run(path: "customers.xml", options: ImportOptions(inputs: [], outputDirectory: nil))
/// print(result.records, result.defects)
/// ```
public enum InputScan {
    public struct Result: Sendable {
        /// The format detected from the content (`csv`, `jsonl`, `json`, `xml`).
        public var format: String
        public var records = 0
        /// Records the reader handed up with a defect (they would be rejected).
        public var defects = 0
        /// Bytes read from the file (compressed bytes for a gzipped input).
        public var bytes: Int64 = 0
    }

    /// Reads every record of `path`.
    ///
    /// - Throws: ``ClienteleError`` as `import` would for the same input.
    public static func run(path: String, options: ImportOptions) throws(ClienteleError) -> Result {
        let stream = try InputRecordStream(path: path, options: options)
        var result = Result(format: stream.formatName)
        while let record = try stream.next() {
            result.records += 1
            if record.defect != nil { result.defects += 1 }
        }
        result.bytes = stream.opened.file.bytesRead
        return result
    }
}
