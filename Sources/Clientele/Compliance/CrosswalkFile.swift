import ClienteleFormats
import ClienteleIO

/// Reading an archive's `crosswalk.csv` (`system,source_id,file,line,ref,disposition`), streamed.
///
/// ```swift
/// try CrosswalkFile.forEachRow(in: "archive/crosswalk.csv") { row in print(row.ref) }
/// ```
enum CrosswalkFile {
    static let header = ["system", "source_id", "file", "line", "ref", "disposition"]

    /// One row: its six cells in header order.
    struct Row {
        var fields: [String]
        var ref: String { fields[4] }
    }

    /// Calls `body` with each row.
    ///
    /// - Throws: ``ClienteleError/format(_:)`` when the header or a row is not a crosswalk's.
    static func forEachRow(in path: String, _ body: (Row) throws(ClienteleError) -> Void) throws(ClienteleError) {
        do {
            let source = try FileByteSource(path: path)
            let reader = try CSVReader(source: source, options: CSVOptions(delimiter: UInt8(ascii: ","), maxRecordBytes: ArchiveReader.maxRecordBytes))
            guard reader.header == header else {
                throw ClienteleError.format(.badHeader(file: path, detail: "expected \(header.joined(separator: ",")), found \(reader.header.joined(separator: ","))"))
            }
            while let row = try reader.next() {
                if let defect = row.defect {
                    throw ClienteleError.format(.malformed(file: path, line: row.position.line, byteOffset: row.position.byteOffset, detail: defect.description))
                }
                try body(Row(fields: row.fields))
            }
        } catch {
            throw ClienteleError(wrapping: error, file: path)
        }
    }
}
