import CZlib

// Invariants:
// - `stream` is heap-allocated once and never moves: zlib keeps a back-pointer to it.
// - `isInitialized` is true exactly between a successful inflateInit2 and inflateEnd.
// - next_in/next_out point into caller buffers only during `inflate(…)`; they are cleared after it,
//   so no dangling pointer survives a call.

/// Owns one zlib `z_stream` set up to inflate gzip; the only code that touches it.
final class GzipInflater {
    /// What one call to ``inflate(from:into:)`` did.
    struct Step {
        /// zlib's return code: Z_OK, Z_STREAM_END, Z_BUF_ERROR, Z_DATA_ERROR, …
        var status: Int32
        var consumed: Int
        var produced: Int
    }

    private let stream: UnsafeMutablePointer<z_stream>
    /// Whether the z_stream holds zlib state that `deinit` must free (for lifecycle tests).
    private(set) var isInitialized = false

    /// Sets up a gzip inflater (windowBits 15 + 16: gzip header and trailer, no zlib or raw).
    ///
    /// - Returns: `nil` when zlib cannot allocate its state.
    init?() {
        // Set up in a local: failing after `self.stream` is set would run deinit, freeing it twice.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        guard czlib_inflateInit2(stream, 15 + 16) == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            return nil
        }
        self.stream = stream
        isInitialized = true
    }

    deinit {
        if isInitialized { inflateEnd(stream) }
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Inflates as much of `input` into `output` as fits, without forcing a flush.
    func inflate(from input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Step {
        precondition(isInitialized, "GzipInflater used after end")
        let inCount = UInt32(clamping: input.count)
        let outCount = UInt32(clamping: output.count)
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = inCount
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = outCount
        let status = CZlib.inflate(stream, Z_NO_FLUSH)
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

    /// Prepares for the next gzip member, keeping the allocated window.
    func reset() {
        precondition(isInitialized, "GzipInflater used after end")
        _ = inflateReset(stream)
    }

    /// zlib's message for the last error, if it set one.
    var message: String? {
        guard let text = stream.pointee.msg else { return nil }
        return String(cString: text)
    }

    /// Frees zlib's state now rather than at deinit. Idempotent.
    func end() {
        guard isInitialized else { return }
        inflateEnd(stream)
        isInitialized = false
    }
}
