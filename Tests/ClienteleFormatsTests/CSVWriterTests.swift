import ClienteleFormats
import ClienteleIO
import ClienteleTestSupport
import Testing

@Suite struct CSVWriterTests {
    func written(_ records: [[String]], delimiter: UInt8 = UInt8(ascii: ","), guardFormulas: Bool = false) throws
        -> String
    {
        let sink = MemoryByteSink()
        var writer = CSVWriter(sink: sink, delimiter: delimiter, guardFormulas: guardFormulas)
        for record in records { try writer.writeRecord(record) }
        try writer.flush()
        #expect(!sink.isClosed)
        return sink.string
    }

    @Test(arguments: [
        ("plain", "plain"),
        ("", ""),
        ("a,b", "\"a,b\""),
        ("say \"hi\"", "\"say \"\"hi\"\"\""),
        ("\"", "\"\"\"\""),
        ("line\nbreak", "\"line\nbreak\""),
        ("cr\rhere", "\"cr\rhere\""),
        ("crlf\r\n", "\"crlf\r\n\""),
        (" lead", "\" lead\""),
        ("trail ", "\"trail \""),
        ("in side", "in side"),
        ("semi;colon", "semi;colon"),
        ("tab\there", "tab\there"),
        ("München", "München"),
        ("=1+1", "=1+1"),
    ])
    func quotingRules(field: String, expected: String) throws {
        #expect(try written([[field, "x"]]) == expected + ",x\n")
    }

    @Test func quotingFollowsTheDelimiter() throws {
        #expect(try written([["a;b", "c,d"]], delimiter: UInt8(ascii: ";")) == "\"a;b\";c,d\n")
        #expect(try written([["a\tb", "c"]], delimiter: 9) == "\"a\tb\"\tc\n")
        #expect(try written([["a|b", "c"]], delimiter: UInt8(ascii: "|")) == "\"a|b\"|c\n")
    }

    @Test func lineFeedEndsEveryRecord() throws {
        #expect(try written([["a", "b"], ["1", "2"], ["", ""]]) == "a,b\n1,2\n,\n")
    }

    @Test func aLoneEmptyFieldIsQuotedSoItIsNotABlankLine() throws {
        let text = try written([["name"], [""], ["x"]])
        #expect(text == "name\n\"\"\nx\n")
        let back = try csvRead(text)
        #expect(back.rows == [[""], ["x"]])
    }

    @Test(arguments: [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+1", "'+1"),
        ("-1", "'-1"),
        ("@cmd", "'@cmd"),
        ("\tx", "'\tx"),
        ("\rx", "\"'\rx\""),
        ("=a,b", "\"'=a,b\""),
        ("=\"q\"", "\"'=\"\"q\"\"\""),
        ("a=b", "a=b"),
        (" =x", "\" =x\""),
        ("", ""),
    ])
    func formulaGuard(field: String, expected: String) throws {
        #expect(try written([[field, "x"]], guardFormulas: true) == expected + ",x\n")
    }

    @Test func formulaGuardIsOffByDefault() throws {
        #expect(try written([["=1", "-2", "@3"]]) == "=1,-2,@3\n")
    }

    @Test func largeOutputIsFlushedInChunksAndComplete() throws {
        let sink = MemoryByteSink()
        var writer = CSVWriter(sink: sink)
        let record = ["0123456789", "quote\"d", "x"]
        for _ in 0..<10_000 { try writer.writeRecord(record) }
        #expect(sink.bytes.count > 0)  // flushed before the end, without being asked
        #expect(sink.bytes.count < 10_000 * 24)
        try writer.flush()
        #expect(sink.bytes.count == 10_000 * 24)
        let back = try csvRead(Array("a,b,c\n".utf8) + sink.bytes)
        #expect(back.rows.count == 10_000)
        #expect(back.rows.allSatisfy { $0 == record })
    }
}
