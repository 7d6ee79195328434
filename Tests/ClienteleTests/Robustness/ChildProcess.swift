import Foundation
import ClienteleTestSupport

#if canImport(Glibc)
import Glibc
#endif

// Invariants:
// - A child's standard streams go to files (or /dev/null), never to pipes the test must drain, so
//   a child cannot block on a full pipe while the test sleeps before killing it.
// - Every spawned child is waited for exactly once (by `wait()`), so none is left a zombie.

/// A child process for the fault and limit tests, started with posix_spawn: what `Process` does not
/// give is a SIGKILL at a chosen moment, a hang guard, and the raw wait status (to tell an exit
/// code from a death by signal).
///
/// ```swift
/// let child = try ChildProcess(["/bin/sh", "-c", "exit 3"], directory: scratch.path)
/// let end = child.wait()     // end.exitCode == 3, end.signal == nil
/// ```
final class ChildProcess {
    /// How a child ended.
    struct End: CustomStringConvertible {
        /// The exit status, when it exited.
        var exitCode: Int32?
        /// The signal that killed it, when one did.
        var signal: Int32?
        /// wait4's peak RSS of the child, in KiB. Not the child's own: posix_spawn's vfork carries the
        /// test process's high-water mark into it (see `Robustness.memoryProbe`).
        var maxRSSKiB: Int
        var stdout: String
        var stderr: String

        var description: String {
            let how = exitCode.map { "exit \($0)" } ?? "signal \(signal ?? -1)"
            return "\(how), stderr: \(stderr)"
        }
    }

    let pid: pid_t
    private let stdoutPath: String
    private let stderrPath: String
    private var ended: End?

    /// Starts `arguments[0]` (a path) with the rest as its arguments.
    ///
    /// - Parameters:
    ///   - directory: the child's working directory.
    ///   - stdin: a file for standard input; `/dev/null` by default.
    init(_ arguments: [String], directory: String, stdin: String = "/dev/null") throws {
        // Captured in the system temporary directory, so the directories under test see no extra files.
        let tag = NSTemporaryDirectory() + "clientele-child-" + UUID().uuidString
        stdoutPath = tag + ".out"
        stderrPath = tag + ".err"
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, stdin, O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, stdoutPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_addopen(&actions, 2, stderrPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        // `env -C` changes directory (posix_spawn_file_actions_addchdir_np is not imported), then execs.
        let argv = (["/usr/bin/env", "-C", directory] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var env = ProcessInfo.processInfo.environment
        env["CLIENTELE_RECORD_GOLDEN"] = nil
        let envp = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { envp.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, "/usr/bin/env", &actions, nil, argv, envp)
        guard status == 0 else {
            throw NSError(domain: NSPOSIXErrorDomain, code: Int(status),
                          userInfo: [NSLocalizedDescriptionKey: "cannot start \(arguments[0]): \(String(cString: strerror(status)))"])
        }
        pid = child
    }

    /// Runs the `clientele` binary built with the tests.
    static func clientele(_ arguments: [String], directory: String, stdin: String = "/dev/null") throws -> ChildProcess {
        try ChildProcess([CLIRunner.clienteleBinary] + arguments, directory: directory, stdin: stdin)
    }

    /// Runs `script` with bash (`bash -c script clientele-path args…`: `$0` is the clientele binary).
    static func bash(_ script: String, _ arguments: [String] = [], directory: String) throws -> ChildProcess {
        try ChildProcess(["/bin/bash", "-c", script, CLIRunner.clienteleBinary] + arguments, directory: directory)
    }

    /// Sends SIGKILL (no effect once it ended).
    func kill() {
        if ended == nil { _ = Glibc.kill(pid, SIGKILL) }
    }

    /// Waits for the end, but kills the child after `seconds`: a guard against a hang taking the
    /// whole test run with it (the result then shows signal 9).
    @discardableResult
    func wait(killingAfter seconds: Int) -> End {
        if let ended { return ended }
        for _ in 0..<(seconds * 20) where !Self.hasEnded(pid) { usleep(50_000) }
        if !Self.hasEnded(pid) { kill() }
        return wait()
    }

    /// Whether the child is a zombie (ended, not yet waited for).
    private static func hasEnded(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(close, offsetBy: 2)] == "Z"
    }

    /// Waits for the end, once; later calls return the same.
    @discardableResult
    func wait() -> End {
        if let ended { return ended }
        var status: Int32 = 0
        var usage = rusage()
        while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
        // WIFEXITED / WTERMSIG are macros: decode the status by hand (Linux layout).
        let signal = status & 0x7F
        let end = End(
            exitCode: signal == 0 ? (status >> 8) & 0xFF : nil,
            signal: signal == 0 ? nil : signal,
            maxRSSKiB: usage.ru_maxrss,
            stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
            stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")
        try? FileManager.default.removeItem(atPath: stdoutPath)
        try? FileManager.default.removeItem(atPath: stderrPath)
        ended = end
        return end
    }

    deinit {
        if ended == nil {
            kill()
            wait()
        }
    }
}
