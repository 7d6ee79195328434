import Testing
import ClienteleIO
import ClienteleTestSupport
@testable import ClienteleFormats

/// What a reader produced from one input: comparable across chunkings.
struct JSONReadOutcome: Equatable, CustomStringConvertible {
    struct Row: Equatable {
        var value: JSONValue
        var position: SourcePosition
        var defect: RecordDefect?
    }
    var layout: JSONRecordReader.Layout?
    var rows: [Row] = []
    var error: FormatError?
    var bytesConsumed: Int64 = 0

    var description: String {
        "layout \(String(describing: layout)), \(rows.count) rows, error \(String(describing: error))"
    }

    static func read(_ source: ByteSource, maxRecordBytes: Int = 1 << 20, maxDepth: Int = 64) -> JSONReadOutcome {
        var outcome = JSONReadOutcome()
        do {
            let reader = try JSONRecordReader(source: source, maxRecordBytes: maxRecordBytes, maxDepth: maxDepth)
            outcome.layout = reader.layout
            while let record = try reader.next() {
                outcome.rows.append(Row(value: record.value, position: record.position, defect: record.defect))
            }
            outcome.bytesConsumed = reader.bytesConsumed
        } catch {
            outcome.error = error
        }
        return outcome
    }

    /// Reads `bytes` whole, drip-fed one byte at a time, and in random chunks of 1…8 bytes
    /// (several seeds), expects the same outcome every time and returns it.
    static func verified(
        _ bytes: [UInt8], maxRecordBytes: Int = 1 << 20, maxDepth: Int = 64, sourceLocation: SourceLocation = #_sourceLocation
    ) -> JSONReadOutcome {
        let whole = read(ChunkedByteSource(bytes), maxRecordBytes: maxRecordBytes, maxDepth: maxDepth)
        let drip = read(ChunkedByteSource(bytes, chunkSizes: [1]), maxRecordBytes: maxRecordBytes, maxDepth: maxDepth)
        #expect(drip == whole, "drip-fed", sourceLocation: sourceLocation)
        for seed in UInt64(1)...5 {
            let chunked = read(
                ChunkedByteSource(bytes, randomChunksUpTo: 8, seed: seed), maxRecordBytes: maxRecordBytes, maxDepth: maxDepth)
            #expect(chunked == whole, "random chunks, seed \(seed)", sourceLocation: sourceLocation)
        }
        return whole
    }

    static func verified(_ text: String, maxRecordBytes: Int = 1 << 20, maxDepth: Int = 64, sourceLocation: SourceLocation = #_sourceLocation) -> JSONReadOutcome {
        verified(Array(text.utf8), maxRecordBytes: maxRecordBytes, maxDepth: maxDepth, sourceLocation: sourceLocation)
    }
}

private func object(_ members: (String, JSONValue)...) -> JSONValue {
    .object(members.map { JSONMember($0.0, $0.1) })
}

private func pos(_ line: Int, _ byte: Int64, _ record: Int) -> SourcePosition {
    SourcePosition(line: line, byteOffset: byte, record: record)
}

