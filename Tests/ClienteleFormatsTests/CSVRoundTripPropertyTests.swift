import ClienteleFormats
import ClienteleIO
import ClienteleTestSupport
import PropertyBased
import Testing

/// CSVWriter → CSVReader gives back the same fields, whatever the fields hold.
@Suite struct CSVRoundTripPropertyTests {
    /// Characters that stress quoting: every delimiter, quotes, CR, LF, CRLF (one Character),
    /// spaces, and non-ASCII of two, three and four UTF-8 bytes.
    static let alphabet: [Character] = [
        "a", "Z", "0", ",", ";", "\t", "|", "\"", "\r", "\n", "\r\n", " ", "é", "€", "😀", "ß", "=", "'",
    ]
    /// Up to 24 characters: past two of the tokenizer's eight-byte steps, so a stop byte lands at
    /// every offset of a word, in quoted and unquoted fields.
    static let field = Gen<Character?>.element(of: alphabet).map { $0! }.string(of: 0...24)
    static let table = field.array(of: 5).array(of: 0...12)

    @Test(arguments: CSVOptions.detectableDelimiters)
    func writeThenReadGivesTheSameFields(delimiter: UInt8) async {
        await propertyCheck(count: 200, input: Gen.int(in: 1...5), Self.table, Gen.int(in: 0...1_000)) {
            columns, table, seed in
            let header = (0..<columns).map { "c\($0)" }
            let rows = table.map { Array($0.prefix(columns)) }
            let sink = MemoryByteSink()
            var writer = CSVWriter(sink: sink, delimiter: delimiter)
            try writer.writeRecord(header)
            for row in rows { try writer.writeRecord(row) }
            try writer.flush()

            // Detection is unambiguous only with two columns or more.
            let options = CSVOptions(delimiter: columns >= 2 ? nil : delimiter)
            for feed in [CSVFeed.whole, .random1to8] {
                let result = try csvRead(sink.bytes, feed: feed, options: options, seed: UInt64(seed))
                #expect(result.delimiter == delimiter)
                #expect(result.header == header)
                #expect(result.rows == rows)
                #expect(result.records.allSatisfy { $0.defect == nil })
                #expect(result.records.map(\.position.record) == Array(stride(from: 1, through: rows.count, by: 1)))
            }
        }
    }

    /// Lines counted by the reader agree with the line breaks the writer emitted.
    @Test func recordLinesMatchWrittenLineBreaks() async {
        await propertyCheck(count: 200, input: Self.table) { table in
            let rows = table.map { Array($0.prefix(3)) }
            let sink = MemoryByteSink()
            var writer = CSVWriter(sink: sink)
            try writer.writeRecord(["a", "b", "c"])
            var expectedLines: [Int] = []
            var line = 2
            for row in rows {
                expectedLines.append(line)
                try writer.writeRecord(row)
                // Each LF, CRLF or lone CR in a field is one more physical line.
                line += 1 + row.joined(separator: ",").unicodeScalars.reduce(into: (count: 0, afterCR: false)) { acc, s in
                    if s == "\n" { if !acc.afterCR { acc.count += 1 } } else if s == "\r" { acc.count += 1 }
                    acc.afterCR = s == "\r"
                }.count
            }
            try writer.flush()
            let result = try csvRead(sink.bytes, options: CSVOptions(delimiter: UInt8(ascii: ",")))
            #expect(result.records.map(\.position.line) == expectedLines)
        }
    }
}
