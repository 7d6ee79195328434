#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CZlib

// Invariants:
// - `input[0..<pending]` holds uncompressed bytes not yet given to zlib. Small writes (a field, a
//   record) collect there, so zlib is called once per 256 KiB, as gzwrite does.
// - `output` is zlib's scratch: each deflate call fills it from the front, and whatever it produced
//   is written to `base` before the next call.
// - After `close()` the gzip trailer is written and `base` is closed; further writes fail.

/// Compresses everything written into another sink as one gzip member.
///
/// ``close()`` finishes the stream (trailer with CRC and size) and closes the wrapped sink; a
/// sink dropped without `close()` leaves a truncated stream.
///
/// ```swift
/// let gzip = try GzipByteSink(wrapping: try FileByteSink(path: "customers.jsonl.gz"), level: 1)
/// try gzip.write("{\"id\":\"R1\"}\n")
/// try gzip.close()
/// ```
public final class GzipByteSink: ByteSink {
    static let bufferCapacity = 256 << 10

    public let name: String
    private let base: ByteSink
    private let deflater: GzipDeflater
    private let input: UnsafeMutableRawPointer
    private let output: UnsafeMutableRawBufferPointer
    private var pending = 0
    private var isClosed = false

    /// Uncompressed bytes accepted so far.
    public private(set) var uncompressedBytesWritten: Int64 = 0
    /// Compressed bytes handed to the wrapped sink so far.
    public private(set) var compressedBytesWritten: Int64 = 0

    /// Wraps `base`; `level` is zlib's 0 (store) to 9 (smallest), 1 being by far the fastest.
    ///
    /// - Throws: ``IOError/cannotCreate(path:errno:)`` (EINVAL) for a level outside 0…9, or
    ///   ENOMEM when zlib cannot allocate its state.
    public init(wrapping base: ByteSink, level: Int32 = 6) throws(IOError) {
        guard (0...9).contains(level) else { throw .cannotCreate(path: base.name, errno: EINVAL) }
        guard let deflater = GzipDeflater(level: level) else { throw .cannotCreate(path: base.name, errno: ENOMEM) }
        self.name = base.name
        self.base = base
        self.deflater = deflater
        input = .allocate(byteCount: Self.bufferCapacity, alignment: 16)
        output = .allocate(byteCount: Self.bufferCapacity, alignment: 16)
    }

    deinit {
        input.deallocate()
        output.deallocate()
    }

    /// Whether the deflater still holds zlib state (false after `close()`; for lifecycle tests).
    var deflaterIsInitialized: Bool { deflater.isInitialized }

    /// Compresses `bytes` (buffered: output may appear only at the next 256 KiB or at `close()`).
    public func write(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
        guard !isClosed else { throw .writeFailed(path: name, errno: EBADF) }
        guard var source = bytes.baseAddress else { return }
        var remaining = bytes.count
        uncompressedBytesWritten += Int64(remaining)
        let capacity = Self.bufferCapacity
        while remaining > 0 {
            if pending == 0 && remaining >= capacity {
                // Large writes go to zlib directly, skipping the copy.
                try compress(UnsafeRawBufferPointer(start: source, count: remaining), flush: Z_NO_FLUSH)
                return
            }
            let n = min(remaining, capacity - pending)
            (input + pending).copyMemory(from: source, byteCount: n)
            pending += n
            source += n
            remaining -= n
            if pending == capacity { try compressPending(flush: Z_NO_FLUSH) }
        }
    }

    /// Finishes the gzip stream and closes the wrapped sink. Idempotent.
    public func close() throws(IOError) {
        guard !isClosed else { return }
        isClosed = true
        var failure: IOError?
        do { try compressPending(flush: Z_FINISH) } catch { failure = error }
        deflater.end()
        do { try base.close() } catch { if failure == nil { failure = error } }
        if let failure { throw failure }
    }

    private func compressPending(flush: Int32) throws(IOError) {
        let count = pending
        pending = 0
        try compress(UnsafeRawBufferPointer(start: input, count: count), flush: flush)
    }

    /// Runs deflate over all of `data` (and, with Z_FINISH, to the end of the stream).
    private func compress(_ data: UnsafeRawBufferPointer, flush: Int32) throws(IOError) {
        var offset = 0
        while true {
            let step = deflater.deflate(
                from: UnsafeRawBufferPointer(rebasing: data[offset...]), into: output, flush: flush)
            offset += step.consumed
            if step.produced > 0 {
                try base.write(UnsafeRawBufferPointer(rebasing: output[..<step.produced]))
                compressedBytesWritten += Int64(step.produced)
            }
            switch step.status {
            case Z_STREAM_END:
                return
            case Z_OK, Z_BUF_ERROR:
                // Done with Z_NO_FLUSH once zlib took all input and had room to spare.
                if flush == Z_NO_FLUSH && offset == data.count && step.produced < output.count { return }
                if step.produced == 0 && step.consumed == 0 && flush == Z_FINISH {
                    throw .writeFailed(path: name, errno: EIO)  // zlib cannot progress: never expected
                }
            default:
                throw .writeFailed(path: name, errno: EIO)
            }
        }
    }
}
