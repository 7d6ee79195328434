/// A failure below the formats: a file that cannot be opened, read or written, or a compressed
/// stream that is corrupt. Every case names the file it concerns.
public enum IOError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The input does not exist or cannot be opened for reading (exit 66).
    case cannotOpen(path: String, errno: Int32)
    /// Reading an open input failed (exit 66).
    case readFailed(path: String, errno: Int32)
    /// An output cannot be created (exit 73).
    case cannotCreate(path: String, errno: Int32)
    /// Writing an output failed, for example on a full disk (exit 73).
    case writeFailed(path: String, errno: Int32)
    /// A gzip stream is corrupt at `byteOffset` of the compressed file (exit 65).
    case corruptGzip(path: String, byteOffset: Int64, detail: String)
    /// A gzip stream ends before its last member is complete (exit 65).
    case truncatedGzip(path: String, byteOffset: Int64)
    /// Decompression exceeded the configured size or ratio limit: a likely gzip bomb (exit 65).
    case decompressionLimitExceeded(path: String, byteOffset: Int64, limit: String)

    public var description: String {
        switch self {
        case let .cannotOpen(path, errno):
            return "\(path): cannot open: \(IOError.describe(errno))"
        case let .readFailed(path, errno):
            return "\(path): read failed: \(IOError.describe(errno))"
        case let .cannotCreate(path, errno):
            return "\(path): cannot create: \(IOError.describe(errno))"
        case let .writeFailed(path, errno):
            return "\(path): write failed: \(IOError.describe(errno))"
        case let .corruptGzip(path, offset, detail):
            return "\(path): byte \(offset): corrupt gzip stream: \(detail)"
        case let .truncatedGzip(path, offset):
            return "\(path): byte \(offset): gzip stream is truncated"
        case let .decompressionLimitExceeded(path, offset, limit):
            return "\(path): byte \(offset): decompression stopped at the limit (\(limit)); the file may be a gzip bomb"
        }
    }

    /// The text of a C `errno` value.
    public static func describe(_ code: Int32) -> String {
        guard let text = strerror(code) else { return "errno \(code)" }
        return String(cString: text)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
