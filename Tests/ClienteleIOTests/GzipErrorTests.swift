import ClienteleTestSupport
import Foundation
import Testing

@testable import ClienteleIO

@Suite("Gzip errors and limits")
struct GzipErrorTests {
    /// The error a read of the whole stream throws, or nil.
    func failure(_ compressed: [UInt8], chunkSizes: [Int] = [], limit: DecompressionLimit = .default) -> IOError? {
        do {
            _ = try gunzip(compressed, chunkSizes: chunkSizes, limit: limit)
            return nil
        } catch {
            return error
        }
    }

    @Test("a corrupt byte in the middle → corruptGzip at or after that byte")
    func corruptMiddle() throws {
        let original = repetitiveText(lines: 40_000)
        var compressed = try gzip(original)
        let position = compressed.count / 2
        compressed[position] ^= 0x55
        let error = try #require(failure(compressed))
        guard case let .corruptGzip(path, offset, detail) = error else {
            Issue.record("expected corruptGzip, got \(error)")
            return
        }
        #expect(path == "test-input")
        #expect(offset >= Int64(position) && offset <= Int64(compressed.count))
        #expect(!detail.isEmpty)
        #expect(error.description.contains("byte \(offset)"))
    }

    @Test("a corrupt CRC in the trailer → corruptGzip near the end")
    func corruptTrailer() throws {
        var compressed = try gzip(repetitiveText(lines: 100))
        compressed[compressed.count - 6] ^= 0xFF
        let error = try #require(failure(compressed, chunkSizes: [1]))
        guard case let .corruptGzip(_, offset, _) = error else {
            Issue.record("expected corruptGzip, got \(error)")
            return
        }
        #expect(offset >= Int64(compressed.count - 8) && offset <= Int64(compressed.count))
    }

    @Test("not gzip at all → corruptGzip at offset 2 or less")
    func notGzip() {
        let error = failure(Array("id,name\n1,Ann\n".utf8))
        guard case let .corruptGzip(_, offset, _)? = error else {
            Issue.record("expected corruptGzip, got \(String(describing: error))")
            return
        }
        #expect(offset <= 2)
    }

    @Test("input ending mid-member → truncatedGzip at the end of the input", arguments: [0, 1, 2, 9, 10, 500, -4, -1])
    func truncated(cut: Int) throws {
        let compressed = try gzip(repetitiveText(lines: 200))
        let length = cut >= 0 ? cut : compressed.count + cut
        let error = failure(Array(compressed[..<length]), chunkSizes: [64])
        #expect(error == .truncatedGzip(path: "test-input", byteOffset: Int64(length)))
    }

    @Test("a second member cut short → truncatedGzip, after the first member's bytes")
    func truncatedSecondMember() throws {
        let first = try gzip(Array("first\n".utf8))
        let second = try gzip(repetitiveText(lines: 100))
        let joined = first + second.prefix(second.count / 2)
        #expect(failure(joined) == .truncatedGzip(path: "test-input", byteOffset: Int64(joined.count)))
        // Only the first magic byte of a next member.
        #expect(failure(first + [0x1F]) == .truncatedGzip(path: "test-input", byteOffset: Int64(first.count + 1)))
    }

    @Test("trailing garbage after a member → corruptGzip at the garbage's offset")
    func trailingGarbage() throws {
        let member = try gzip(repetitiveText(lines: 50))
        for tail in [[UInt8(0)], Array("garbage".utf8), [0x1F, 0x00, 0x00]] {
            let error = failure(member + tail, chunkSizes: [1, 5])
            #expect(
                error == .corruptGzip(
                    path: "test-input", byteOffset: Int64(member.count),
                    detail: "trailing data after the last gzip member"))
        }
    }

    @Test("a second member with a bad header → corruptGzip after the first member")
    func badSecondHeader() throws {
        let member = try gzip(Array("x".utf8))
        // Magic right, compression method 7 (only 8 = deflate exists).
        let error = failure(member + [0x1F, 0x8B, 0x07, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3])
        guard case let .corruptGzip(_, offset, _)? = error else {
            Issue.record("expected corruptGzip, got \(String(describing: error))")
            return
        }
        #expect(offset > Int64(member.count) && offset <= Int64(member.count + 13))
    }

    /// 200 MB of zeros, gzipped (≈ 200 KB).
    static let bomb: [UInt8] = {
        let memory = MemoryByteSink()
        let sink = try! GzipByteSink(wrapping: memory, level: 9)
        let zeros = [UInt8](repeating: 0, count: 1 << 20)
        for _ in 0..<200 { try! sink.write(zeros) }
        try! sink.close()
        return memory.bytes
    }()

    @Test("a gzip bomb is stopped by the ratio limit soon after the grace size")
    func bombRatio() throws {
        let bomb = Self.bomb
        #expect(bomb.count < 1 << 20)
        let source = try GzipByteSource(wrapping: ChunkedByteSource(bomb))
        var thrown: IOError?
        do { _ = try readAll(source, bufferSize: 1 << 20) } catch { thrown = error }
        guard case let .decompressionLimitExceeded(path, offset, limit)? = thrown else {
            Issue.record("expected decompressionLimitExceeded, got \(String(describing: thrown))")
            return
        }
        #expect(path == "test-input")
        #expect(limit.contains("200:1"))
        #expect(offset > 0 && offset < Int64(bomb.count))
        #expect(source.decompressedBytes > 64 << 20 && source.decompressedBytes <= (64 << 20) + (1 << 20))
    }

    @Test("a gzip bomb is stopped by maxOutputBytes, however large the ratio limit")
    func bombMaxOutput() throws {
        let limit = DecompressionLimit(maxOutputBytes: 10_000_000, maxRatio: .max, ratioGraceBytes: 0)
        let source = try GzipByteSource(wrapping: ChunkedByteSource(Self.bomb), limit: limit)
        var thrown: IOError?
        do { _ = try readAll(source, bufferSize: 1 << 20) } catch { thrown = error }
        guard case let .decompressionLimitExceeded(_, _, text)? = thrown else {
            Issue.record("expected decompressionLimitExceeded, got \(String(describing: thrown))")
            return
        }
        #expect(text.contains("10000000"))
        #expect(source.decompressedBytes == 10_000_001)
    }

    @Test("output of exactly maxOutputBytes is allowed; one byte more is not")
    func maxOutputBoundary() throws {
        let original = repetitiveText(lines: 1_000)
        let compressed = try gzip(original)
        let exact = DecompressionLimit(maxOutputBytes: Int64(original.count))
        #expect(try gunzip(compressed, limit: exact) == original)
        let tight = DecompressionLimit(maxOutputBytes: Int64(original.count - 1))
        #expect(failure(compressed, limit: tight) != nil)
    }

    @Test("highly compressible input below the grace size passes the ratio limit")
    func graceAllowsSmallFiles() throws {
        let zeros = [UInt8](repeating: 0, count: 8 << 20)
        let compressed = try gzip(zeros, level: 9)
        #expect(compressed.count * 200 < zeros.count)  // the ratio alone would refuse it
        #expect(try gunzip(compressed) == zeros)
        // Without grace the same file is refused.
        let strict = DecompressionLimit(maxOutputBytes: nil, maxRatio: 200, ratioGraceBytes: 0)
        guard case .decompressionLimitExceeded? = failure(compressed, limit: strict) else {
            Issue.record("expected the ratio limit without grace")
            return
        }
    }
}
