import Testing
import ClienteleFormats
import ClienteleIO
import ClienteleTestSupport

/// How a test feeds bytes to a reader: every reader must give the same records for each.
enum CSVFeed: CustomStringConvertible, CaseIterable {
    case whole, oneByte, random1to8

    var description: String {
        switch self {
        case .whole: "whole"
        case .oneByte: "one byte at a time"
        case .random1to8: "random chunks 1…8"
        }
    }

    func source(_ bytes: [UInt8], seed: UInt64 = 7) -> ChunkedByteSource {
        switch self {
        case .whole: ChunkedByteSource(bytes)
        case .oneByte: ChunkedByteSource(bytes, chunkSizes: [1])
        case .random1to8: ChunkedByteSource(bytes, randomChunksUpTo: 8, seed: seed)
        }
    }
}

/// A whole file read: the header and every record.
struct CSVReadResult {
    var header: [String]
    var delimiter: UInt8
    var records: [CSVRecord]
    var rows: [[String]] { records.map(\.fields) }
}

func csvRead(_ bytes: [UInt8], feed: CSVFeed = .whole, options: CSVOptions = CSVOptions(), seed: UInt64 = 7)
    throws(FormatError) -> CSVReadResult
{
    let reader = try CSVReader(source: feed.source(bytes, seed: seed), options: options)
    var records: [CSVRecord] = []
    while let record = try reader.next() { records.append(record) }
    #expect(reader.bytesConsumed == Int64(bytes.count))
    return CSVReadResult(header: reader.header, delimiter: reader.delimiter, records: records)
}

func csvRead(_ text: String, feed: CSVFeed = .whole, options: CSVOptions = CSVOptions()) throws(FormatError)
    -> CSVReadResult
{
    try csvRead(Array(text.utf8), feed: feed, options: options)
}

/// The error thrown while reading `bytes` whole (header and records), or `nil`.
func csvReadError(_ bytes: [UInt8], feed: CSVFeed = .whole, options: CSVOptions = CSVOptions()) -> FormatError? {
    do {
        _ = try csvRead(bytes, feed: feed, options: options)
        return nil
    } catch {
        return error
    }
}
