import Foundation

/// Runs the built `clientele` binary (or another program) and collects what it printed, after
/// argument-parser's `AssertExecuteCommand`.
public enum CLIRunner {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The `clientele` executable built beside this test bundle.
    public static var clienteleBinary: String {
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        return URL(fileURLWithPath: exe).deletingLastPathComponent().appendingPathComponent("clientele").path
    }

    /// Runs `clientele ARGS` (or `executable ARGS`) in `directory`, with `stdin` as its standard input.
    public static func run(_ args: [String], in directory: String? = nil, executable: String? = nil, stdin: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? clienteleBinary)
        process.arguments = args
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        var env = ProcessInfo.processInfo.environment
        env["CLIENTELE_RECORD_GOLDEN"] = nil
        // Golden archives hold gzip bytes and their digests: zlib's, so they match on machines
        // without libdeflate too (in-process tests exercise libdeflate where it is installed).
        env["CLIENTELE_DEFLATE"] = "zlib"
        process.environment = env
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(stdin) }
        try input.fileHandleForWriting.close()
        // Read both pipes to the end before waiting, so a chatty child cannot block on a full pipe.
        nonisolated(unsafe) var errData = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async {
            errData = err.fileHandleForReading.readDataToEndOfFile()
            group.leave()
        }
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                      stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A fresh directory under /tmp, removed when the value goes away.
public final class TemporaryDirectory {
    public let path: String
    public init() throws {
        path = NSTemporaryDirectory() + "clientele-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}
