import ClienteleFormats
import ClienteleTestSupport
import PropertyBased
import Testing

@Suite struct CSVTokenizerTests {
    /// Runs the tokenizer by hand with `chunk`-byte inputs and buffers that start tiny and grow
    /// only when it asks, as a reader would.
    func tokenize(_ bytes: [UInt8], chunk: Int, delimiter: UInt8 = UInt8(ascii: ",")) -> (records: [[String]], lines: [Int], steps: Set<String>) {
        var tokenizer = CSVTokenizer(delimiter: delimiter)
        var output = [UInt8](repeating: 0, count: 1)
        var ends = [Int](repeating: 0, count: 1)
        var records: [[String]] = []
        var lines: [Int] = []
        var steps: Set<String> = []
        var at = 0
        while true {
            let end = min(bytes.count, at + chunk)
            let (step, consumed) = bytes[at..<end].withUnsafeBufferPointer { input in
                output.withUnsafeMutableBufferPointer { o in
                    ends.withUnsafeMutableBufferPointer { e in tokenizer.readRecord(input, output: o, ends: e) }
                }
            }
            at += consumed
            steps.insert("\(step)")
            switch step {
            case .record:
                var fields: [String] = []
                var start = 0
                for k in 0..<tokenizer.fieldCount {
                    fields.append(String(decoding: output[start..<ends[k]], as: UTF8.self))
                    start = ends[k]
                }
                records.append(fields)
                lines.append(tokenizer.recordStartLine)
            case .end, .unclosedQuote:
                return (records, lines, steps)
            case .outputFull:
                output += [UInt8](repeating: 0, count: output.count)
            case .endsFull:
                ends += [Int](repeating: 0, count: ends.count)
            case .inputEmpty:
                #expect(at == end)  // a non-final input is used up
            }
        }
    }

    @Test func tinyBuffersAndChunksGiveTheSameRecords() {
        let text = "a,b,c\n\"x,\"\"y\"\"\",2,3\r\n\r\nlong field here,\"q\nr\",\n\"open"
        let reference = tokenize(Array(text.utf8), chunk: text.utf8.count)
        #expect(reference.records == [
            ["a", "b", "c"], ["x,\"y\"", "2", "3"], ["long field here", "q\nr", ""],
        ])
        #expect(reference.lines == [1, 2, 4])
        for chunk in 1...9 {
            let result = tokenize(Array(text.utf8), chunk: chunk)
            #expect(result.records == reference.records, "chunk \(chunk)")
            #expect(result.lines == reference.lines)
            #expect(result.steps.contains("outputFull") && result.steps.contains("endsFull"))
            #expect(result.steps.contains("unclosedQuote"))
        }
    }

    @Test func endOfInputClosesTheLastRecord() {
        #expect(tokenize(Array("a,".utf8), chunk: 1).records == [["a", ""]])
        #expect(tokenize(Array("\"a\"".utf8), chunk: 1).records == [["a"]])
        #expect(tokenize(Array("\n\n".utf8), chunk: 1).records == [])
    }

    @Test func positionsAreAbsolute() {
        var tokenizer = CSVTokenizer(delimiter: UInt8(ascii: ";"), byteOffset: 100, line: 7)
        var output = [UInt8](repeating: 0, count: 16)
        var ends = [Int](repeating: 0, count: 4)
        let bytes = Array("\r\n\nx;y\n".utf8)
        let (step, consumed) = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { o in
                ends.withUnsafeMutableBufferPointer { e in tokenizer.readRecord(input, output: o, ends: e) }
            }
        }
        #expect(step == .record)
        #expect(consumed == bytes.count)
        #expect(tokenizer.recordStartOffset == 103)
        #expect(tokenizer.recordStartLine == 9)
        #expect(tokenizer.line == 10)
        #expect(tokenizer.byteOffset == 107)
        #expect(Array(ends[0..<tokenizer.fieldCount]) == [1, 2])
    }
}

@Suite struct CSVTextEncodingTests {
    @Test func validatorAgreesWithTheStandardLibrary() async {
        let byte = Gen<UInt8>.frequency([
            (weight: 4, gen: Gen<UInt8>.value(in: 0x20...0x7E).eraseToAnySequence()),
            (weight: 3, gen: Gen<UInt8>.value(in: 0x80...0xBF).eraseToAnySequence()),
            (weight: 3, gen: Gen<UInt8>.value(in: 0xC0...0xFF).eraseToAnySequence()),
        ])
        await propertyCheck(count: 2_000, input: byte.array(of: 0...24)) { bytes in
            let valid = String(validating: bytes, as: UTF8.self) != nil
            let bad = bytes.withUnsafeBufferPointer { TextEncoding.firstInvalidUTF8($0) }
            #expect((bad == nil) == valid)
            if let bad {
                // Everything before the reported byte is valid on its own.
                #expect(String(validating: bytes[..<bad], as: UTF8.self) != nil)
            }
        }
    }

    @Test(arguments: [
        ([0xC0, 0x80], 0),  // overlong
        ([0x61, 0xE0, 0x9F, 0x80], 1),  // overlong three-byte
        ([0xED, 0xA0, 0x80], 0),  // surrogate
        ([0xF4, 0x90, 0x80, 0x80], 0),  // above U+10FFFF
        ([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0x69, 0xE2, 0x82], 9),  // cut short
        ([0xE2, 0x82, 0xAC, 0x80], 3),  // stray continuation
    ] as [([UInt8], Int)])
    func validatorReportsTheFirstBadByte(bytes: [UInt8], index: Int) {
        #expect(bytes.withUnsafeBufferPointer { TextEncoding.firstInvalidUTF8($0) } == index)
    }
}
