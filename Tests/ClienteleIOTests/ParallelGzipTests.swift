import ClienteleTestSupport
import Foundation
import Testing

@testable import ClienteleIO

@Suite("Parallel gzip (one member per MiB)")
struct ParallelGzipTests {
    func pgzip(_ bytes: [UInt8], level: Int32 = 6, threads: Int, pieceSize: Int = 100_000) throws -> [UInt8] {
        let memory = MemoryByteSink()
        let sink = try ParallelGzipByteSink(wrapping: memory, level: level, threads: threads)
        var offset = 0
        while offset < bytes.count {
            let end = min(bytes.count, offset + pieceSize)
            try sink.write(Array(bytes[offset..<end]))
            offset = end
        }
        try sink.close()
        #expect(memory.isClosed)
        #expect(sink.uncompressedBytesWritten == Int64(bytes.count))
        return memory.bytes
    }

    /// How many gzip member headers (magic and deflate method) the bytes hold (a stray match inside
    /// compressed data can only add to the count).
    func memberCount(_ bytes: [UInt8]) throws -> Int {
        var count = 0
        for i in 0..<(bytes.count - 3) where bytes[i] == 0x1F && bytes[i + 1] == 0x8B && bytes[i + 2] == 8 { count += 1 }
        return count
    }

    @Test("round trip through our reader and gzip(1), across block boundaries", arguments: [0, 1, 1 << 20, (1 << 20) + 1, 5_500_000])
    func roundTrip(size: Int) throws {
        let original = repetitiveText(lines: size / 40 + 1).prefix(size).map { $0 }
        let compressed = try pgzip(original, threads: 2)
        #expect(compressed.starts(with: [0x1F, 0x8B]))
        #expect(try gunzip(compressed) == original)
        let tool = try run("/usr/bin/gzip", ["-d", "-c"], input: compressed)
        #expect(tool.status == 0)
        #expect(tool.output == original)
    }

    @Test("the bytes do not depend on the thread count or the write sizes")
    func deterministic() throws {
        let original = repetitiveText(lines: 120_000)  // ≈ 5 MB: several blocks
        let reference = try pgzip(original, threads: 1, pieceSize: original.count)
        #expect(try pgzip(original, threads: 2, pieceSize: 4096) == reference)
        #expect(try pgzip(original, threads: 5, pieceSize: 333_333) == reference)
        #expect(try memberCount(reference) >= original.count >> 20)
    }

    @Test("random (incompressible) data round-trips")
    func incompressible() throws {
        let original = randomBytes(3_000_000, seed: 11)
        #expect(try gunzip(try pgzip(original, level: 1, threads: 3)) == original)
    }

    @Test("libdeflate, where installed, writes gzip members gzip(1) reads, at every level",
          .enabled(if: LibDeflateCompressor.isAvailable), arguments: [0, 1, 6, 9] as [Int32])
    func libdeflateMembers(level: Int32) throws {
        let original = repetitiveText(lines: 30_000) + randomBytes(200_000, seed: UInt64(level))
        let compressor = try #require(LibDeflateCompressor(level: level))
        let compressed = try #require(original.withUnsafeBytes { compressor.gzip($0) })
        #expect(try gunzip(compressed) == original)
        let tool = try run("/usr/bin/gzip", ["-d", "-c"], input: compressed)
        #expect(tool.output == original)
    }

    @Test("writing after close fails; close is idempotent")
    func closed() throws {
        let sink = try ParallelGzipByteSink(wrapping: MemoryByteSink(), level: 1, threads: 2)
        try sink.close()
        try sink.close()
        #expect(throws: IOError.self) { try sink.write([1, 2, 3]) }
    }
}
