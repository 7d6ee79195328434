#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CZlib

// Invariants:
// - `input[inStart..<inEnd]` holds compressed bytes read from `base` but not yet consumed by zlib;
//   so the compressed offset of the next byte zlib sees is `compressedBytesRead - (inEnd - inStart)`.
// - `phase == .inMember` while zlib is inside a member (or before the first one); `.betweenMembers`
//   right after Z_STREAM_END, where only end of input or another gzip magic (1f 8b) may follow.
// - Output goes straight into the caller's buffer: there is no second output copy.
// - `decompressedBytes` never exceeds `limit.maxOutputBytes` + 1 (the window is clamped), and the
//   moment it passes a limit the read throws.

/// Inflates a gzip stream read from another source.
///
/// It reads multi-member streams (as written by `gzip` run twice and concatenated): after each
/// member's end it starts the next if input remains. Errors name the byte offset in the
/// compressed input: corruption or trailing garbage → ``IOError/corruptGzip(path:byteOffset:detail:)``,
/// input ending inside a member → ``IOError/truncatedGzip(path:byteOffset:)``, and output beyond
/// the ``DecompressionLimit`` → ``IOError/decompressionLimitExceeded(path:byteOffset:limit:)``.
///
/// ```swift
/// let gzip = try GzipByteSource(wrapping: try FileByteSource(path: "customers.csv.gz"))
/// var buffer = [UInt8](repeating: 0, count: 1 << 20)
/// while case let n = try buffer.withUnsafeMutableBytes({ try gzip.read(into: $0) }), n > 0 { … }
/// ```
public final class GzipByteSource: ByteSource {
    /// Size of the compressed read buffer.
    static let inputCapacity = 256 << 10

    private enum Phase { case inMember, betweenMembers, finished }

    public let name: String
    private let base: ByteSource
    private let limit: DecompressionLimit
    private let inflater: GzipInflater
    private let input: UnsafeMutableRawBufferPointer
    private var inStart = 0
    private var inEnd = 0
    private var phase = Phase.inMember

    /// Compressed bytes read from the wrapped source so far.
    public private(set) var compressedBytesRead: Int64 = 0
    /// Decompressed bytes handed out so far.
    public private(set) var decompressedBytes: Int64 = 0

    /// Wraps `base`, which must yield a gzip stream from its first byte.
    ///
    /// - Throws: ``IOError/readFailed(path:errno:)`` (ENOMEM) when zlib cannot allocate its state.
    public init(wrapping base: ByteSource, limit: DecompressionLimit = .default) throws(IOError) {
        guard let inflater = GzipInflater() else { throw .readFailed(path: base.name, errno: ENOMEM) }
        self.name = base.name
        self.base = base
        self.limit = limit
        self.inflater = inflater
        input = .allocate(byteCount: Self.inputCapacity, alignment: 16)
    }

    deinit {
        input.deallocate()
    }

    /// Whether the inflater still holds zlib state (false once the stream ended; for lifecycle tests).
    var inflaterIsInitialized: Bool { inflater.isInitialized }

    /// The compressed offset of the next byte zlib has not consumed.
    private var consumedOffset: Int64 { compressedBytesRead - Int64(inEnd - inStart) }

    /// Reads up to `buffer.count` decompressed bytes; `0` only after the last complete member.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        guard buffer.count > 0 else { return 0 }
        while true {
            switch phase {
            case .finished:
                return 0
            case .betweenMembers:
                guard try fill(atLeast: 1) else {
                    phase = .finished
                    inflater.end()
                    return 0
                }
                guard input[inStart] == 0x1F else { throw trailingGarbage() }
                guard try fill(atLeast: 2) else { throw .truncatedGzip(path: name, byteOffset: compressedBytesRead) }
                guard input[inStart + 1] == 0x8B else { throw trailingGarbage() }
                inflater.reset()
                phase = .inMember
            case .inMember:
                if inStart == inEnd {
                    guard try fill(atLeast: 1) else {
                        throw .truncatedGzip(path: name, byteOffset: compressedBytesRead)
                    }
                }
                var window = buffer
                if let maxOutput = limit.maxOutputBytes {
                    // One byte past the limit is enough to know it was passed.
                    let allowance = max(0, maxOutput - decompressedBytes) + 1
                    if Int64(window.count) > allowance {
                        window = UnsafeMutableRawBufferPointer(rebasing: window[..<Int(allowance)])
                    }
                }
                let step = inflater.inflate(
                    from: UnsafeRawBufferPointer(rebasing: input[inStart..<inEnd]), into: window)
                inStart += step.consumed
                decompressedBytes += Int64(step.produced)
                try checkLimits()
                switch step.status {
                case Z_STREAM_END:
                    phase = .betweenMembers
                case Z_OK, Z_BUF_ERROR:
                    if step.consumed == 0 && step.produced == 0 && inStart < inEnd {
                        throw corrupt(inflater.message ?? "inflate made no progress")
                    }
                case Z_MEM_ERROR:
                    throw .readFailed(path: name, errno: ENOMEM)
                default:  // Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR
                    throw corrupt(inflater.message ?? "zlib error \(step.status)")
                }
                if step.produced > 0 { return step.produced }
            }
        }
    }

    // MARK: - Input buffer

    /// Makes at least `count` unconsumed bytes available; `false` if the base ends first.
    private func fill(atLeast count: Int) throws(IOError) -> Bool {
        if inEnd - inStart >= count { return true }
        if inStart > 0 {
            let pending = inEnd - inStart
            if pending > 0 {
                memmove(input.baseAddress!, input.baseAddress! + inStart, pending)
            }
            inStart = 0
            inEnd = pending
        }
        while inEnd - inStart < count {
            let n = try base.read(into: UnsafeMutableRawBufferPointer(rebasing: input[inEnd...]))
            if n == 0 { return false }
            inEnd += n
            compressedBytesRead += Int64(n)
        }
        return true
    }

    // MARK: - Errors and limits

    private func checkLimits() throws(IOError) {
        if let maxOutput = limit.maxOutputBytes, decompressedBytes > maxOutput {
            throw .decompressionLimitExceeded(
                path: name, byteOffset: consumedOffset, limit: "at most \(maxOutput) decompressed bytes")
        }
        if decompressedBytes > limit.ratioGraceBytes {
            let (allowed, overflow) = max(consumedOffset, 1).multipliedReportingOverflow(by: Int64(limit.maxRatio))
            if !overflow && decompressedBytes > allowed {
                throw .decompressionLimitExceeded(
                    path: name, byteOffset: consumedOffset,
                    limit: "compression ratio at most \(limit.maxRatio):1")
            }
        }
    }

    private func corrupt(_ detail: String) -> IOError {
        .corruptGzip(path: name, byteOffset: consumedOffset, detail: detail)
    }

    private func trailingGarbage() -> IOError {
        .corruptGzip(path: name, byteOffset: consumedOffset, detail: "trailing data after the last gzip member")
    }
}
