import CZlib

// Invariants:
// - `stream` is heap-allocated once and never moves: zlib keeps a back-pointer to it.
// - `isInitialized` is true exactly between a successful deflateInit2 and deflateEnd.
// - next_in/next_out point into caller buffers only during `deflate(…)`; they are cleared after it.

/// Owns one zlib `z_stream` set up to deflate into gzip; the only code that touches it.
final class GzipDeflater {
    /// What one call to ``deflate(from:into:flush:)`` did.
    struct Step {
        /// zlib's return code: Z_OK, Z_STREAM_END, Z_BUF_ERROR, …
        var status: Int32
        var consumed: Int
        var produced: Int
    }

    private let stream: UnsafeMutablePointer<z_stream>
    /// Whether the z_stream holds zlib state that `deinit` must free (for lifecycle tests).
    private(set) var isInitialized = false

    /// Sets up a gzip deflater at `level` (0–9; windowBits 15 + 16 for a gzip wrapper, memLevel 8).
    ///
    /// - Returns: `nil` for an invalid level or when zlib cannot allocate its state.
    init?(level: Int32) {
        // Set up in a local: failing after `self.stream` is set would run deinit, freeing it twice.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard czlib_deflateInit2(stream, level, 15 + 16, 8, Z_DEFAULT_STRATEGY) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            return nil
        }
        self.stream = stream
        isInitialized = true
    }

    deinit {
        if isInitialized { deflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Compresses from `input` into `output`; `flush` is Z_NO_FLUSH or Z_FINISH.
    func deflate(from input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer, flush: Int32) -> Step {
        precondition(isInitialized, "GzipDeflater used after end")
        let inCount = UInt32(clamping: input.count)
        let outCount = UInt32(clamping: output.count)
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = inCount
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = outCount
        let status = CZlib.deflate(stream, flush)
        let step = Step(
            status: status,
            consumed: Int(inCount - stream.pointee.avail_in),
            produced: Int(outCount - stream.pointee.avail_out))
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        stream.pointee.next_out = nil
        stream.pointee.avail_out = 0
        return step
    }

    /// Frees zlib's state now rather than at deinit. Idempotent.
    func end() {
        guard isInitialized else { return }
        deflateEnd(stream)
        isInitialized = false
    }
}