@Suite struct JSONLinesReaderTests {
    @Test func readsLinesWithPositionsSkippingBlankLines() {
        let text = "{\"id\":\"R1\",\"n\":1}\n\n  {\"id\":\"R2\",\"tags\":[\"a\",{\"b\":null}]}\n\t\n{\"id\":\"é\"}"
        let outcome = JSONReadOutcome.verified(text)
        #expect(outcome.layout == .lines)
        #expect(outcome.error == nil)
        #expect(outcome.rows == [
            .init(value: object(("id", .string("R1")), ("n", .number("1"))), position: pos(1, 0, 1)),
            .init(value: object(("id", .string("R2")), ("tags", .array([.string("a"), object(("b", .null))]))),
                  position: pos(3, 21, 2)),
            .init(value: object(("id", .string("é"))), position: pos(5, 59, 3)),
        ])
        #expect(outcome.bytesConsumed == Int64(text.utf8.count))
    }

    @Test func acceptsCRLFAndSkipsABOM() {
        let outcome = JSONReadOutcome.verified("\u{FEFF}{\"a\":1}\r\n\r\n{\"a\":2}\r\n")
        #expect(outcome.error == nil)
        #expect(outcome.rows.map(\.value) == [object(("a", .number("1"))), object(("a", .number("2")))])
        #expect(outcome.rows.map(\.position) == [pos(1, 3, 1), pos(3, 14, 2)])
        #expect(outcome.rows.allSatisfy { $0.defect == nil })
    }

    @Test func malformedLinesAreDefectsAndTheReaderResumes() throws {
        let text = "{\"a\":1}\n{\"a\":,}\n{\"a\":2,}\n[1]\n\"s\"\n{\"a\":3}\n{\"a\":\"x\"\n"
        let outcome = JSONReadOutcome.verified(text)
        #expect(outcome.error == nil)
        #expect(outcome.rows.count == 7)
        #expect(outcome.rows.map(\.position.line) == [1, 2, 3, 4, 5, 6, 7])
        #expect(outcome.rows.map(\.position.record) == [1, 2, 3, 4, 5, 6, 7])
        #expect(outcome.rows[0].defect == nil)
        #expect(outcome.rows[1].defect == .malformed(detail: "unexpected ',', expected a value (line 2, column 6, byte 13)"))
        #expect(outcome.rows[1].value == .null)
        guard case let .malformed(trailing) = outcome.rows[2].defect else { Issue.record("no defect"); return }
        #expect(trailing.contains("trailing commas") && trailing.contains("line 3, column 8"))
        #expect(outcome.rows[3].defect == .malformed(detail: "expected an object, found an array"))
        #expect(outcome.rows[3].value == .array([.number("1")]))
        #expect(outcome.rows[4].defect == .malformed(detail: "expected an object, found a string"))
        #expect(outcome.rows[5] == .init(value: object(("a", .number("3"))), position: pos(6, 33, 6)))
        guard case let .malformed(unterminated) = outcome.rows[6].defect else { Issue.record("no defect"); return }
        #expect(unterminated.contains("unexpected end of input: expected ',' or '}' (line 7"))
    }

    @Test func invalidUTF8IsADefectWithItsAbsoluteOffset() {
        var bytes = Array("{\"a\":1}\n{\"a\":\"x".utf8)
        bytes += [0xFF]
        bytes += Array("y\"}\n{\"a\":\"ok\"}\n".utf8)
        bytes += [0xC3, 0x0A]  // a bare lead byte outside a string, then the line ends
        bytes += Array("{\"b\":\"\u{00E9}\"}".utf8)
        let outcome = JSONReadOutcome.verified(bytes)
        #expect(outcome.error == nil)
        #expect(outcome.rows.count == 5)
        #expect(outcome.rows[1].defect == .invalidUTF8(byteOffset: 15))
        #expect(outcome.rows[1].position == pos(2, 8, 2))
        #expect(outcome.rows[2] == .init(value: object(("a", .string("ok"))), position: pos(3, 20, 3)))
        #expect(outcome.rows[3].defect == .invalidUTF8(byteOffset: 31))
        #expect(outcome.rows[4] == .init(value: object(("b", .string("é"))), position: pos(5, 33, 5)))
    }

    @Test func loneSurrogateIsMalformed() {
        let outcome = JSONReadOutcome.verified("{\"a\":\"\\ud800\"}\n")
        guard case let .malformed(detail) = outcome.rows.first?.defect else { Issue.record("no defect"); return }
        #expect(detail.contains("lone surrogate"))
        #expect(outcome.rows.first?.value == object(("a", .string("\u{FFFD}"))))
    }

    @Test func recordTooLargeThrows() {
        let long = "{\"a\":\"" + String(repeating: "x", count: 40) + "\"}"
        let fits = JSONReadOutcome.verified("{}\n" + long + "\r\n", maxRecordBytes: 48)
        #expect(fits.error == nil && fits.rows.count == 2)
        let outcome = JSONReadOutcome.verified("{}\n" + long + "\n{}\n", maxRecordBytes: 47)
        #expect(outcome.error == .recordTooLarge(file: "test-input", line: 2, limit: 47))
        #expect(outcome.rows.count == 1)
        let unterminated = JSONReadOutcome.verified("{}\n" + String(repeating: " ", count: 100), maxRecordBytes: 47)
        #expect(unterminated.error == .recordTooLarge(file: "test-input", line: 2, limit: 47))
    }

    @Test func tooDeepThrows() {
        let outcome = JSONReadOutcome.verified("{\"a\":[[1]]}\n{\"a\":[[[1]]]}\n", maxDepth: 3)
        #expect(outcome.rows.count == 1)
        #expect(outcome.error == .tooDeep(file: "test-input", line: 2, limit: 3))
    }

    @Test func emptyAndBlankInputsHaveNoRecords() {
        for text in ["", "\u{FEFF}", "\n\n  \r\n", "\u{FEFF}  \n"] {
            let outcome = JSONReadOutcome.verified(text)
            #expect(outcome.error == nil && outcome.rows.isEmpty && outcome.layout == .lines)
        }
    }

    @Test func ioErrorsArePassedUp() {
        final class FailingSource: ByteSource {
            let name = "broken"
            var calls = 0
            func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
                calls += 1
                if calls > 1 { throw IOError.readFailed(path: name, errno: 5) }
                buffer.storeBytes(of: UInt8(ascii: "{"), as: UInt8.self)
                return 1
            }
        }
        let outcome = JSONReadOutcome.read(FailingSource())
        #expect(outcome.error == .io(.readFailed(path: "broken", errno: 5)))
    }
}

