#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Reads a file with read(2), retrying on EINTR; the path `-` is standard input.
///
/// The source hands the caller's buffer straight to read(2), so it adds no copy and no
/// allocation per read. It counts the raw bytes it read (compressed bytes for a `.gz`), and knows
/// the size of a regular file, for progress and ETA.
///
/// ```swift
/// let file = try FileByteSource(path: "customers.csv")
/// var buffer = [UInt8](repeating: 0, count: 1 << 20)
/// let n = try buffer.withUnsafeMutableBytes { try file.read(into: $0) }
/// ```
public final class FileByteSource: ByteSource {
    public let name: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private var isClosed = false

    /// Raw bytes read from the file so far.
    public private(set) var bytesRead: Int64 = 0

    /// The size of a regular file; `nil` for pipes, terminals and other streams.
    public let fileSize: Int64?

    /// Opens `path` for reading; `-` is standard input.
    ///
    /// - Throws: ``IOError/cannotOpen(path:errno:)`` when the file is missing, unreadable, or a directory.
    public init(path: String) throws(IOError) {
        name = path
        let fd: Int32
        if path == "-" {
            fd = STDIN_FILENO
            ownsDescriptor = false
        } else {
            fd = SystemCall.retryingEINTR { open(path, O_RDONLY | O_CLOEXEC) }
            guard fd >= 0 else { throw .cannotOpen(path: path, errno: errno) }
            ownsDescriptor = true
        }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let code = errno
            if path != "-" { _ = Glibc.close(fd) }
            throw .cannotOpen(path: path, errno: code)
        }
        let type = info.st_mode & S_IFMT
        if type == S_IFDIR {
            if path != "-" { _ = Glibc.close(fd) }
            throw .cannotOpen(path: path, errno: EISDIR)
        }
        if type == S_IFREG {
            fileSize = Int64(info.st_size)
            // A hint only: the kernel may read ahead more aggressively.
            _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        } else {
            fileSize = nil
        }
        descriptor = fd
    }

    deinit {
        if ownsDescriptor && !isClosed { _ = Glibc.close(descriptor) }
    }

    /// Reads up to `buffer.count` bytes; `0` only at the end of the file.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0, !isClosed else { return 0 }
        let n = SystemCall.retryingEINTR { Glibc.read(descriptor, base, buffer.count) }
        guard n >= 0 else { throw .readFailed(path: name, errno: errno) }
        bytesRead += Int64(n)
        return n
    }

    /// Closes the file early (standard input is left open). Later reads return `0`. Idempotent.
    public func close() {
        guard !isClosed else { return }
        isClosed = true
        if ownsDescriptor { _ = Glibc.close(descriptor) }
    }
}
