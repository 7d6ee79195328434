#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

// Invariants:
// - `buffer[0..<buffered]` holds bytes accepted by `write` but not yet written to the descriptor.
// - `bytesWritten` counts every byte accepted, buffered or not; after `close()` all of them are on disk
//   (or an error was thrown).
// - After `close()` the descriptor is closed (standard output is only flushed, never closed).

/// A buffered file writer (256 KiB buffer) for outputs that may hold personal data.
///
/// A new file is created with mode 0600 (`O_CREAT | O_TRUNC | O_CLOEXEC`), and an existing
/// regular file it truncates loses any permission bits beyond `mode`. The path `-` writes
/// standard output; a reader that went away (EPIPE) becomes
/// ``IOError/writeFailed(path:errno:)``, not a SIGPIPE death.
///
/// ```swift
/// let sink = try FileByteSink(path: "archive/customers.jsonl")
/// try sink.write("{\"id\":\"R1\"}\n")
/// try sink.sync()
/// try sink.close()
/// ```
public final class FileByteSink: ByteSink {
    /// Size of the write buffer, unless the creator asks for another.
    public static let defaultBufferCapacity = 256 << 10

    /// Ignored once, the first time a sink writes standard output: EPIPE then arrives as an error.
    private static let ignoreSIGPIPE: Void = { _ = signal(SIGPIPE, SIG_IGN) }()

    public let name: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let buffer: UnsafeMutableRawPointer
    private let bufferCapacity: Int
    private var buffered = 0
    private var isClosed = false

    /// Bytes accepted by ``write(_:)`` so far (including those still in the buffer).
    public private(set) var bytesWritten: Int64 = 0

    /// Creates or truncates `path` for writing; `-` is standard output.
    ///
    /// - Parameter bufferCapacity: 0 writes every call straight through (for callers that buffer
    ///   already: hundreds of spill files with a 256 KiB buffer each were most of a run's memory).
    /// - Throws: ``IOError/cannotCreate(path:errno:)`` when the file cannot be created.
    public init(path: String, mode: mode_t = 0o600, bufferCapacity: Int = FileByteSink.defaultBufferCapacity) throws(IOError) {
        if path == "-" {
            Self.ignoreSIGPIPE
            descriptor = STDOUT_FILENO
            ownsDescriptor = false
        } else {
            descriptor = try Self.create(path, mode: mode)
            ownsDescriptor = true
        }
        name = path
        self.bufferCapacity = bufferCapacity
        buffer = .allocate(byteCount: max(1, bufferCapacity), alignment: 16)
    }

    /// Opens `path` with O_CREAT | O_TRUNC and makes sure its permissions are within `mode`.
    private static func create(_ path: String, mode: mode_t) throws(IOError) -> Int32 {
        let fd = SystemCall.retryingEINTR { open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode) }
        guard fd >= 0 else { throw .cannotCreate(path: path, errno: errno) }
        var info = stat()
        if fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG {
            // O_CREAT leaves an existing file's mode alone: take away what `mode` does not grant.
            let permissions = info.st_mode & 0o7777
            if permissions & ~mode != 0 && fchmod(fd, permissions & mode) != 0 {
                let code = errno
                _ = Glibc.close(fd)
                throw .cannotCreate(path: path, errno: code)
            }
        }
        return fd
    }

    /// Wraps an open descriptor (tests use it with pipes).
    init(descriptor: Int32, name: String, ownsDescriptor: Bool, ignoresSIGPIPE: Bool) {
        if ignoresSIGPIPE { Self.ignoreSIGPIPE }
        self.descriptor = descriptor
        self.name = name
        self.ownsDescriptor = ownsDescriptor
        bufferCapacity = Self.defaultBufferCapacity
        buffer = .allocate(byteCount: bufferCapacity, alignment: 16)
    }

    deinit {
        // Best effort only: a caller that wants to see errors calls close().
        if !isClosed {
            try? flush()
            if ownsDescriptor { _ = Glibc.close(descriptor) }
        }
        buffer.deallocate()
    }

    /// Buffers `bytes`, writing the buffer out whenever it fills; large writes bypass the buffer.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(IOError) {
        guard !isClosed else { throw .writeFailed(path: name, errno: EBADF) }
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        bytesWritten += Int64(bytes.count)
        let capacity = bufferCapacity
        if buffered + bytes.count <= capacity {
            (buffer + buffered).copyMemory(from: source, byteCount: bytes.count)
            buffered += bytes.count
            if buffered == capacity { try flush() }
            return
        }
        try flush()
        if bytes.count >= capacity {
            try writeAll(source, count: bytes.count)
        } else {
            buffer.copyMemory(from: source, byteCount: bytes.count)
            buffered = bytes.count
        }
    }

    /// Writes the buffered bytes to the file.
    public func flush() throws(IOError) {
        guard buffered > 0 else { return }
        let count = buffered
        buffered = 0  // On failure the bytes are dropped: the output is broken either way.
        try writeAll(UnsafeRawPointer(buffer), count: count)
    }

    /// Flushes, then asks the kernel to put the file on disk (fsync). Streams that cannot be synced
    /// (pipes, terminals, /dev/null: EINVAL) are accepted as they are.
    public func sync() throws(IOError) {
        guard !isClosed else { return }
        try flush()
        if SystemCall.retryingEINTR({ fsync(descriptor) }) != 0 && errno != EINVAL && errno != EROFS {
            throw .writeFailed(path: name, errno: errno)
        }
    }

    /// Flushes and closes the file (standard output is flushed only). Idempotent.
    public func close() throws(IOError) {
        guard !isClosed else { return }
        isClosed = true
        var failure: IOError?
        do { try flush() } catch { failure = error }
        // close(2) can report a deferred write error (NFS, quotas); EINTR must not be retried on Linux.
        if ownsDescriptor && Glibc.close(descriptor) != 0 && failure == nil && errno != EINTR {
            failure = .writeFailed(path: name, errno: errno)
        }
        if let failure { throw failure }
    }

    private func writeAll(_ start: UnsafeRawPointer, count: Int) throws(IOError) {
        var offset = 0
        while offset < count {
            let n = SystemCall.retryingEINTR { Glibc.write(descriptor, start + offset, count - offset) }
            guard n > 0 else { throw .writeFailed(path: name, errno: n < 0 ? errno : EIO) }
            offset += n
        }
    }
}
