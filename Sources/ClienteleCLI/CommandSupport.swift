import ArgumentParser
import Clientele
import ClienteleIO

#if canImport(Glibc)
import Glibc
#endif

/// Runs `body` holding the locks of a command: exclusive on the output it writes (so two runs
/// cannot write the same `--out` at once), shared on each archive it reads (so an import cannot
/// replace it meanwhile). A path that is both read and written takes the exclusive lock only.
/// Only archive directories are read-locked.
/// Standard output (`-`) takes none. A lock held elsewhere ends the command at once with exit 75.
func withLocks<T>(writing output: String?, reading inputs: [String] = [], _ body: () throws -> T) throws -> T {
    var held: [OutputLock] = []
    defer { for lock in held.reversed() { lock.release() } }
    do {
        var taken = Set<String>()
        if let output, output != "-" {
            held.append(try OutputLock(path: output, mode: .exclusive))
            taken.insert(canonicalPath(output))
        }
        // Archives are directories; a customers file named directly (or /dev/null) is not locked.
        for input in inputs where FileSystem.isDirectory(input) && taken.insert(canonicalPath(input)).inserted {
            if let lock = try OutputLock.forReading(input) { held.append(lock) }
        }
    } catch {
        throw ExitStatus.fail(error)
    }
    return try body()
}

/// `path` resolved (links, `.`, `..`), for telling whether two paths name the same file; a path
/// that does not exist yet is resolved through its parent.
func canonicalPath(_ path: String) -> String {
    var p = path
    while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
    if let resolved = realpath(p, nil) {
        defer { free(resolved) }
        return String(cString: resolved)
    }
    let slash = p.lastIndex(of: "/")
    let parent = slash.map { $0 == p.startIndex ? "/" : String(p[..<$0]) } ?? "."
    let name = slash.map { String(p[p.index(after: $0)...]) } ?? p
    guard let resolved = realpath(parent, nil) else { return p }
    defer { free(resolved) }
    return String(cString: resolved) + "/" + name
}

/// Copies a finished archive's report to `destination` (`-`: standard output), for
/// `--report-json`.
func copyReport(from archive: String, to destination: String) throws {
    do {
        let source = try FileByteSource(path: archive + "/report.json")
        let sink = try FileByteSink(path: destination)
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = try source.read(into: &buffer)
            if n == 0 { break }
            try sink.write(Array(buffer[0..<n]))
        }
        try sink.close()
    } catch {
        throw ExitStatus.fail(ClienteleError.io(error))
    }
}

/// Writes `text` to `destination` (`-`: standard output), for `--report-json`.
func writeReport(_ text: String, to destination: String) throws {
    do {
        let sink = try FileByteSink(path: destination)
        try sink.write(text)
        try sink.close()
    } catch {
        throw ExitStatus.fail(ClienteleError.io(error))
    }
}
