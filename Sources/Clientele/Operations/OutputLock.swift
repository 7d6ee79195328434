#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ClienteleIO

// Invariants:
// - The lock is flock(2) on `<parent>/.<name>.lock`; it is held from `init` until `release()` (or deinit).
// - A lock only counts if, once granted, the path still names the locked inode: the previous holder
//   unlinks the file as it leaves, so a lock granted on an unlinked inode is dropped and taken again.
// - Only a holder that can make its lock exclusive unlinks the file: a reader leaving while other
//   readers remain leaves it in place, so a writer can never lock a fresh file beside them.

/// An advisory lock beside a path, so that two unattended runs cannot overlap on it.
///
/// Writers take it exclusively on their `--out`; readers (`subject`, `erase`, `diff`) take it
/// shared on the archives they read, so an import cannot replace an archive while it is being read.
/// A second writer does not wait: it fails at once with ``ClienteleError/locked(path:lockFile:)``
/// (exit 75, EX_TEMPFAIL), which a cron job can retry. The lock file is created with mode 0600 and
/// removed by the last holder; the lock dies with its process, so a killed run never leaves a
/// stale lock behind.
///
/// ```swift
/// let lock = try OutputLock(path: "archive", mode: .exclusive)   // .archive.lock beside it
/// defer { lock.release() }
/// try ImportJob(options: options).run()
/// ```
public final class OutputLock {
    /// Exclusive for a run that writes the path, shared for one that reads it.
    public enum Mode: Sendable {
        case exclusive
        case shared
    }

    /// The path the lock protects.
    public let path: String
    /// The lock file: `<parent>/.<name>.lock`.
    public let lockFile: String
    public let mode: Mode
    private var descriptor: Int32

    /// The lock file of `path`: a hidden file beside it, so the lock also covers a path that does
    /// not exist yet (an output about to be created).
    public static func lockFile(for path: String) -> String {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        guard let slash = p.lastIndex(of: "/") else { return "." + p + ".lock" }
        let parent = p[..<slash]
        return String(parent) + "/." + String(p[p.index(after: slash)...]) + ".lock"
    }

    /// Takes the lock, or fails at once when another process holds it in a conflicting mode.
    ///
    /// - Throws: ``ClienteleError/locked(path:lockFile:)`` (exit 75) when it is held;
    ///   ``ClienteleError/io(_:)`` with `.cannotCreate` (exit 73) when the lock file cannot be made.
    public init(path: String, mode: Mode) throws(ClienteleError) {
        self.path = path
        self.mode = mode
        lockFile = OutputLock.lockFile(for: path)
        var attempts = 0
        while true {
            let fd = open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            // A lock file that cannot be made beside the output means the output cannot be made either.
            guard fd >= 0 else { throw .io(.cannotCreate(path: mode == .exclusive ? path : lockFile, errno: errno)) }
            if flock(fd, (mode == .exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0 {
                let code = errno
                _ = close(fd)
                if code == EWOULDBLOCK { throw .locked(path: path, lockFile: lockFile) }
                throw .io(.cannotCreate(path: lockFile, errno: code))
            }
            if OutputLock.isSameFile(fd, lockFile) {
                descriptor = fd
                return
            }
            // The previous holder unlinked the file between our open and our lock: lock the new one.
            _ = close(fd)
            attempts += 1
            if attempts > 100 { throw .locked(path: path, lockFile: lockFile) }
        }
    }

    /// Takes a shared lock for reading `path`, or returns `nil` when no lock file can be created
    /// beside it (a read-only location: nothing there can be replaced by Clientele either).
    ///
    /// - Throws: ``ClienteleError/locked(path:lockFile:)`` when a writer holds it.
    public static func forReading(_ path: String) throws(ClienteleError) -> OutputLock? {
        do {
            return try OutputLock(path: path, mode: .shared)
        } catch {
            if case .io = error { return nil }
            throw error
        }
    }

    deinit { release() }

    /// Releases the lock (idempotent), removing the lock file when no one else holds it.
    public func release() {
        guard descriptor >= 0 else { return }
        // Converting to exclusive succeeds only when no other reader holds the file.
        if mode == .exclusive || flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
            if OutputLock.isSameFile(descriptor, lockFile) { _ = unlink(lockFile) }
        }
        _ = close(descriptor)
        descriptor = -1
    }

    private static func isSameFile(_ fd: Int32, _ path: String) -> Bool {
        var held = stat()
        var named = stat()
        guard fstat(fd, &held) == 0, stat(path, &named) == 0 else { return false }
        return held.st_ino == named.st_ino && held.st_dev == named.st_dev
    }
}
