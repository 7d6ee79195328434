#if canImport(Glibc)
import Glibc
#endif

/// Signals whose default action would kill the tool in the middle of a write.
///
/// A write past `ulimit -f` raises SIGXFSZ, and a write to a pipe nobody reads (standard error
/// piped into `head`) raises SIGPIPE; both kill the process by default, before it can remove its
/// staging folder or choose its exit code. Ignored, the same failures come back from write(2) as
/// EFBIG and EPIPE: an output that cannot be written is exit 73 with a message, and a lost message
/// on standard error is only lost.
enum ProcessSignals {
    /// Called once, first thing in `main`.
    static func ignoreWriteSignals() {
        _ = signal(SIGPIPE, SIG_IGN)
        _ = signal(SIGXFSZ, SIG_IGN)
    }
}
