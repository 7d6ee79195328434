import ClienteleTestSupport
import Foundation
import Testing

@testable import ClienteleIO

@Suite("OpenedInput sniffing")
struct OpenedInputTests {
    static let cases: [(String, SniffedFormat)] = [
        ("id,email\n1,a@example.com\n", .csv),
        ("email;name\r\n", .csv),
        ("{\"id\":\"R1\"}\n{\"id\":\"R2\"}\n", .json),
        ("[{\"id\":\"R1\"}]", .json),
        ("<?xml version=\"1.0\"?><customers/>", .xml),
        ("\u{FEFF}id,email\n", .csv),
        ("\u{FEFF}  \r\n\t[1]", .json),
        ("\u{FEFF}\n<customers/>", .xml),
        ("\n\n   {\"a\":1}", .json),
        ("", .empty),
        ("\u{FEFF}", .empty),
        (" \n\t\r\n", .empty),
        ("\u{FEFF}\u{FEFF}{}", .csv),  // a second BOM is content, not blank
    ]

    @Test("format is detected from content, plain and gzipped, and no byte is lost", arguments: 0..<cases.count)
    func sniff(index: Int) throws {
        let (text, format) = Self.cases[index]
        let bytes = Array(text.utf8)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        // Names that lie: the content decides.
        let plain = try directory.write(bytes, to: "input.gz")
        let zipped = try directory.write(try gzip(bytes), to: "input.csv")

        let opened = try OpenedInput.open(path: plain)
        #expect(!opened.isGzip)
        #expect(opened.format == format)
        #expect(try readAll(opened.source, bufferSize: 3) == bytes)
        #expect(opened.file.fileSize == Int64(bytes.count))
        #expect(opened.file.bytesRead == Int64(bytes.count))

        let unzipped = try OpenedInput.open(path: zipped)
        #expect(unzipped.isGzip)
        #expect(unzipped.format == format)
        #expect(try readAll(unzipped.source) == bytes)
    }

    @Test("a one-byte file that looks like the start of gzip is plain CSV")
    func lonelyMagicByte() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let opened = try OpenedInput.open(path: try directory.write([0x1F], to: "x"))
        #expect(!opened.isGzip)
        #expect(opened.format == .csv)
        #expect(try readAll(opened.source) == [0x1F])
    }

    @Test("large inputs come through whole, whatever the read size", arguments: [1, 4095, 4097, 1 << 20])
    func largeInput(bufferSize: Int) throws {
        let bytes = Array("\u{FEFF}\n".utf8) + repetitiveText(lines: bufferSize == 1 ? 2_000 : 30_000)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        for (name, content) in [("a", bytes), ("b", try gzip(bytes, level: 1))] {
            let opened = try OpenedInput.open(path: try directory.write(content, to: name))
            #expect(opened.format == .csv)
            #expect(try readAll(opened.source, bufferSize: bufferSize) == bytes)
            #expect(opened.file.bytesRead == Int64(content.count))
        }
    }

    @Test("a long blank prefix is kept and the format still found within the sniff window")
    func longBlankPrefix() throws {
        let near = [UInt8](repeating: 0x20, count: 10_000) + Array("[1]".utf8)
        let far = [UInt8](repeating: 0x0A, count: OpenedInput.sniffLimit + 100) + Array("[1]".utf8)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let nearInput = try OpenedInput.open(path: try directory.write(near, to: "near"))
        #expect(nearInput.format == .json)
        #expect(try readAll(nearInput.source) == near)
        let farInput = try OpenedInput.open(path: try directory.write(far, to: "far"))
        #expect(farInput.format == .csv)  // gave up looking: CSV reader will report it
        #expect(try readAll(farInput.source) == far)
    }

    @Test("a corrupt gzip input fails at open with its path")
    func corruptAtOpen() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write([0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 3, 0xFF, 0xFF, 0xFF], to: "bad.gz")
        #expect(throws: IOError.self) { _ = try OpenedInput.open(path: path) }
        do {
            _ = try OpenedInput.open(path: path)
        } catch {
            guard case .corruptGzip(let errorPath, _, _) = error else {
                Issue.record("expected corruptGzip, got \(error)")
                return
            }
            #expect(errorPath == path)
        }
    }

    @Test("SniffedFormat.detect on bytes")
    func detectBytes() {
        #expect(SniffedFormat.detect(Array("  <a/>".utf8)) == .xml)
        #expect(SniffedFormat.detect(Array("x".utf8)) == .csv)
        #expect(SniffedFormat.detect([]) == .empty)
        #expect(SniffedFormat.detect([0xEF, 0xBB]) == .csv)  // half a BOM is content
    }
}
