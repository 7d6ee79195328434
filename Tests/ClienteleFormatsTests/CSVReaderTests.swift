import ClienteleFormats
import ClienteleIO
import ClienteleTestSupport
import Testing

@Suite struct CSVReaderTests {
    // MARK: - Shape of the input

    @Test(arguments: CSVFeed.allCases)
    func byteOrderMarkIsSkippedButCounted(feed: CSVFeed) throws {
        let result = try csvRead([0xEF, 0xBB, 0xBF] + Array("a,b\n1,2\n".utf8), feed: feed)
        #expect(result.header == ["a", "b"])
        #expect(result.rows == [["1", "2"]])
        #expect(result.records[0].position == SourcePosition(line: 2, byteOffset: 7, record: 1))
    }

    @Test(arguments: CSVFeed.allCases)
    func crlfLineEnds(feed: CSVFeed) throws {
        let result = try csvRead("a,b\r\n1,2\r\n3,4", feed: feed)
        #expect(result.header == ["a", "b"])
        #expect(result.rows == [["1", "2"], ["3", "4"]])
        #expect(result.records.map(\.position) == [
            SourcePosition(line: 2, byteOffset: 5, record: 1),
            SourcePosition(line: 3, byteOffset: 10, record: 2),
        ])
    }

    @Test(arguments: CSVFeed.allCases)
    func loneCarriageReturnEndsARecord(feed: CSVFeed) throws {
        let result = try csvRead("a,b\r1,2\r\r3,4\r", feed: feed)
        #expect(result.rows == [["1", "2"], ["3", "4"]])
        #expect(result.records.map(\.position.line) == [2, 4])
    }

    @Test(arguments: CSVFeed.allCases)
    func blankLinesAreSkippedAndCounted(feed: CSVFeed) throws {
        let result = try csvRead("\n\r\na,b\n\n1,2\n\r\n\n3,4\n\n", feed: feed)
        #expect(result.header == ["a", "b"])
        #expect(result.rows == [["1", "2"], ["3", "4"]])
        #expect(result.records.map(\.position.line) == [5, 8])
        #expect(result.records.map(\.position.byteOffset) == [8, 15])
        #expect(result.records.allSatisfy { $0.defect == nil })
    }

    @Test(arguments: CSVFeed.allCases)
    func emptyFieldsAndMissingFinalLineBreak(feed: CSVFeed) throws {
        let result = try csvRead("a,b,c\n,,\n1,,\n\"\",x,", feed: feed)
        #expect(result.rows == [["", "", ""], ["1", "", ""], ["", "x", ""]])
    }

    @Test(arguments: CSVFeed.allCases)
    func lenientQuotesLikeCsvCore(feed: CSVFeed) throws {
        // A quote inside an unquoted field is literal; text after a closing quote is appended.
        let result = try csvRead("a,b\n1,x\"y\"z\n\"ab\"cd,2\n \"q\",3\n", feed: feed)
        #expect(result.rows == [["1", "x\"y\"z"], ["abcd", "2"], [" \"q\"", "3"]])
    }

    @Test(arguments: CSVFeed.allCases)
    func lineNumbersAcrossQuotedNewlines(feed: CSVFeed) throws {
        let text = "a,b\n\"x\ny\nz\",1\n2,3\n\"p\r\nq\",4\r\n\"r\rs\",5\n6,7\n"
        let result = try csvRead(text, feed: feed)
        #expect(result.rows == [["x\ny\nz", "1"], ["2", "3"], ["p\r\nq", "4"], ["r\rs", "5"], ["6", "7"]])
        #expect(result.records.map(\.position.line) == [2, 5, 6, 8, 10])
        #expect(result.records.map(\.position.record) == [1, 2, 3, 4, 5])
    }

    // MARK: - Delimiters

    static let delimiters: [UInt8] = CSVOptions.detectableDelimiters

    @Test(arguments: delimiters, CSVFeed.allCases)
    func eachDelimiterGivenAndDetected(delimiter: UInt8, feed: CSVFeed) throws {
        let d = String(UnicodeScalar(delimiter))
        let others = ",;\t|".filter { String($0) != d }
        let text = "x\(d)y\(d)z\n1\(d)\(others)\(d)\"q\(d)r\"\n"
        let expected = [["1", others, "q\(d)r"]]
        for options in [CSVOptions(delimiter: delimiter), CSVOptions()] {
            let result = try csvRead(text, feed: feed, options: options)
            #expect(result.delimiter == delimiter)
            #expect(result.header == ["x", "y", "z"])
            #expect(result.rows == expected)
        }
    }

    @Test(arguments: [
        ("\"a,b,c\";d;e\n1;2;3\n", ";"),  // commas inside quotes do not count
        ("a;b,c\n", ","),  // a tie goes to the comma
        ("a;b|c|d\n", "|"),
        ("a\tb;c\td\n", "\t"),
        ("name\n", ","),  // one column: nothing to detect
        ("\n\na|b\n", "|"),  // leading blank lines are passed over
    ])
    func delimiterDetection(text: String, expected: String) throws {
        for feed in CSVFeed.allCases {
            let reader = try CSVReader(source: feed.source(Array(text.utf8)))
            #expect(reader.delimiter == expected.utf8.first!, "\(feed)")
        }
    }

    // MARK: - Record defects

    @Test(arguments: CSVFeed.allCases)
    func fieldCountDefectKeepsFieldsAndGoesOn(feed: CSVFeed) throws {
        let result = try csvRead("a,b,c\n1,2\n\n1,2,3,4\n5,6,7\n", feed: feed)
        #expect(result.rows == [["1", "2"], ["1", "2", "3", "4"], ["5", "6", "7"]])
        #expect(result.records.map(\.defect) == [
            .fieldCount(expected: 3, actual: 2), .fieldCount(expected: 3, actual: 4), nil,
        ])
        #expect(result.records.map(\.position.line) == [2, 4, 5])
    }

    @Test(arguments: CSVFeed.allCases)
    func invalidUTF8DefectWithAbsoluteOffset(feed: CSVFeed) throws {
        var bytes = Array("a,b\n1,2\nok,h".utf8)  // the bad record starts at byte 8
        bytes += [0xC3, 0x28] + Array("llo\n\"x\"\"y\",".utf8)  // 0xC3 at 12; next record at 18
        bytes += [0xFF] + Array("\n\"z\",q".utf8) + [0xC3] + Array(",é\n3,4\n".utf8)
        let result = try csvRead(bytes, feed: feed)
        #expect(result.records.count == 5)
        #expect(result.records.map(\.defect) == [
            nil, .invalidUTF8(byteOffset: 12), .invalidUTF8(byteOffset: 25), .invalidUTF8(byteOffset: 32), nil,
        ])
        #expect(result.records[1].fields == ["ok", "h\u{FFFD}(llo"])
        #expect(result.records[2].fields == ["x\"y", "\u{FFFD}"])
        // A sequence cut by the delimiter is bad at its lead byte, though the bytes are adjacent.
        #expect(result.records[3].fields == ["z", "q\u{FFFD}", "é"])
        #expect(result.records[4].fields == ["3", "4"])
    }

    @Test func invalidUTF8TakesPrecedenceOverFieldCount() throws {
        let result = try csvRead(Array("a,b\n".utf8) + [0x80] + Array("\n".utf8))
        #expect(result.records[0].defect == .invalidUTF8(byteOffset: 4))
    }

    // MARK: - Single-byte encodings

    @Test(arguments: CSVFeed.allCases)
    func windows1252Transcoding(feed: CSVFeed) throws {
        let bytes: [UInt8] = Array("Stra".utf8) + [0xDF, 0x65] + Array(",b\n".utf8)
            + [0x80, 0x41, 0xE9, 0x9F, 0x2C, 0x81, 0x8A, 0x9C, 0xFF, 0x0A]
        let result = try csvRead(bytes, feed: feed, options: CSVOptions(encoding: .windows1252))
        #expect(result.header == ["Straße", "b"])
        #expect(result.rows == [["€AéŸ", "\u{81}Šœÿ"]])
        #expect(result.records[0].defect == nil)
    }

    @Test(arguments: CSVFeed.allCases)
    func latin1Transcoding(feed: CSVFeed) throws {
        let bytes: [UInt8] = Array("a,b\n".utf8) + [0x80, 0x41, 0xE9, 0x9F, 0x2C, 0xA9, 0xFF, 0x0A]
        let result = try csvRead(bytes, feed: feed, options: CSVOptions(encoding: .latin1))
        #expect(result.rows == [["\u{80}Aé\u{9F}", "©ÿ"]])
    }

    @Test func everySingleByteDecodes() {
        for encoding in [TextEncoding.latin1, .windows1252] {
            for byte in UInt8(0)...UInt8(255) {
                let text = [byte].withUnsafeBufferPointer { encoding.decode($0) }
                #expect(text.unicodeScalars.count == 1)
                #expect(text.unicodeScalars.first!.value == encoding.scalarValue(ofSingleByte: byte))
            }
        }
        #expect(TextEncoding.windows1252.scalarValue(ofSingleByte: 0x80) == 0x20AC)
        #expect(TextEncoding.latin1.scalarValue(ofSingleByte: 0x80) == 0x80)
    }

    // MARK: - Errors

    @Test(arguments: CSVFeed.allCases)
    func unterminatedQuoteAtEndReportsOpeningLine(feed: CSVFeed) {
        let text = "a,b\n1,2\n\n3,\"open\nmore\nlines\n"
        #expect(csvReadError(Array(text.utf8), feed: feed) == .unterminatedQuote(file: "test-input", line: 4))
        #expect(csvReadError(Array("\"a,b\nc\n".utf8), feed: feed) == .unterminatedQuote(file: "test-input", line: 1))
    }

    @Test(arguments: CSVFeed.allCases)
    func unterminatedQuoteViaRecordLimit(feed: CSVFeed) {
        // The quote does close, but only after the limit: the reader stops at the limit.
        let text = "a,b\n1,2\n3,\"" + String(repeating: "x\n", count: 100) + "\",4\n5,6\n"
        let error = csvReadError(Array(text.utf8), feed: feed, options: CSVOptions(maxRecordBytes: 64))
        #expect(error == .unterminatedQuote(file: "test-input", line: 3))
        // With a large enough limit the same input reads.
        #expect(csvReadError(Array(text.utf8), feed: feed, options: CSVOptions(maxRecordBytes: 1000)) == nil)
    }

    @Test(arguments: CSVFeed.allCases)
    func recordTooLarge(feed: CSVFeed) throws {
        let limit = 16
        let fits = String(repeating: "x", count: limit - 2) + ",y"  // exactly the limit
        let text = "a,b\n1,2\n\(fits)\r\n" + String(repeating: "x", count: 40) + ",y\n"
        let error = csvReadError(Array(text.utf8), feed: feed, options: CSVOptions(maxRecordBytes: limit))
        #expect(error == .recordTooLarge(file: "test-input", line: 4, limit: limit))
        let ok = try csvRead("a,b\n1,2\n\(fits)\r\n", feed: feed, options: CSVOptions(maxRecordBytes: limit))
        #expect(ok.rows.last == [String(repeating: "x", count: limit - 2), "y"])
    }

    @Test(arguments: [
        ("", "empty input"),
        ("\n\r\n\n", "blank lines only"),
        ("\u{FEFF}", "a BOM only"),
        ("a,b,a\n", "duplicate name"),
        ("a, a\n", "duplicate after trimming"),
        ("a,,b\n", "empty name"),
        ("a,  ,b\n", "blank name"),
        ("\"\"\n1\n", "one empty name"),
    ])
    func badHeaders(text: String, why: String) {
        for feed in CSVFeed.allCases {
            guard case .badHeader(let file, _)? = csvReadError(Array(text.utf8), feed: feed) else {
                Issue.record("\(why): no badHeader (\(feed))")
                continue
            }
            #expect(file == "test-input")
        }
    }

    @Test func invalidUTF8InHeaderIsBad() {
        let bytes: [UInt8] = [0x61, 0x2C, 0xE9, 0x0A, 0x31, 0x2C, 0x32, 0x0A]
        guard case .badHeader(_, let detail)? = csvReadError(bytes) else {
            Issue.record("no badHeader")
            return
        }
        #expect(detail.contains("byte 2"))
        // The same bytes are fine as latin1.
        #expect(csvReadError(bytes, options: CSVOptions(encoding: .latin1)) == nil)
    }

    @Test func headerNamesAreTrimmedOfSpaces() throws {
        let result = try csvRead("\u{FEFF} first name , last ,\" x \"\n1,2,3\n")
        #expect(result.header == ["first name", "last", "x"])
        #expect(result.rows == [["1", "2", "3"]])
    }

    @Test func ioErrorsBecomeFormatErrors() {
        let source = FailingByteSource(goodBytes: Array("a,b\n1,2\n3,".utf8))
        do {
            let reader = try CSVReader(source: source)
            while try reader.next() != nil {}
            Issue.record("no error")
        } catch {
            #expect(error == .io(.readFailed(path: "failing", errno: 5)))
        }
    }

    // MARK: - Large inputs

    @Test func recordsSpanningReadBufferRefills() throws {
        // Over 3 MiB, records of up to 300 KB: exercises compaction, buffer growth and the
        // offsets of records that straddle the 1 MiB read buffer.
        var rng = SplitMix64(seed: 42)
        var bytes = Array("id,text,more\n".utf8)
        var expected: [(offset: Int, fields: [String])] = []
        var k = 0
        while bytes.count < 3 << 20 {
            k += 1
            let length = Int(rng.next() % (k % 7 == 0 ? 300_000 : 2_000))
            let text = String(repeating: "ab\"c,\n", count: length / 6)
            let many = k % 11 == 0 ? String(repeating: "|", count: 5_000) : "m"
            expected.append((bytes.count, [String(k), text, many]))
            let escaped = text.replacingOccurrences(of: "\"", with: "\"\"")
            bytes += Array("\(k),\"\(escaped)\",\(many)\n".utf8)
        }
        // One invalid byte far into the file.
        let badRecord = expected.count - 2
        let badOffset = expected[badRecord].offset + String(badRecord + 1).utf8.count + 2  // inside the quotes
        bytes[badOffset] = 0xFF
        for feed in [CSVFeed.whole, .random1to8] {
            let result = try csvRead(bytes, feed: feed)
            #expect(result.records.count == expected.count)
            for (record, want) in zip(result.records, expected) {
                #expect(record.position.byteOffset == Int64(want.offset))
                if record.position.record == badRecord + 1 {
                    #expect(record.defect == .invalidUTF8(byteOffset: Int64(badOffset)))
                } else {
                    #expect(record.defect == nil)
                    #expect(record.fields == want.fields)
                }
            }
        }
    }

    @Test func anUnclosedQuoteStopsAtTheLimitWithoutReadingOn() {
        // 8 MB of one quoted field from line 3 on: the reader must stop near the 1 MiB limit.
        let bytes = Array("a,b\n1,2\n3,\"".utf8) + [UInt8](repeating: UInt8(ascii: "x"), count: 8 << 20)
        let source = CountingByteSource(ChunkedByteSource(bytes, chunkSizes: [65_536]))
        do {
            let reader = try CSVReader(source: source)
            while try reader.next() != nil {}
            Issue.record("no error")
        } catch {
            #expect(error == .unterminatedQuote(file: "test-input", line: 3))
        }
        #expect(source.bytesRead <= (1 << 20) + (1 << 17))
    }

    @Test func manyFieldsInOneRecord() throws {
        let header = (0..<5_000).map { "c\($0)" }
        let row = (0..<5_000).map { String($0 * 7) }
        let text = header.joined(separator: ",") + "\n" + row.joined(separator: ",") + "\n"
        let result = try csvRead(text)
        #expect(result.header == header)
        #expect(result.rows == [row])
    }
}

/// A source that hands out some bytes, then fails like a disk error.
final class FailingByteSource: ByteSource {
    let name = "failing"
    private var bytes: [UInt8]
    init(goodBytes: [UInt8]) { bytes = goodBytes }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        guard !bytes.isEmpty else { throw .readFailed(path: name, errno: 5) }
        let n = min(buffer.count, bytes.count)
        buffer.copyBytes(from: bytes[0..<n])
        bytes.removeFirst(n)
        return n
    }
}

/// Counts the bytes a reader pulled from the wrapped source.
final class CountingByteSource: ByteSource {
    let base: ByteSource
    private(set) var bytesRead = 0
    var name: String { base.name }
    init(_ base: ByteSource) { self.base = base }
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        let n = try base.read(into: buffer)
        bytesRead += n
        return n
    }
}
