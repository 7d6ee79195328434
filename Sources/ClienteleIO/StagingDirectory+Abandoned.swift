#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension StagingDirectory {
    /// Clears what earlier runs for the same final path left behind when they were killed
    /// (SIGKILL, OOM killer, power loss): their staging folders `.<name>.partial-<pid>-<hex>`, and
    /// the earlier archive a run had set aside as `.<name>.old-<pid>-<hex>` during a non-atomic
    /// commit.
    ///
    /// Only folders whose process is gone are touched (`kill(pid, 0)` says ESRCH); those of a live
    /// run, or of a process this user may not signal, are left alone. An abandoned set-aside
    /// archive is moved back to `finalPath` when nothing is there (the run died between its two
    /// renames), and removed otherwise. Best effort: errors are ignored.
    ///
    /// ```swift
    /// StagingDirectory.removeAbandoned(parent: ".", baseName: "archive")
    /// ```
    static func removeAbandoned(parent: String, baseName: String) {
        let partial = "." + baseName + ".partial-"
        let old = "." + baseName + ".old-"
        let prefix = parent == "/" ? "/" : parent + "/"
        for name in names(in: parent) {
            let isOld = name.hasPrefix(old)
            guard isOld || name.hasPrefix(partial) else { continue }
            let rest = name.utf8.dropFirst((isOld ? old : partial).utf8.count)
            guard let dash = rest.firstIndex(of: UInt8(ascii: "-")),
                  let pid = Int32(String(decoding: rest[..<dash], as: UTF8.self)), pid > 0,
                  kill(pid, 0) != 0, errno == ESRCH
            else { continue }
            let path = prefix + name
            let final = prefix + baseName
            if isOld && SystemCall.mode(of: final, followingLinks: false) == nil && rename(path, final) == 0 { continue }
            FileSystem.removeRecursively(path)
        }
    }

    /// The names in a directory, except `.` and `..`; empty when it cannot be read.
    private static func names(in directory: String) -> [String] {
        guard let stream = opendir(directory) else { return [] }
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
