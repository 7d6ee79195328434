import ClienteleTestSupport
import Foundation
import Testing

@testable import ClienteleIO

@Suite("ByteBuffer")
struct ByteBufferTests {
    @Test("keeps every byte, in order, across many growths from a tiny capacity")
    func growsKeepingBytes() {
        var buffer = ByteBuffer(capacity: 1)
        var expected: [UInt8] = []
        for (index, size) in [0, 1, 15, 16, 17, 1000, 3, 70_000, 2].enumerated() {
            let piece = randomBytes(size, seed: UInt64(index))
            buffer.append(contentsOf: piece)
            expected += piece
            buffer.append(UInt8(truncatingIfNeeded: index))
            expected.append(UInt8(truncatingIfNeeded: index))
        }
        buffer.append(contentsOf: expected[10..<20])
        expected += expected[10..<20]
        #expect(buffer.count == expected.count)
        #expect(buffer.capacity >= buffer.count)
        #expect(buffer.array == expected)
        buffer.withUnsafeBytes { #expect(Array($0) == expected) }
    }

    @Test("patches, truncates and empties without giving the capacity back")
    func patchesAndTruncates() {
        var buffer = ByteBuffer(capacity: 64)
        buffer.append(contentsOf: Array("0123456789".utf8))
        buffer[0] = UInt8(ascii: "x")
        #expect(buffer[0] == UInt8(ascii: "x") && buffer[9] == UInt8(ascii: "9"))
        buffer.truncate(to: 4)
        #expect(buffer.array == Array("x123".utf8))
        #expect(Array(buffer.suffix(from: 2)) == Array("23".utf8))
        buffer.appendQuotedKey("email")
        #expect(String(decoding: buffer.array, as: UTF8.self) == #"x123"email":"#)
        let capacity = buffer.capacity
        buffer.removeAll()
        #expect(buffer.isEmpty && buffer.capacity == capacity)
    }

    @Test("writes LEB128 varints low 7 bits first, one to ten bytes")
    func writesVarints() {
        var buffer = ByteBuffer(capacity: 16)
        let cases: [(UInt64, [UInt8])] = [
            (0, [0]), (1, [1]), (127, [0x7F]), (128, [0x80, 1]), (300, [0xAC, 0x02]), (16_384, [0x80, 0x80, 1]),
            (UInt64.max, [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]),
        ]
        for (value, bytes) in cases {
            buffer.removeAll()
            buffer.append(0xAA)
            buffer.appendLEB128(value)
            #expect(buffer.array == [0xAA] + bytes, "\(value)")
        }
    }

    @Test("writes what it holds to a sink")
    func writesToASink() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("out.bin")
        let sink = try FileByteSink(path: path)
        var buffer = ByteBuffer(capacity: 16)
        let bytes = randomBytes(100_000, seed: 7)
        buffer.append(contentsOf: bytes)
        try sink.write(buffer)
        try sink.close()
        #expect(Array(try Data(contentsOf: URL(fileURLWithPath: path))) == bytes)
    }
}
