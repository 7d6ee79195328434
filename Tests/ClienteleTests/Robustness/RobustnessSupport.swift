import Foundation
import ClienteleTestSupport

#if canImport(Glibc)
import Glibc
#endif

/// Inputs and checks shared by the fault and limit tests.
enum Robustness {
    /// A CSV of `count` accounts, made directly (the `generate` command is slow in a debug build):
    /// two registered accounts for each guest, every third guest sharing an email with another, two
    /// addresses each, so that reading, merging and writing all have work to do.
    static func writeAccounts(_ count: Int, to path: String) throws {
        var text = "id,kind,email,firstName,lastName,phone,createdAt,addresses.0.city,addresses.0.country,"
            + "addresses.1.street1,addresses.1.city,addresses.1.country,orders.count,orders.totals.0.currency,"
            + "orders.totals.0.amount\n"
        text.reserveCapacity(count * 200)
        for i in 0..<count {
            let guest = i % 3 == 0
            let email = guest ? "shopper\(i / 2)@example.com" : "user\(i)@example.org"
            text += "\(i),\(guest ? "guest" : "registered"),\(email),Ann \(i),Lee,+49 30 \(100_000 + i),"
                + "2024-01-\(10 + i % 18)T10:00:00Z,Berlin,DE,\"Hauptstr. \(i % 200), Hof\",München,DE,\(i % 7),EUR,\(i % 1000).50\n"
        }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// The files of an archive directory by name, as they compare between runs: report.json without
    /// its timing line. `nil` when nothing is at `path`.
    static func snapshot(_ path: String) -> [String: [UInt8]]? {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return nil }
        var files: [String: [UInt8]] = [:]
        for name in names {
            var bytes = Array((try? Data(contentsOf: URL(fileURLWithPath: path + "/" + name))) ?? Data())
            if name == "report.json" {
                let text = String(decoding: bytes, as: UTF8.self)
                bytes = Array(text.split(separator: "\n", omittingEmptySubsequences: false)
                    .filter { !$0.contains("\"timing\"") }.joined(separator: "\n").utf8)
            }
            files[name] = bytes
        }
        return files
    }

    /// Entries of `directory` left by staging (`.NAME.partial-…`, `.NAME.old-…`).
    static func stagingLeftovers(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? [])
            .filter { $0.contains(".partial-") || $0.contains(".old-") }
    }

    /// Whether this process may mount a tmpfs (root with CAP_SYS_ADMIN; CI containers often may not).
    static let canMountTmpfs: Bool = {
        guard geteuid() == 0, FileManager.default.isExecutableFile(atPath: "/usr/bin/mount") || FileManager.default.isExecutableFile(atPath: "/bin/mount") else { return false }
        let probe = NSTemporaryDirectory() + "clientele-mount-probe-" + UUID().uuidString
        guard (try? FileManager.default.createDirectory(atPath: probe, withIntermediateDirectories: true)) != nil else { return false }
        defer { try? FileManager.default.removeItem(atPath: probe) }
        guard run("/bin/sh", "-c", "mount -t tmpfs -o size=64k tmpfs '\(probe)' 2>/dev/null") == 0 else { return false }
        _ = run("/bin/sh", "-c", "umount '\(probe)'")
        return true
    }()

    /// Whether `setpriv` can run a child as `nobody` (we are root, and the tool is there).
    static let canDropPrivileges: Bool = {
        geteuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")
            && run("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--", "/bin/true") == 0
    }()

    /// A shell prefix that runs a command under a small parent which writes the command's own peak
    /// RSS (KiB) to `file`: GNU time, else python3; `nil` when neither is there.
    ///
    /// wait4's rusage of a child we spawn is no good for this: posix_spawn starts the child in the
    /// test process's memory (vfork), and exec carries that memory's high-water mark into the
    /// child's `ru_maxrss`, so a child seemed as large as the test runner (600 MiB under ASan).
    static func memoryProbe(_ file: String) -> String? {
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/time") { return "/usr/bin/time -f %M -o '\(file)'" }
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/python3") {
            return "/usr/bin/python3 -c 'import resource, subprocess, sys; r = subprocess.run(sys.argv[2:]).returncode; "
                + "open(sys.argv[1], \"w\").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)); "
                + "sys.exit(r if r >= 0 else 128 - r)' '\(file)'"
        }
        return nil
    }

    /// The peak RSS in KiB a ``memoryProbe(_:)`` wrote (its last line).
    static func probedRSS(_ file: String) -> Int? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        return text.split(separator: "\n").last.flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Whether the tests run under a sanitizer (scripts/sanitizers.sh), which inflates memory.
    static let sanitized = ProcessInfo.processInfo.environment["CLIENTELE_SANITIZED"] != nil

    /// Runs a command and returns its exit status (-1 when it could not run).
    @discardableResult
    static func run(_ arguments: String...) -> Int32 {
        guard let child = try? ChildProcess(arguments, directory: "/") else { return -1 }
        return child.wait().exitCode ?? -1
    }
}
