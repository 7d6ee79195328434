import Foundation
import Testing
import ClienteleTestSupport

/// Golden-file tests: each folder of `Cases/` runs the real `clientele` binary and compares what it
/// did with what is checked in (after Miller's regression cases):
///
///     Cases/<name>/args            one argument per line; $OUT is a fresh output path, $CASE this folder
///     Cases/<name>/exit-code       the expected exit status
///     Cases/<name>/stderr          (optional) expected standard error, with $OUT for the output path
///     Cases/<name>/expected/       (optional) the expected archive at $OUT, file for file
///     Cases/<name>/out-exists-with (optional) $OUT is made a directory holding this file first
///
/// `report.json` is compared without its `timing` line (wall time and rate differ run to run);
/// gzip files are compared by their decompressed bytes. When the exit code says the run aborted,
/// nothing may be at $OUT, and no staging folder may be left beside it.
/// `CLIENTELE_RECORD_GOLDEN=1 swift test --filter Golden` re-records the expectations (and fails,
/// so a recording never passes unseen).
@Suite struct GoldenCaseTests {
    static let casesDirectory = TestPaths.repositoryRoot + "/Tests/ClienteleGoldenTests/Cases"

    static var caseNames: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: casesDirectory)) ?? []).filter { !$0.hasPrefix(".") }.sorted()
    }

    @Test(arguments: caseNames)
    func goldenCase(_ name: String) throws {
        let caseDir = Self.casesDirectory + "/" + name
        let scratch = try TemporaryDirectory()
        let out = scratch.path + "/out"
        if let marker = try? String(contentsOfFile: caseDir + "/out-exists-with", encoding: .utf8) {
            try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
            try "keep me\n".write(toFile: out + "/" + marker.trimmingCharacters(in: .whitespacesAndNewlines), atomically: false, encoding: .utf8)
        }
        let args = try String(contentsOfFile: caseDir + "/args", encoding: .utf8)
            .split(separator: "\n").map { $0.replacingOccurrences(of: "$OUT", with: out).replacingOccurrences(of: "$CASE", with: caseDir) }
        let result = try CLIRunner.run(args, in: TestPaths.repositoryRoot)
        let stderr = result.stderr.replacingOccurrences(of: out, with: "$OUT").replacingOccurrences(of: caseDir, with: "$CASE")
        let recording = ProcessInfo.processInfo.environment["CLIENTELE_RECORD_GOLDEN"] == "1"

        if recording {
            try "\(result.status)\n".write(toFile: caseDir + "/exit-code", atomically: true, encoding: .utf8)
            if FileManager.default.fileExists(atPath: caseDir + "/stderr") || result.status >= 64 {
                try stderr.write(toFile: caseDir + "/stderr", atomically: true, encoding: .utf8)
            }
            if result.status < 64, FileManager.default.fileExists(atPath: out + "/report.json") {
                try? FileManager.default.removeItem(atPath: caseDir + "/expected")
                try FileManager.default.copyItem(atPath: out, toPath: caseDir + "/expected")
            }
            Issue.record("recorded \(name); unset CLIENTELE_RECORD_GOLDEN and run again")
            return
        }

        let expectedStatus = Int32(try String(contentsOfFile: caseDir + "/exit-code", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(result.status == expectedStatus, "exit status; stderr: \(stderr)")
        if let expectedStderr = try? String(contentsOfFile: caseDir + "/stderr", encoding: .utf8) {
            #expect(stderr == expectedStderr)
        }
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.contains("partial") }
        #expect(leftovers.isEmpty, "staging folders left behind: \(leftovers)")

        if result.status >= 64 {
            if FileManager.default.fileExists(atPath: caseDir + "/out-exists-with") {
                let kept = try FileManager.default.contentsOfDirectory(atPath: out)
                #expect(kept.count == 1, "a directory that is not an archive is left alone")
            } else {
                #expect(!FileManager.default.fileExists(atPath: out), "an aborted run leaves nothing at --out")
            }
            return
        }
        let expectedDir = caseDir + "/expected"
        guard FileManager.default.fileExists(atPath: expectedDir) else { return }
        let expectedFiles = try FileManager.default.contentsOfDirectory(atPath: expectedDir).sorted()
        let actualFiles = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(actualFiles == expectedFiles)
        for file in expectedFiles where actualFiles.contains(file) {
            let expected = try Self.comparable(expectedDir + "/" + file)
            let actual = try Self.comparable(out + "/" + file)
            #expect(actual == expected, "\(name)/\(file) differs from the golden copy")
            let mode = try FileManager.default.attributesOfItem(atPath: out + "/" + file)[.posixPermissions] as? Int
            #expect(mode == 0o600, "\(file) holds personal data: mode 0600")
        }
    }

    /// The bytes to compare: gzip decompressed; report.json without its timing line.
    static func comparable(_ path: String) throws -> String {
        if path.hasSuffix(".gz") {
            return try CLIRunner.run(["gzip", "-dc", path], executable: "/usr/bin/env").stdout
        }
        let text = try String(contentsOfFile: path, encoding: .utf8)
        if path.hasSuffix("report.json") {
            return text.split(separator: "\n", omittingEmptySubsequences: false).filter { !$0.contains("\"timing\"") }.joined(separator: "\n")
        }
        return text
    }
}
