import Foundation
import Testing
import ClienteleTestSupport

/// End-to-end behaviours of the `clientele` binary that the golden folders cannot express:
/// standard input, gzip detection by content, `validate` writing nothing, replacing an archive.
@Suite struct CommandLineTests {
    let root = TestPaths.repositoryRoot

    static func gzipBytes(_ path: String) throws -> [UInt8] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["gzip", "-n", "-c", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Array(data)
    }

    func customers(_ archive: String) throws -> String {
        try String(contentsOfFile: archive + "/customers.jsonl", encoding: .utf8)
    }

    @Test func standardInputIsReadForDash() throws {
        let scratch = try TemporaryDirectory()
        let input = try Data(contentsOf: URL(fileURLWithPath: root + "/SampleData/clean.jsonl"))
        let viaStdin = try CLIRunner.run(["import", "-", "--out", scratch.path + "/a", "--quiet"], in: root, stdin: input)
        #expect(viaStdin.status == 0, "\(viaStdin.stderr)")
        let viaFile = try CLIRunner.run(["import", "SampleData/clean.jsonl", "--out", scratch.path + "/b", "--quiet"], in: root)
        #expect(viaFile.status == 0)
        // Same customers; only the provenance's file name differs.
        let a = try customers(scratch.path + "/a").replacingOccurrences(of: "\"file\":\"-\"", with: "\"file\":\"SampleData/clean.jsonl\"")
        #expect(a == (try customers(scratch.path + "/b")))
    }

    @Test func gzipIsDetectedByContentAndMultiMemberStreamsAreRead() throws {
        let scratch = try TemporaryDirectory()
        // Two gzip members, each half of the lines, under a name that says nothing about gzip.
        let lines = try String(contentsOfFile: root + "/SampleData/guests.jsonl", encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        let half = lines.count / 2
        try (lines[..<half].joined(separator: "\n") + "\n").write(toFile: scratch.path + "/p1", atomically: false, encoding: .utf8)
        try lines[half...].joined(separator: "\n").write(toFile: scratch.path + "/p2", atomically: false, encoding: .utf8)
        let joined = try Self.gzipBytes(scratch.path + "/p1") + Self.gzipBytes(scratch.path + "/p2")
        try Data(joined).write(to: URL(fileURLWithPath: scratch.path + "/feed.data"))
        let gz = try CLIRunner.run(["import", scratch.path + "/feed.data", "--out", scratch.path + "/gz", "--quiet"], in: root)
        let plain = try CLIRunner.run(["import", "SampleData/guests.jsonl", "--out", scratch.path + "/plain", "--quiet"], in: root)
        #expect(gz.status == plain.status)
        let report = try String(contentsOfFile: scratch.path + "/gz/report.json", encoding: .utf8)
        #expect(report.contains("\"gzip\":true"))
        let normalize = { (s: String) in s.replacingOccurrences(of: scratch.path + "/feed.data", with: "SampleData/guests.jsonl") }
        #expect(normalize(try customers(scratch.path + "/gz")) == (try customers(scratch.path + "/plain")))
    }

    @Test func truncatedGzipAbortsWith65NamingTheFileAndLeavesNothing() throws {
        let scratch = try TemporaryDirectory()
        let whole = try Self.gzipBytes(root + "/SampleData/customers.csv")
        try Data(whole.prefix(whole.count - 20)).write(to: URL(fileURLWithPath: scratch.path + "/cut.csv.gz"))
        let result = try CLIRunner.run(["import", scratch.path + "/cut.csv.gz", "--out", scratch.path + "/out"], in: root)
        #expect(result.status == 65)
        #expect(result.stderr.contains("cut.csv.gz"))
        #expect(result.stderr.contains("byte"))
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out"))
    }

    @Test func validateChecksAndWritesNothing() throws {
        let result = try CLIRunner.run(["validate", "SampleData/customers.csv", "SampleData/guests.jsonl"], in: root)
        #expect(result.status == 1)
        #expect(result.stderr.contains("read 27, written 9, merged 5, rejected 13"))
        #expect(result.stderr.contains("nothing written"))
        let clean = try CLIRunner.run(["validate", "SampleData/clean.jsonl", "--quiet"], in: root)
        #expect(clean.status == 0)
        #expect(clean.stderr.isEmpty)
    }

    @Test func anEarlierArchiveIsReplacedWhole() throws {
        let scratch = try TemporaryDirectory()
        let out = scratch.path + "/archive"
        #expect(try CLIRunner.run(["import", "SampleData/customers.csv", "--out", out, "--quiet"], in: root).status == 1)
        #expect(FileManager.default.fileExists(atPath: out + "/rejects.csv"))
        #expect(try CLIRunner.run(["import", "SampleData/clean.jsonl", "--out", out, "--quiet"], in: root).status == 0)
        let files = try FileManager.default.contentsOfDirectory(atPath: out).sorted()
        #expect(files == ["crosswalk.csv", "customers.jsonl", "rejects.jsonl", "report.json"], "no file of the old archive survives")
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["archive"])
    }

    @Test func refsDependOnTheKeyFile() throws {
        let scratch = try TemporaryDirectory()
        try "first secret\n".write(toFile: scratch.path + "/k1", atomically: false, encoding: .utf8)
        try "second secret\n".write(toFile: scratch.path + "/k2", atomically: false, encoding: .utf8)
        for (name, key) in [("a", "k1"), ("b", "k1"), ("c", "k2")] {
            let r = try CLIRunner.run(["import", "SampleData/clean.jsonl", "--out", scratch.path + "/" + name,
                                       "--ref-key-file", scratch.path + "/" + key, "--quiet"], in: root)
            #expect(r.status == 0)
        }
        let refs = { (name: String) in
            try String(contentsOfFile: scratch.path + "/" + name + "/crosswalk.csv", encoding: .utf8)
                .split(separator: "\n").dropFirst().map { $0.split(separator: ",")[4] }.sorted()
        }
        #expect(try refs("a") == refs("b"), "stable for the same key")
        #expect(Set(try refs("a")).isDisjoint(with: Set(try refs("c"))), "another key gives other refs")
    }
}
