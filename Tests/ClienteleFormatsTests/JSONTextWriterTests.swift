import Testing
@testable import ClienteleFormats

@Suite struct JSONTextWriterTests {
    func written(_ body: (inout JSONTextWriter) -> Void) -> String {
        var writer = JSONTextWriter(capacity: 16)
        body(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func escapesEveryControlCharacter() {
        for byte in UInt8(0)..<0x20 {
            let text = written { $0.writeString(String(UnicodeScalar(byte))) }
            let expected: String
            switch byte {
            case 0x08: expected = #""\b""#
            case 0x09: expected = #""\t""#
            case 0x0A: expected = #""\n""#
            case 0x0C: expected = #""\f""#
            case 0x0D: expected = #""\r""#
            default:
                let hex = String(byte, radix: 16)
                expected = "\"\\u00" + (hex.count == 1 ? "0" + hex : hex) + "\""
            }
            #expect(text == expected, "byte \(byte)")
        }
        #expect(written { $0.writeString("\u{1F}\u{1B}") } == #""\u001f\u001b""#)  // lowercase hex
    }

    @Test func escapesQuotesAndBackslashOnly() {
        #expect(written { $0.writeString(#"say "hi" \ bye / now"#) } == #""say \"hi\" \\ bye / now""#)
        #expect(written { $0.writeString("München – 😀 \u{7F}") } == "\"München – 😀 \u{7F}\"")
        #expect(written { $0.writeString("") } == #""""#)
        #expect(written { $0.writeString("a\nb\"c") } == #""a\nb\"c""#)
    }

    @Test func writesValuesCompactlyInOrder() {
        let value = JSONValue.object([
            JSONMember("z", .number("100.50")),
            JSONMember("a", .array([.null, .bool(true), .bool(false), .string("x\ty"), .array([]), .object([])])),
            JSONMember("a", .number("-1e-7")),
        ])
        #expect(written { $0.write(value) } == #"{"z":100.50,"a":[null,true,false,"x\ty",[],{}],"a":-1e-7}"#)
    }

    @Test func rawAndRemoveAllKeepCapacity() {
        var writer = JSONTextWriter(capacity: 64)
        writer.writeRaw("{")
        writer.writeString("k")
        writer.writeRaw(":12}")
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"k":12}"#)
        let capacity = writer.capacity
        #expect(capacity >= 64)
        writer.removeAll()
        #expect(writer.bytes.isEmpty && writer.count == 0)
        #expect(writer.capacity == capacity)
    }

    @Test func growsPastItsCapacityKeepingWhatWasWritten() {
        var writer = JSONTextWriter(capacity: 16)
        let long = String(repeating: "é\\\"x\u{1}", count: 200)
        writer.writeLiteral("[")
        for i in 0..<50 {
            if i > 0 { writer.writeLiteral(",") }
            writer.writeString(long)
        }
        writer.writeLiteral("]")
        #expect(writer.capacity >= writer.count)
        let parsed = try? JSONDocument.parse(writer.bytes)
        #expect(parsed == .array(Array(repeating: .string(long), count: 50)))
        var viaPointer: [UInt8] = []
        writer.withUnsafeBytes { viaPointer = Array($0) }
        #expect(viaPointer == writer.bytes)
    }

    @Test func theWordAtATimeScanFindsExactlyTheBytesThatNeedEscaping() {
        // Every byte value at every position of a 17-byte run (two words and a tail), on ASCII and
        // on non-ASCII backgrounds: the scan must agree with the byte-by-byte rule.
        for background in [UInt8(ascii: "a"), 0xE9, 0x7F, 0x21, 0x5B, 0x80] {
            for position in 0..<17 {
                for value in 0...255 {
                    var bytes = [UInt8](repeating: background, count: 17)
                    bytes[position] = UInt8(value)
                    let expected = bytes.contains { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
                    let found = bytes.withUnsafeBufferPointer { JSONTextWriter.mayNeedEscaping($0) }
                    if found != expected {
                        Issue.record("byte \(value) at \(position) on \(background): scan says \(found)")
                        return
                    }
                }
            }
        }
    }
}
