import ClienteleIO

// Helpers shared by the fuzz targets. Nothing here may hide a failure: a broken invariant ends the
// process through `check` (fatalError), which libFuzzer reports as a crash and saves the input for.

/// Stops the fuzzer with `message` when `condition` is false.
@inline(__always)
public func check(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                  file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError("invariant broken: " + message(), file: file, line: line) }
}

/// A ``ByteSource`` over bytes in memory, handing them out in the chunk sizes given (cycling), so a
/// reader can be fed the same input whole and in pieces: it must produce the same records.
public final class MemoryByteSource: ByteSource {
    public let name: String
    private let bytes: [UInt8]
    private var offset = 0
    private let chunkSizes: [Int]
    private var chunkIndex = 0

    /// - Parameter chunkSizes: sizes handed out in turn; empty means as much as the caller asks for.
    public init(_ bytes: [UInt8], chunkSizes: [Int] = [], name: String = "fuzz-input") {
        self.bytes = bytes
        self.chunkSizes = chunkSizes.filter { $0 > 0 }
        self.name = name
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        let remaining = bytes.count - offset
        guard remaining > 0, buffer.count > 0 else { return 0 }
        var n = min(remaining, buffer.count)
        if !chunkSizes.isEmpty {
            n = min(n, chunkSizes[chunkIndex % chunkSizes.count])
            chunkIndex += 1
        }
        bytes.withUnsafeBytes { buffer.baseAddress!.copyMemory(from: $0.baseAddress! + offset, byteCount: n) }
        offset += n
        return n
    }
}

/// A ``ByteSink`` collecting bytes in memory.
public final class MemoryByteSink: ByteSink {
    public let name = "memory"
    public private(set) var bytes: [UInt8] = []
    public init() {}
    public func write(_ bytes: UnsafeRawBufferPointer) throws(IOError) { self.bytes.append(contentsOf: bytes) }
    public func close() throws(IOError) {}
}

/// Deterministic per-input randomness (so a saved crash input replays exactly): SplitMix64 seeded
/// with an FNV-1a hash of the input.
public struct InputRandom {
    private var state: UInt64

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes { h = (h ^ UInt64(b)) &* 0x100_0000_01B3 }
        state = h
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Chunk sizes for drip-feeding: mostly tiny (1–8 bytes, where boundary bugs live), some larger.
    public mutating func chunkSizes() -> [Int] {
        (0..<16).map { _ in
            let r = next()
            return r & 3 == 0 ? Int((r >> 8) % 4096) + 1 : Int((r >> 8) % 8) + 1
        }
    }
}
