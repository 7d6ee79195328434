#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// File-system helpers on plain system calls (no Foundation in this layer).
///
/// Nothing here follows symbolic links when it removes: a link inside a tree is unlinked,
/// never the directory it points to.
///
/// ```swift
/// if FileSystem.isDirectory("out") { FileSystem.removeRecursively("out") }
/// try FileSystem.makeDirectory("out", mode: 0o700)
/// ```
public enum FileSystem {
    /// Removes `path` and, for a directory, everything in it; a missing path is fine.
    /// Errors are ignored: it removes what it can.
    public static func removeRecursively(_ path: String) {
        removeEntry(in: AT_FDCWD, name: path)
    }

    /// Whether anything (even a dangling symbolic link) is at `path`.
    public static func exists(_ path: String) -> Bool {
        SystemCall.mode(of: path, followingLinks: false) != nil
    }

    /// Whether `path` is a directory (or a link to one).
    public static func isDirectory(_ path: String) -> Bool {
        guard let mode = SystemCall.mode(of: path, followingLinks: true) else { return false }
        return mode & S_IFMT == S_IFDIR
    }

    /// Creates the directory `path` with `mode` (less the umask), like mkdir(2).
    ///
    /// - Throws: ``IOError/cannotCreate(path:errno:)``, also when `path` already exists (EEXIST).
    public static func makeDirectory(_ path: String, mode: mode_t) throws(IOError) {
        guard mkdir(path, mode) == 0 else { throw .cannotCreate(path: path, errno: errno) }
    }

    /// The size of the regular file at `path`, or `nil` (missing, not a regular file, standard input).
    /// Raises this process's soft limit on open files towards `wanted` (at most to the hard limit)
    /// and returns the soft limit now in force.
    @discardableResult
    public static func raiseOpenFileLimit(to wanted: Int) -> Int {
        var limit = rlimit()
        guard getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &limit) == 0 else { return 1024 }
        if limit.rlim_cur < rlim_t(wanted) {
            var raised = limit
            raised.rlim_cur = min(rlim_t(wanted), limit.rlim_max)
            if setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &raised) == 0 { limit = raised }
        }
        return Int(clamping: limit.rlim_cur)
    }

    public static func fileSize(_ path: String) -> Int64? {
        var st = stat()
        guard path != "-", stat(path, &st) == 0, st.st_mode & S_IFMT == S_IFREG else { return nil }
        return Int64(st.st_size)
    }

    /// Whether `path` is a directory with nothing in it.
    public static func isEmptyDirectory(_ path: String) -> Bool {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return false }
        defer { _ = close(fd) }
        return entries(of: fd).isEmpty
    }

    // MARK: - Removal

    /// Unlinks `name` relative to `directory`; if it is a directory, empties it first.
    private static func removeEntry(in directory: Int32, name: String) {
        if unlinkat(directory, name, 0) == 0 || errno == ENOENT { return }
        // Linux says EISDIR for a directory (POSIX allows EPERM).
        guard errno == EISDIR || errno == EPERM else { return }
        let fd = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else { return }
        for child in entries(of: fd) {
            removeEntry(in: fd, name: child)
        }
        _ = close(fd)
        _ = unlinkat(directory, name, AT_REMOVEDIR)
    }

    /// The names in an open directory, except `.` and `..` (read fully before anything is removed).
    private static func entries(of fd: Int32) -> [String] {
        // fdopendir takes over the descriptor it is given, so hand it a duplicate.
        let copy = dup(fd)
        guard copy >= 0, let stream = fdopendir(copy) else {
            if copy >= 0 { _ = close(copy) }
            return []
        }
        defer { closedir(stream) }
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
                tuple.withMemoryRebound(to: CChar.self, capacity: MemoryLayout.size(ofValue: tuple.pointee)) {
                    String(cString: $0)
                }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
