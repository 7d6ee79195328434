import ClienteleIO

/// A ``ByteSource`` over bytes in memory that hands them out in chunks of chosen sizes, so a test
/// can drip-feed a reader one byte at a time or in random chunks (after NIO's
/// `ByteToMessageDecoderVerifier`): a reader must produce the same records whatever the chunking.
public final class ChunkedByteSource: ByteSource {
    public let name: String
    private let bytes: [UInt8]
    private var offset = 0
    private var chunkSizes: [Int]
    private var chunkIndex = 0

    /// - Parameters:
    ///   - bytes: the whole input.
    ///   - chunkSizes: sizes handed out in turn, cycling; `[1]` drip-feeds. Empty means "all at once".
    public init(_ bytes: [UInt8], chunkSizes: [Int] = [], name: String = "test-input") {
        self.bytes = bytes
        self.chunkSizes = chunkSizes.filter { $0 > 0 }
        self.name = name
    }

    /// Random chunk sizes between 1 and `maxChunk`, from a repeatable generator.
    public convenience init(_ bytes: [UInt8], randomChunksUpTo maxChunk: Int, seed: UInt64, name: String = "test-input") {
        var rng = SplitMix64(seed: seed)
        let sizes = (0..<64).map { _ in Int(rng.next() % UInt64(maxChunk)) + 1 }
        self.init(bytes, chunkSizes: sizes, name: name)
    }

    public convenience init(_ text: String, chunkSizes: [Int] = [], name: String = "test-input") {
        self.init(Array(text.utf8), chunkSizes: chunkSizes, name: name)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        let remaining = bytes.count - offset
        guard remaining > 0, buffer.count > 0 else { return 0 }
        var n = min(remaining, buffer.count)
        if !chunkSizes.isEmpty {
            n = min(n, chunkSizes[chunkIndex % chunkSizes.count])
            chunkIndex += 1
        }
        bytes.withUnsafeBytes { src in
            buffer.baseAddress!.copyMemory(from: src.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}

/// A small repeatable random number generator for tests (SplitMix64).
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Collects everything written, for tests of writers.
public final class MemoryByteSink: ByteSink {
    public let name: String
    public private(set) var bytes: [UInt8] = []
    public private(set) var isClosed = false
    public init(name: String = "memory") { self.name = name }
    public func write(_ raw: UnsafeRawBufferPointer) throws(IOError) { bytes.append(contentsOf: raw) }
    public func close() throws(IOError) { isClosed = true }
    public var string: String { String(decoding: bytes, as: UTF8.self) }
}