@Suite struct JSONArrayReaderTests {
    @Test func streamsElementsWithPositions() {
        let text = "\u{FEFF} [\n  {\"id\": \"R1\", \"n\": [1, 2.5]},\n  {\"id\": \"R2\"} ,{}\n]\n"
        let outcome = JSONReadOutcome.verified(text)
        #expect(outcome.layout == .array)
        #expect(outcome.error == nil)
        #expect(outcome.rows == [
            .init(value: object(("id", .string("R1")), ("n", .array([.number("1"), .number("2.5")]))), position: pos(2, 8, 1)),
            .init(value: object(("id", .string("R2"))), position: pos(3, 39, 2)),
            .init(value: .object([]), position: pos(3, 53, 3)),
        ])
        #expect(outcome.bytesConsumed == Int64(text.utf8.count))
    }

    @Test func emptyArray() {
        let outcome = JSONReadOutcome.verified(" [ ] ")
        #expect(outcome.layout == .array && outcome.rows.isEmpty && outcome.error == nil)
    }

    @Test func nonObjectsAreDefectsAndStreamingGoesOn() {
        let outcome = JSONReadOutcome.verified("[{\"a\":1}, 42, \"s\", [true], null, {\"b\":false}]")
        #expect(outcome.error == nil)
        #expect(outcome.rows.map(\.value) == [
            object(("a", .number("1"))), .number("42"), .string("s"), .array([.bool(true)]), .null, object(("b", .bool(false))),
        ])
        #expect(outcome.rows.map(\.defect) == [
            nil, .malformed(detail: "expected an object, found a number"), .malformed(detail: "expected an object, found a string"),
            .malformed(detail: "expected an object, found an array"), .malformed(detail: "expected an object, found null"), nil,
        ])
        #expect(outcome.rows.map(\.position.byteOffset) == [1, 10, 14, 19, 27, 33])
    }

    @Test func invalidUTF8InAnElementIsADefect() {
        var bytes = Array("[{\"a\":\"".utf8)
        bytes += [0xE2, 0x82]  // truncated sequence
        bytes += Array("\"},\n{\"a\":1}]".utf8)
        let outcome = JSONReadOutcome.verified(bytes)
        #expect(outcome.error == nil)
        #expect(outcome.rows.map(\.defect) == [.invalidUTF8(byteOffset: 7), nil])
        #expect(outcome.rows.map(\.position) == [pos(1, 1, 1), pos(2, 13, 2)])
    }

    @Test(arguments: [
        ("[{\"a\":1},\n{\"a\":2},]", FormatError.malformed(file: "test-input", line: 2, byteOffset: 18, detail: "unexpected ']', expected a value")),
        ("[{\"a\":1}\n{\"a\":2}]", .malformed(file: "test-input", line: 2, byteOffset: 9, detail: "unexpected '{', expected ',' or ']'")),
        ("[{\"a\":1}] x", .malformed(file: "test-input", line: 1, byteOffset: 10, detail: "unexpected 'x', expected the end of input after the value")),
        ("[{\"a\":1}][]", .malformed(file: "test-input", line: 1, byteOffset: 9, detail: "unexpected '[', expected the end of input after the value")),
        ("[{\"a\":1},\n{\"a\":2}\n", .malformed(file: "test-input", line: 3, byteOffset: 18, detail: "unexpected end of input: expected ',' or ']'")),
        ("[{\"a\":1", .malformed(file: "test-input", line: 1, byteOffset: 7, detail: "unexpected end of input: expected ',' or '}'")),
        ("[{\"a\":01}]", .malformed(file: "test-input", line: 1, byteOffset: 7, detail: "invalid number: leading zero")),
    ])
    func structuralErrorsThrow(_ text: String, _ expected: FormatError) {
        let outcome = JSONReadOutcome.verified(text)
        #expect(outcome.error == expected)
    }

    @Test func recordsBeforeAnErrorAreDelivered() {
        let outcome = JSONReadOutcome.verified("[{\"a\":1},{\"a\":2} {")
        #expect(outcome.rows.count == 2)
        #expect(outcome.error != nil)
    }

    @Test func recordTooLargeThrows() {
        let element = "{\"a\":\"" + String(repeating: "y", count: 30) + "\"}"  // 38 bytes
        let fits = JSONReadOutcome.verified("[" + element + ",\n" + element + "]", maxRecordBytes: 38)
        #expect(fits.error == nil && fits.rows.count == 2)
        let outcome = JSONReadOutcome.verified("[{},\n" + element + "]", maxRecordBytes: 37)
        #expect(outcome.error == .recordTooLarge(file: "test-input", line: 2, limit: 37))
        #expect(outcome.rows.count == 1)
    }

    @Test func elementTooLargeForTheBufferThrows() {
        // One string longer than the 1 MiB buffer: it can never be held, so the limit stops it.
        let text = "[{\"a\":\"" + String(repeating: "z", count: (1 << 20) + 10) + "\"}]"
        let outcome = JSONReadOutcome.read(ChunkedByteSource(text), maxRecordBytes: 1 << 20)
        #expect(outcome.error == .recordTooLarge(file: "test-input", line: 1, limit: 1 << 20))
    }

    @Test func tooDeepThrows() {
        let outcome = JSONReadOutcome.verified("[{\"a\":{\"b\":1}},\n{\"a\":{\"b\":[1]}}]", maxDepth: 2)
        #expect(outcome.rows.count == 1)
        #expect(outcome.error == .tooDeep(file: "test-input", line: 2, limit: 2))
    }

    @Test func manyElementsAcrossRefills() {
        // More than one buffer's worth, so compaction and refills happen inside tokens.
        var text = "["
        for i in 0..<30_000 { text += (i > 0 ? ",\n" : "") + "{\"id\":\"R\(i)\",\"amount\":\(i).25,\"ok\":true}" }
        text += "]"
        let outcome = JSONReadOutcome.read(ChunkedByteSource(text, chunkSizes: [65_521]))
        #expect(outcome.error == nil)
        #expect(outcome.rows.count == 30_000)
        #expect(outcome.rows.last?.value == object(("id", .string("R29999")), ("amount", .number("29999.25")), ("ok", .bool(true))))
        #expect(outcome.rows.last?.position.line == 30_000)
    }
}
