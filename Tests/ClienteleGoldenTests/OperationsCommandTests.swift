import Foundation
import Testing
import ClienteleTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Unattended operation end to end: the lock (exit 75), `--report-json -`, logs that never hold
/// secrets, formula guards in rejects.csv, 0600 files.
@Suite(.serialized) struct OperationsCommandTests {
    typealias F = ComplianceFixtures
    let root = TestPaths.repositoryRoot

    /// Holds the lock of `path` the way Clientele takes it (flock on `.NAME.lock` beside it).
    final class HeldLock {
        let fd: Int32
        let file: String
        init(_ path: String, exclusive: Bool = true) {
            let url = URL(fileURLWithPath: path)
            file = url.deletingLastPathComponent().path + "/." + url.lastPathComponent + ".lock"
            fd = open(file, O_RDWR | O_CREAT, 0o600)
            precondition(fd >= 0 && flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) == 0)
        }
        func release() {
            unlink(file)
            close(fd)
        }
    }

    @Test func aSecondRunOnTheSameOutputExits75AndTouchesNothing() throws {
        let scratch = try TemporaryDirectory()
        let out = scratch.path + "/archive"
        let held = HeldLock(out)
        let blocked = try CLIRunner.run(["import", "SampleData/clean.jsonl", "--out", out], in: root)
        #expect(blocked.status == 75)
        #expect(blocked.stderr.contains("another clientele run is using it") && blocked.stderr.contains("try again later"), "\(blocked.stderr)")
        #expect(!FileManager.default.fileExists(atPath: out))
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == [".archive.lock"], "no staging folder")
        held.release()

        let free = try CLIRunner.run(["import", "SampleData/clean.jsonl", "--out", out, "--quiet"], in: root)
        #expect(free.status == 0)
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path) == ["archive"], "the lock file goes with its run")

        // An archive being written cannot be read; readers do not block each other.
        let writer = HeldLock(out)
        let subject = try CLIRunner.run(["subject", out, "--email", "sam@example.com", "--out", scratch.path + "/s.json"], in: root)
        #expect(subject.status == 75)
        let erase = try CLIRunner.run(["erase", out, "--email", "sam@example.com", "--out", scratch.path + "/e"], in: root)
        #expect(erase.status == 75)
        let diff = try CLIRunner.run(["diff", out, out, "--out", scratch.path + "/d.jsonl"], in: root)
        #expect(diff.status == 75)
        writer.release()
        let reader = HeldLock(out, exclusive: false)
        let shared = try CLIRunner.run(["subject", out, "--email", "sam@example.com", "--out", scratch.path + "/s.json", "--quiet"], in: root)
        #expect(shared.status == 0, "\(shared.stderr)")
        let replace = try CLIRunner.run(["import", "SampleData/clean.jsonl", "--out", out, "--quiet"], in: root)
        #expect(replace.status == 75, "an import cannot replace an archive while it is read")
        reader.release()
    }

    @Test func reportJSONDashPrintsTheReportOnStandardOutput() throws {
        let scratch = try TemporaryDirectory()
        let run = try CLIRunner.run(["import", "SampleData/customers.csv", "--out", scratch.path + "/a", "--report-json", "-"], in: root)
        #expect(run.status == 1)
        #expect(run.stdout == (try F.text(scratch.path + "/a/report.json")))
        let report = try F.json(run.stdout) as! [String: Any]
        #expect(report["command"] as? String == "import")
        #expect(run.stderr.contains("read 18"), "the summary stays on standard error")
        let toFile = try CLIRunner.run(["import", "SampleData/clean.jsonl", "--out", scratch.path + "/b", "--report-json", scratch.path + "/r.json", "--quiet"], in: root)
        #expect(toFile.status == 0 && toFile.stdout.isEmpty)
        #expect(try F.text(scratch.path + "/r.json") == (try F.text(scratch.path + "/b/report.json")))
    }

    @Test func logsAtEveryLevelHoldNoHashPasswordOrNote() throws {
        let scratch = try TemporaryDirectory()
        let sample = try F.text(root + "/SampleData/customers.csv") + (try F.text(root + "/SampleData/guests.jsonl"))
        let plaintext = "Summer2019!"
        #expect(sample.contains(plaintext))
        let run = try CLIRunner.run(["import", "SampleData/customers.csv", "SampleData/guests.jsonl", "--out", scratch.path + "/a",
                                     "--log-level", "trace", "--quiet"], in: root)
        #expect(run.status == 1)
        #expect(run.stderr.contains(" debug clientele: record rejected "), "the log is there: \(run.stderr.prefix(500))")
        #expect(run.stderr.contains(" info clientele: import finished "))

        // Every hash and note text the archive and its rejects hold, and the dropped plaintext.
        var secrets = [plaintext]
        for line in try F.jsonLines(try F.text(scratch.path + "/a/customers.jsonl")) {
            if let hash = line["passwordHash"] as? [String: Any] { secrets.append(hash["value"] as! String) }
            for note in line["notes"] as? [[String: Any]] ?? [] { secrets.append(note["text"] as! String) }
        }
        for reject in try F.jsonLines(try F.text(scratch.path + "/a/rejects.jsonl")) {
            let raw = reject["raw"] as? [String: Any] ?? [:]
            for key in ["passwordHash", "password", "notes.0.text"] { if let v = raw[key] as? String, !v.isEmpty { secrets.append(v) } }
        }
        #expect(secrets.count >= 8)

        // The other commands, at trace too: no secret, and not the subject's email either.
        var logs = run.stderr
        let ann = "ann.lee@example.com"
        for args in [["subject", scratch.path + "/a", "--email", ann, "--out", scratch.path + "/s.json"],
                     ["erase", scratch.path + "/a", "--email", ann, "--out", scratch.path + "/e"],
                     ["diff", scratch.path + "/a", scratch.path + "/e", "--out", scratch.path + "/d.jsonl"],
                     ["validate", "SampleData/customers.csv"]] {
            let r = try CLIRunner.run(args + ["--log-level", "trace"], in: root)
            #expect(r.status == 0 || r.status == 1, "\(args[0]): \(r.stderr)")
            #expect(r.stderr.contains(" info clientele: "), "\(args[0]) logs")
            logs += r.stderr
        }
        for secret in secrets { #expect(!logs.contains(secret), "a log holds '\(secret)'") }
        #expect(!logs.lowercased().contains(ann))
        #expect(!logs.contains("Prefers invoices") && !logs.contains("Ring twice"))
    }

    @Test func theDefaultLevelKeepsStandardErrorAsItWas() throws {
        let scratch = try TemporaryDirectory()
        let run = try CLIRunner.run(["import", "SampleData/clean.jsonl", "--out", scratch.path + "/a"], in: root)
        #expect(run.status == 0)
        #expect(!run.stderr.contains(" info clientele:"))
        #expect(run.stderr.hasPrefix("read 3, written 2, merged 1, rejected 0"))
    }

    @Test func rejectsCSVGuardsFormulasAndEveryPersonalFileIs0600() throws {
        let scratch = try TemporaryDirectory()
        let archive = try F.importArchive(in: scratch.path)
        let rejects = try F.text(archive + "/rejects.csv")
        #expect(rejects.contains("'=HYPERLINK(\"\"http://evil.example\"\")"))
        #expect(rejects.contains(",'+SUM(1),'@cmd,'-2+3,"))
        #expect(!rejects.contains(",=") && !rejects.contains(",+") && !rejects.contains(",@"))
        // A fixed rejects file goes back in as it is: the guard is taken off again.
        let back = try CLIRunner.run(["validate", "rejects.csv", "--log-level", "error"], in: archive)
        #expect(back.status == 1)
        #expect(try CLIRunner.run(["subject", "archive", "--email", F.email, "--out", "s.json", "--quiet"], in: scratch.path).status == 0)
        #expect(try CLIRunner.run(["diff", "archive", "archive", "--out", "d.jsonl", "--quiet"], in: scratch.path).status == 0)
        #expect(try CLIRunner.run(["erase", "archive", "--email", F.email, "--out", "e", "--quiet"], in: scratch.path).status == 0)
        var files = try F.files(archive).map { archive + "/" + $0 } + (try F.files(scratch.path + "/e")).map { scratch.path + "/e/" + $0 }
        files += [scratch.path + "/s.json", scratch.path + "/d.jsonl"]
        for file in files { #expect(try F.mode(file) == 0o600, "\(file)") }
        for dir in [archive, scratch.path + "/e"] { #expect(try F.mode(dir) == 0o700, "\(dir)") }
    }
}
