import ClienteleTestSupport
import Foundation
import Testing

@testable import ClienteleIO

@Suite("Gzip round trips")
struct GzipRoundTripTests {
    @Test("deflate → inflate gives the input back", arguments: [0, 1, 2, 100, 65_537, 300_000, 3_000_000])
    func roundTripRandom(size: Int) throws {
        let original = randomBytes(size, seed: UInt64(size) &+ 7)
        let compressed = try gzip(original, level: 6)
        #expect(compressed.starts(with: [0x1F, 0x8B]))
        #expect(try gunzip(compressed) == original)
    }

    @Test("repetitive data round-trips and shrinks at every level", arguments: [Int32(0), 1, 6, 9])
    func roundTripLevels(level: Int32) throws {
        let original = repetitiveText(lines: 80_000)  // ≈ 3.5 MB
        let compressed = try gzip(original, level: level)
        #expect(try gunzip(compressed) == original)
        if level == 0 {
            #expect(compressed.count > original.count)  // stored blocks only
        } else {
            #expect(compressed.count * 4 < original.count)
        }
    }

    @Test("write piece sizes do not change the compressed stream", arguments: [1, 17, 4096, 1 << 20])
    func pieceSizes(piece: Int) throws {
        let original = repetitiveText(lines: piece == 1 ? 2_000 : 20_000)
        let reference = try gzip(original, level: 1, pieceSize: original.count + 1)
        #expect(try gzip(original, level: 1, pieceSize: piece) == reference)
    }

    @Test("an empty stream is a valid gzip member of 20 bytes")
    func emptyStream() throws {
        let compressed = try gzip([], level: 6)
        #expect(compressed.count == 20)
        #expect(try gunzip(compressed) == [])
    }

    @Test("drip-fed compressed input gives identical output")
    func dripFed() throws {
        let original = repetitiveText(lines: 6_000) + randomBytes(50_000, seed: 3)
        let compressed = try gzip(original, level: 6)
        #expect(try gunzip(compressed, chunkSizes: [1]) == original)
        for seed in [UInt64(1), 2, 3] {
            let source = try GzipByteSource(
                wrapping: ChunkedByteSource(compressed, randomChunksUpTo: 5_000, seed: seed))
            #expect(try readAll(source, bufferSize: 777) == original)
        }
        // One byte of output room at a time.
        #expect(try gunzip(compressed, chunkSizes: [3, 1, 4096], bufferSize: 1) == original)
    }

    @Test("two members concatenated read as one stream")
    func twoMembers() throws {
        let first = repetitiveText(lines: 1_000)
        let second = randomBytes(70_000, seed: 11)
        let joined = try gzip(first, level: 1) + gzip(second, level: 9)
        #expect(try gunzip(joined) == first + second)
        #expect(try gunzip(joined, chunkSizes: [1]) == first + second)
        // An empty member between two others changes nothing.
        let withEmpty = try gzip(first) + gzip([]) + gzip(second)
        #expect(try gunzip(withEmpty, chunkSizes: [7]) == first + second)
    }

    @Test("the gzip tool's output, run twice and concatenated, is read whole")
    func gzipToolMultiMember() throws {
        let first = repetitiveText(lines: 3_000)
        let second = Array("tail,line\nwith,more\n".utf8)
        let a = try run("/usr/bin/gzip", ["-c"], input: first)
        let b = try run("/usr/bin/gzip", ["-9", "-c"], input: second)
        #expect(a.status == 0 && b.status == 0)
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = try directory.write(a.output + b.output, to: "joined.csv.gz")
        let file = try FileByteSource(path: path)
        let source = try GzipByteSource(wrapping: file)
        #expect(try readAll(source) == first + second)
        #expect(source.compressedBytesRead == Int64(a.output.count + b.output.count))
        #expect(file.bytesRead == source.compressedBytesRead)
        #expect(source.decompressedBytes == Int64(first.count + second.count))
    }

    @Test("the gzip tool reads what GzipByteSink writes")
    func gzipToolReadsOurs() throws {
        let original = repetitiveText(lines: 20_000)
        let result = try run("/usr/bin/gzip", ["-d", "-c"], input: try gzip(original, level: 1))
        #expect(result.status == 0)
        #expect(result.output == original)
    }

    @Test("GzipByteSink into a FileByteSink writes a 0600 .gz file that reads back")
    func gzipFileRoundTrip() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("out.jsonl.gz")
        let original = repetitiveText(lines: 10_000)
        let file = try FileByteSink(path: path)
        let sink = try GzipByteSink(wrapping: file, level: 1)
        try sink.write(original)
        #expect(sink.uncompressedBytesWritten == Int64(original.count))
        try sink.close()
        try sink.close()  // idempotent
        #expect(!sink.deflaterIsInitialized)
        #expect(file.bytesWritten == sink.compressedBytesWritten)
        #expect(permissions(of: path) == 0o600)
        let input = try OpenedInput.open(path: path)
        #expect(input.isGzip)
        #expect(input.format == .csv)
        #expect(try readAll(input.source) == original)
        #expect(input.file.fileSize == sink.compressedBytesWritten)
    }

    @Test("writing after close fails instead of corrupting the stream")
    func writeAfterClose() throws {
        let sink = try GzipByteSink(wrapping: MemoryByteSink())
        try sink.close()
        #expect(throws: IOError.writeFailed(path: "memory", errno: EBADF)) { try sink.write("late") }
    }

    @Test("a level outside 0…9 is refused")
    func badLevel() {
        #expect(throws: IOError.cannotCreate(path: "memory", errno: EINVAL)) {
            _ = try GzipByteSink(wrapping: MemoryByteSink(), level: 10)
        }
    }

    @Test("inflater and deflater free their zlib state once, at end or deinit")
    func lifecycle() throws {
        let inflater = try #require(GzipInflater())
        #expect(inflater.isInitialized)
        inflater.end()
        #expect(!inflater.isInitialized)
        inflater.end()
        #expect(!inflater.isInitialized)

        let deflater = try #require(GzipDeflater(level: 1))
        #expect(deflater.isInitialized)
        deflater.end()
        #expect(!deflater.isInitialized)
        #expect(GzipDeflater(level: 42) == nil)

        let source = try GzipByteSource(wrapping: ChunkedByteSource(try gzip(Array("abc".utf8))))
        #expect(source.inflaterIsInitialized)
        #expect(try readAll(source) == Array("abc".utf8))
        #expect(!source.inflaterIsInitialized)  // freed as soon as the stream ended
        #expect(try readAll(source) == [])  // and reading on stays at the end
    }
}
