#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ClienteleIO

/// A single output file written beside its final path and renamed into place only when complete,
/// so a reader (or a cron job's next step) never sees half of it. `-` writes standard output
/// directly. The file is created with mode 0600: it holds personal data.
///
/// ```swift
/// let file = try StagedFile(finalPath: "delta.jsonl")
/// try file.sink.write("{…}\n")
/// try file.commit()        // delta.jsonl appears, whole
/// ```
public final class StagedFile {
    public let finalPath: String
    /// Where the bytes go until ``commit()``: `<parent>/.<name>.partial-<pid>-<random>`.
    public let path: String
    public let sink: FileByteSink
    private var done = false

    /// - Throws: ``IOError/cannotCreate(path:errno:)`` naming `finalPath` (exit 73).
    public init(finalPath: String) throws(IOError) {
        self.finalPath = finalPath
        if finalPath == "-" {
            path = "-"
            sink = try FileByteSink(path: "-")
            return
        }
        if FileSystem.isDirectory(finalPath) { throw .cannotCreate(path: finalPath, errno: EISDIR) }
        let slash = finalPath.lastIndex(of: "/")
        let parent = slash.map { String(finalPath[...$0]) } ?? ""
        let name = slash.map { String(finalPath[finalPath.index(after: $0)...]) } ?? finalPath
        path = parent + "." + name + ".partial-\(getpid())-" + String(UInt64.random(in: .min ... .max), radix: 16)
        do {
            sink = try FileByteSink(path: path)
        } catch {
            throw .cannotCreate(path: finalPath, errno: { if case let .cannotCreate(_, e) = error { return e }; return EIO }())
        }
    }

    deinit { discard() }

    /// Closes the file and renames it to ``finalPath`` (replacing a file there).
    public func commit() throws(IOError) {
        guard !done else { return }
        try sink.close()
        done = true
        guard path != "-" else { return }
        guard rename(path, finalPath) == 0 else {
            let code = errno
            _ = unlink(path)
            throw .cannotCreate(path: finalPath, errno: code)
        }
    }

    /// Removes the partial file (after a failure). Idempotent; nothing after a commit.
    public func discard() {
        guard !done else { return }
        done = true
        try? sink.close()
        if path != "-" { _ = unlink(path) }
    }
}
