#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CZlib
import Dispatch

// Invariants:
// - Input is cut into blocks of exactly `blockSize` bytes (the last one shorter); each block becomes
//   one complete gzip member. The output therefore depends on the bytes, the level and the deflate
//   library (libdeflate where installed, else zlib) only, never on the number of threads or how
//   writes were split: an archive is byte-identical wherever the same library compressed it.
// - At most one batch of blocks is being compressed while the next one fills; its members are
//   written to `base` in block order before the next batch starts.

/// Compresses everything written into another sink as a series of gzip members, one per 1 MiB of
/// input, compressed on all cores (as pigz does). Any gzip reader reads the members as one stream
/// (RFC 1952 §2.2; `gzip -d`, zlib's gzread, and ``GzipByteSource`` all do).
///
/// Deflate at level 6 runs at about 50 MB/s on one core here with zlib, which made compression the
/// largest single cost of a gzipped import; blocks let every core take a share, and libdeflate
/// (``LibDeflateCompressor``), where the system has it, compresses each at about 90 MB/s.
///
/// ```swift
/// let gzip = try ParallelGzipByteSink(wrapping: try FileByteSink(path: "customers.jsonl.gz"), level: 6)
/// try gzip.write("{\"id\":\"R1\"}\n")
/// try gzip.close()
/// ```
public final class ParallelGzipByteSink: ByteSink {
    public static let blockSize = 1 << 20

    public let name: String
    private let base: ByteSink
    private let level: Int32
    private let threads: Int
    private var filling: [UInt8] = []
    private var ready: [[UInt8]] = []
    private var inFlight: CompressionBatch?
    private var isClosed = false

    /// Uncompressed bytes accepted so far.
    public private(set) var uncompressedBytesWritten: Int64 = 0

    /// - Parameters:
    ///   - level: zlib's 0 (store) to 9 (smallest).
    ///   - threads: how many blocks are compressed at once (by default one per core).
    public init(wrapping base: ByteSink, level: Int32 = 6, threads: Int? = nil) throws(IOError) {
        guard (0...9).contains(level) else { throw .cannotCreate(path: base.name, errno: EINVAL) }
        self.name = base.name
        self.base = base
        self.level = level
        self.threads = max(1, threads ?? Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
        filling.reserveCapacity(Self.blockSize)
    }

    public func write(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
        guard !isClosed else { throw .writeFailed(path: name, errno: EBADF) }
        uncompressedBytesWritten += Int64(bytes.count)
        var rest = bytes[...]
        while !rest.isEmpty {
            let n = min(rest.count, Self.blockSize - filling.count)
            filling.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest.prefix(n)))
            rest = rest.dropFirst(n)
            if filling.count == Self.blockSize {
                ready.append(filling)
                filling = []
                filling.reserveCapacity(Self.blockSize)
                if ready.count == threads * 2 { try startBatch() }
            }
        }
    }

    /// Compresses what is left, writes every member, and closes the wrapped sink. Idempotent.
    public func close() throws(IOError) {
        guard !isClosed else { return }
        isClosed = true
        var failure: IOError?
        do {
            if !filling.isEmpty || (uncompressedBytesWritten == 0 && ready.isEmpty) {
                // An empty input still gets one (empty) member, so the file is valid gzip.
                ready.append(filling)
                filling = []
            }
            try startBatch()
            try finishBatch()
        } catch {
            failure = error
        }
        do { try base.close() } catch { if failure == nil { failure = error } }
        if let failure { throw failure }
    }

    /// Writes the batch in flight, then starts compressing the ready blocks in the background.
    private func startBatch() throws(IOError) {
        try finishBatch()
        guard !ready.isEmpty else { return }
        let batch = CompressionBatch(blocks: ready, level: level)
        ready = []
        batch.start(threads: threads)
        inFlight = batch
    }

    private func finishBatch() throws(IOError) {
        guard let batch = inFlight else { return }
        inFlight = nil
        batch.group.wait()
        for member in batch.members {
            guard let member else { throw .writeFailed(path: name, errno: ENOMEM) }
            try base.write(member)
        }
    }
}

/// Blocks being compressed on worker threads; each slot of `members` is written by one task only and
/// read after `group.wait()`.
private final class CompressionBatch: @unchecked Sendable {
    let blocks: [[UInt8]]
    let level: Int32
    /// One slot per block: tasks write disjoint slots through the pointer, never the array itself.
    let members: UnsafeMutableBufferPointer<[UInt8]?>
    let group = DispatchGroup()

    init(blocks: [[UInt8]], level: Int32) {
        self.blocks = blocks
        self.level = level
        members = .allocate(capacity: blocks.count)
        members.initialize(repeating: nil)
    }

    deinit {
        members.deinitialize()
        members.deallocate()
    }

    func start(threads: Int) {
        let lanes = min(threads, blocks.count)
        for lane in 0..<lanes {
            DispatchQueue.global().async(group: group) {
                var i = lane
                while i < self.blocks.count {
                    let member = Self.member(of: self.blocks[i], level: self.level)
                    self.members[i] = member
                    i += lanes
                }
            }
        }
    }

    /// `block` as one complete gzip member, or nil if zlib fails (out of memory).
    static func member(of block: [UInt8], level: Int32) -> [UInt8]? {
        if let libdeflate = LibDeflateCompressor(level: level) {
            return block.withUnsafeBytes { libdeflate.gzip($0) }
        }
        guard let deflater = GzipDeflater(level: level) else { return nil }
        // deflateBound-sized output: one call finishes the member.
        var out = [UInt8](repeating: 0, count: block.count + block.count / 1000 + 64 + 18)
        let produced: Int? = block.withUnsafeBytes { input in
            out.withUnsafeMutableBytes { output in
                var consumed = 0, produced = 0
                while true {
                    let step = deflater.deflate(from: UnsafeRawBufferPointer(rebasing: input[consumed...]),
                                                into: UnsafeMutableRawBufferPointer(rebasing: output[produced...]), flush: Z_FINISH)
                    consumed += step.consumed
                    produced += step.produced
                    if step.status == Z_STREAM_END { return produced }
                    if step.status != Z_OK && step.status != Z_BUF_ERROR { return nil }
                    if step.produced == 0 && step.consumed == 0 { return nil }
                }
            }
        }
        deflater.end()
        guard let produced else { return nil }
        out.removeSubrange(produced...)
        return out
    }
}
