#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Small helpers around raw system calls, shared by the file types of this module.
enum SystemCall {
    /// Runs `call` again while it fails with EINTR (a signal arrived before any work was done).
    @inline(__always)
    static func retryingEINTR<T: BinaryInteger>(_ call: () -> T) -> T {
        while true {
            let result = call()
            if result >= 0 || errno != EINTR { return result }
        }
    }

    /// `st_mode` of `path` (`lstat` when `followingLinks` is false), or `nil` when it cannot be read.
    static func mode(of path: String, followingLinks: Bool) -> mode_t? {
        var info = stat()
        let status = followingLinks ? stat(path, &info) : lstat(path, &info)
        return status == 0 ? info.st_mode : nil
    }

    /// A random lowercase hex string, for unique temporary names.
    static func randomSuffix() -> String {
        String(UInt64.random(in: .min ... .max), radix: 16)
    }
}
