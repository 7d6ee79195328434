#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CClienteleSystem

// Invariants:
// - The staging directory sits in the same parent as `finalPath`, so every move is a rename(2)
//   within one file system: atomic, never a copy.
// - Nothing appears at `finalPath` before `commit()`; an existing archive there stays whole until
//   the exchange (or, where exchange is unsupported, is moved aside only for the moment between
//   two renames, and moved back if the second fails).
// - `state` moves staged → committed or staged → discarded, once.

/// A directory written beside its final path and moved into place only when complete.
///
/// SPEC §4: "on any abort nothing appears at --out". Write everything into ``path``, then
/// ``commit()``; if the run aborts, the staged directory is removed (by ``discard()`` or, at the
/// latest, by `deinit`). A run that is killed cannot clean up: the next one for the same final
/// path removes what it left (see ``removeAbandoned(parent:baseName:)``).
///
/// ```swift
/// let staging = try StagingDirectory(finalPath: "archive")
/// let sink = try FileByteSink(path: staging.path + "/customers.jsonl")
/// …
/// try sink.close()
/// try staging.commit()           // "archive" now holds the new files; an old archive is gone
/// ```
public final class StagingDirectory {
    private enum State { case staged, committed, discarded }

    /// The staged directory: `<parent>/.<name>.partial-<pid>-<random>`.
    public let path: String
    /// Where ``commit()`` puts it.
    public let finalPath: String
    private let parent: String
    private let baseName: String
    private var state = State.staged

    /// Whether ``commit()`` may try an atomic exchange (tests turn it off to cover the fallback).
    var usesExchange = true

    /// Creates the staged directory with mode 0700 beside `finalPath`.
    ///
    /// - Throws: ``IOError/cannotCreate(path:errno:)`` (exit 73) naming `finalPath`: its parent is
    ///   missing or not writable, or `finalPath` is something other than a directory (ENOTDIR).
    public init(finalPath: String) throws(IOError) {
        var final = finalPath
        while final.count > 1 && final.hasSuffix("/") { final.removeLast() }
        guard !final.isEmpty, final != "/", final != ".", final != ".." else {
            throw .cannotCreate(path: finalPath, errno: EINVAL)
        }
        if let slash = final.lastIndex(of: "/") {
            parent = slash == final.startIndex ? "/" : String(final[..<slash])
            baseName = String(final[final.index(after: slash)...])
        } else {
            parent = "."
            baseName = final
        }
        guard baseName != ".", baseName != ".." else { throw .cannotCreate(path: finalPath, errno: EINVAL) }
        if let mode = SystemCall.mode(of: final, followingLinks: true), mode & S_IFMT != S_IFDIR {
            throw .cannotCreate(path: finalPath, errno: ENOTDIR)
        }
        self.finalPath = final
        // Runs killed before (kill -9) left their staging folders here; clear them so they do not pile up.
        Self.removeAbandoned(parent: parent, baseName: baseName)
        let prefix = (parent == "/" ? "" : parent) + "/." + baseName + ".partial-\(getpid())-"
        var attempt = 0
        while true {
            let candidate = prefix + SystemCall.randomSuffix()
            if mkdir(candidate, 0o700) == 0 {
                path = candidate
                return
            }
            attempt += 1
            guard errno == EEXIST && attempt < 8 else { throw .cannotCreate(path: final, errno: errno) }
        }
    }

    deinit {
        if state == .staged { FileSystem.removeRecursively(path) }
    }

    /// Moves the staged directory to ``finalPath``, replacing a directory already there.
    ///
    /// A missing `finalPath` is a plain rename(2). An existing directory is swapped atomically
    /// (renameat2 RENAME_EXCHANGE) and the old one removed; where the kernel or file system
    /// lacks the exchange, the old one is renamed aside, the new one in, and the old one removed.
    /// Committing twice does nothing.
    ///
    /// - Throws: ``IOError/cannotCreate(path:errno:)`` naming `finalPath`: ENOTDIR when it is a
    ///   regular file, ENOENT after ``discard()``, or the errno of the failed rename.
    public func commit() throws(IOError) {
        switch state {
        case .committed: return
        case .discarded: throw .cannotCreate(path: finalPath, errno: ENOENT)
        case .staged: break
        }
        Self.syncDirectory(path)
        guard let mode = SystemCall.mode(of: finalPath, followingLinks: true) else {
            guard rename(path, finalPath) == 0 else { throw .cannotCreate(path: finalPath, errno: errno) }
            finish()
            return
        }
        guard mode & S_IFMT == S_IFDIR else { throw .cannotCreate(path: finalPath, errno: ENOTDIR) }
        if usesExchange {
            if cclientele_exchange_paths(path, finalPath) == 0 {
                // `path` now holds the old archive.
                FileSystem.removeRecursively(path)
                finish()
                return
            }
            guard errno == ENOSYS || errno == EINVAL || errno == EOPNOTSUPP else {
                throw .cannotCreate(path: finalPath, errno: errno)
            }
        }
        let aside = (parent == "/" ? "" : parent) + "/." + baseName + ".old-\(getpid())-" + SystemCall.randomSuffix()
        guard rename(finalPath, aside) == 0 else { throw .cannotCreate(path: finalPath, errno: errno) }
        guard rename(path, finalPath) == 0 else {
            let code = errno
            _ = rename(aside, finalPath)
            throw .cannotCreate(path: finalPath, errno: code)
        }
        FileSystem.removeRecursively(aside)
        finish()
    }

    /// Removes the staged directory and everything in it. Idempotent; does nothing after a commit.
    public func discard() {
        guard state == .staged else { return }
        state = .discarded
        FileSystem.removeRecursively(path)
    }

    private func finish() {
        state = .committed
        Self.syncDirectory(parent)  // makes the rename durable
    }

    /// fsync on a directory, best effort: durability of names, not of contents.
    private static func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = close(fd)
    }
}
