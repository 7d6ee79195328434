import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import ClienteleTestSupport

/// `subject` and `erase` end to end through the binary (SPEC §7): the access bundle holds the
/// person and no one else; the erased archive holds none of the person's values in any file, the
/// others unchanged; the original email can register again; erasing is idempotent.
@Suite(.serialized) struct ComplianceCommandTests {
    typealias F = ComplianceFixtures

    // MARK: - subject

    @Test func subjectByEmailHoldsThePersonTheirCrosswalkAndRejectsAndNoOneElse() throws {
        let scratch = try TemporaryDirectory()
        let archive = try F.importArchive(in: scratch.path)
        let run = try CLIRunner.run(["subject", "archive", "--email", "  ZELDA.Quixotic@example.ORG ", "--out", "bundle.json"], in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try F.mode(scratch.path + "/bundle.json") == 0o600)
        let text = try F.text(scratch.path + "/bundle.json")
        let doc = try F.json(text) as! [String: Any]
        let zeldaRef = try #require(try F.ref(of: "Z-1", in: archive))

        let customers = doc["customers"] as! [[String: Any]]
        #expect(customers.count == 1)
        #expect(customers.first?["ref"] as? String == zeldaRef)
        #expect(customers.first?["email"] as? String == F.email)
        // All fields: the notes, the hash, the folded guest among the sources.
        #expect(text.contains("Wolkenkratzer") && text.contains(F.zeldaHash) && text.contains("Zauberpfad 3"))
        let sources = customers.first?["sources"] as? [[String: Any]] ?? []
        #expect(Set(sources.compactMap { $0["id"] as? String }) == ["Z-1", "ZG-1"])

        let crosswalk = doc["crosswalk"] as! [[String: Any]]
        #expect(crosswalk.count == 2)
        #expect(crosswalk.allSatisfy { $0["ref"] as? String == zeldaRef })
        #expect(Set(crosswalk.compactMap { $0["disposition"] as? String }) == ["written", "merged"])

        let rejects = doc["rejects"] as! [[String: Any]]
        let rejectedIDs = rejects.compactMap { ($0["raw"] as? [String: Any])?["id"] as? String }
        #expect(Set(rejectedIDs) == ["Z-2", "ZG-2"])

        // Nothing about anyone else: no other customer's email or name appears.
        let others = try F.jsonLines(try F.text(archive + "/customers.jsonl")).filter { $0["ref"] as? String != zeldaRef }
        #expect(others.count > 50)
        for other in others {
            if let email = other["email"] as? String { #expect(!text.contains(email), "\(email) is in Zelda's bundle") }
        }
        for name in ["Otto", "Olga", "Mallory", "HYPERLINK"] { #expect(!text.contains(name)) }
        // The summary line names refs and counts, never the email.
        #expect(run.stderr.contains("1 customer (\(zeldaRef))"))
        #expect(!run.stderr.lowercased().contains("zelda"))
    }

    @Test func subjectByRefMatchesTheSamePersonAndWritesXML() throws {
        let scratch = try TemporaryDirectory()
        let archive = try F.importArchive(in: scratch.path)
        let ref = try #require(try F.ref(of: "Z-1", in: archive))
        let byRef = try CLIRunner.run(["subject", "archive", "--ref", ref, "--out", "byref.json", "--quiet"], in: scratch.path)
        let byEmail = try CLIRunner.run(["subject", "archive", "--email", F.email, "--out", "byemail.json", "--quiet"], in: scratch.path)
        #expect(byRef.status == 0 && byEmail.status == 0)
        let a = try F.json(try F.text(scratch.path + "/byref.json")) as! [String: Any]
        let b = try F.json(try F.text(scratch.path + "/byemail.json")) as! [String: Any]
        #expect(NSDictionary(dictionary: a).isEqual(to: b.merging(["request": a["request"]!]) { $1 }), "the same bundle, asked two ways")

        let xml = try CLIRunner.run(["subject", "archive", "--ref", ref, "--out", "zelda.xml", "--format", "xml", "--quiet"], in: scratch.path)
        #expect(xml.status == 0, "\(xml.stderr)")
        let text = try F.text(scratch.path + "/zelda.xml")
        #expect(text.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<subject>"))
        #expect(text.contains("<email>\(F.email)</email>"))
        #expect(text.contains("<attribute name=\"shoeSize\">46</attribute>"))
        #expect(text.contains("<note>") && text.contains("Wolkenkratzer"))
        #expect(text.contains("<source>") && text.contains("<row>") && text.contains("<reject>"))
        let parsed = try XMLDocument(data: Data(text.utf8))
        #expect(try parsed.nodes(forXPath: "/subject/customers/customer").count == 1)
        #expect(try parsed.nodes(forXPath: "/subject/crosswalk/row").count == 2)
        #expect(try parsed.nodes(forXPath: "/subject/rejects/reject").count == 2)
    }

    @Test func subjectOfNoOneIsAnEmptyBundleAndBadRequestsAreUsageErrors() throws {
        let scratch = try TemporaryDirectory()
        try F.importArchive(in: scratch.path)
        let none = try CLIRunner.run(["subject", "archive", "--email", "nobody@example.com", "--out", "-"], in: scratch.path)
        #expect(none.status == 0)
        let doc = try F.json(none.stdout) as! [String: Any]
        #expect((doc["customers"] as! [Any]).isEmpty && (doc["crosswalk"] as! [Any]).isEmpty && (doc["rejects"] as! [Any]).isEmpty)
        for args in [["--out", "x.json"], ["--email", "a@b.de", "--ref", "C8BZ0HHBJHNDGS66G0MSE", "--out", "x.json"],
                     ["--email", "not-an-email", "--out", "x.json"], ["--ref", "R123", "--out", "x.json"]] {
            let bad = try CLIRunner.run(["subject", "archive"] + args, in: scratch.path)
            #expect(bad.status == 64, "\(args): \(bad.stderr)")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/x.json"))
        let missing = try CLIRunner.run(["subject", "no-such-archive", "--email", F.email, "--out", "x.json"], in: scratch.path)
        #expect(missing.status == 66)
    }

    // MARK: - erase

    /// Every occurrence of a personal value of Zelda's in the files of `directory`, as "file: value".
    static func leftovers(in directory: String) throws -> [String] {
        var found: [String] = []
        for name in try F.files(directory) {
            let text = try F.text(directory + "/" + name)
            let lower = text.lowercased()
            for v in F.personalValues where lower.contains(v.lowercased()) { found.append("\(name): \(v)") }
            for v in F.personalValuesWithCase where text.contains(v) { found.append("\(name): \(v)") }
        }
        return found
    }

    @Test func erasureLeavesNoPersonalValueInAnyFileAndTheOthersUnchanged() throws {
        let scratch = try TemporaryDirectory()
        let archive = try F.importArchive(in: scratch.path)
        // The check can fail: before erasure, every value is there.
        #expect(Set(try Self.leftovers(in: archive).map { $0.split(separator: " ").dropFirst().joined(separator: " ") })
                == Set(F.personalValues + F.personalValuesWithCase))
        let ref = try #require(try F.ref(of: "Z-1", in: archive))

        let run = try CLIRunner.run(["erase", "archive", "--email", F.email, "--out", "erased"], in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("erased 1 customer (\(ref)), 2 rejected records removed"))
        let erased = scratch.path + "/erased"
        #expect(try F.files(erased) == ["crosswalk.csv", "customers.jsonl", "rejects.csv", "rejects.jsonl", "report.json"])
        #expect(try Self.leftovers(in: erased) == [])
        for name in try F.files(erased) { #expect(try F.mode(erased + "/" + name) == 0o600, "\(name)") }

        // The erased customer: anonymized as SPEC §1/§7 say.
        let before = try F.text(archive + "/customers.jsonl").split(separator: "\n")
        let after = try F.text(erased + "/customers.jsonl").split(separator: "\n")
        #expect(before.count == after.count)
        let record = try F.json(String(after.first { $0.contains(ref) }!)) as! [String: Any]
        #expect(record["email"] as? String == "erased-\(ref.lowercased())@erased.invalid")
        #expect(record["status"] as? String == "disabled")
        #expect(record["anonymizedAt"] is String)
        #expect(record["passwordHash"] == nil && record["notes"] == nil && record["firstName"] == nil)
        #expect((record["orders"] as? [String: Any])?["count"] as? Int == 3, "order figures kept (2 + the folded guest's 1)")
        #expect(record["groups"] as? [String] == ["VIP"])
        // Everyone else: the same bytes.
        for (old, new) in zip(before, after) where !old.contains(ref) { #expect(old == new) }

        // Crosswalk rows stay (ref, disposition), without the source ids; the report lists the ref.
        let crosswalk = try F.text(erased + "/crosswalk.csv")
        #expect(crosswalk.contains("canonical,erased,feed.csv,2,\(ref),written"))
        #expect(crosswalk.contains("canonical,erased,guests.jsonl,1,\(ref),merged"))
        let report = try F.json(try F.text(erased + "/report.json")) as! [String: Any]
        #expect(report["command"] as? String == "erase")
        let erasures = report["erasures"] as! [[String: Any]]
        #expect(erasures.count == 1 && erasures[0]["refs"] as? [String] == [ref] && erasures[0]["rejectsRemoved"] as? Int == 2)
        // The counts still balance and agree with the files (2 rejects fewer read and rejected).
        let totals = report["totals"] as! [String: Any]
        let rejectLines = try F.text(erased + "/rejects.jsonl").split(separator: "\n").count
        #expect(totals["rejected"] as? Int == rejectLines)
        #expect(totals["read"] as? Int == (totals["written"] as! Int) + (totals["merged"] as! Int) + (totals["rejected"] as! Int))
        // The erased archive is valid by every schema, its report included (command "erase", erasures).
        let check = try CLIRunner.run(["python3", TestPaths.repositoryRoot + "/scripts/validate-archive.py", erased], executable: "/usr/bin/env")
        let failures = check.stderr.split(separator: "\n").filter { $0.hasPrefix("FAIL") }
        #expect(failures.isEmpty, "\(failures)")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains(" passed, "), "\(check.stdout)\(check.stderr)")
    }

    @Test func anErasedEmailCanRegisterAgain() throws {
        let scratch = try TemporaryDirectory()
        let archive = try F.importArchive(in: scratch.path)
        #expect(try CLIRunner.run(["erase", "archive", "--email", F.email, "--out", "erased", "--quiet"], in: scratch.path).status == 0)
        let registration = #"{"id":"Z-NEW","kind":"registered","email":"Zelda.Quixotic@example.org","passwordHash":"$2y$10$NnNnNnNnNnNnNnNnNnNnNuOCz1J3GIbV3E0mXDyHXtH5n6q8b3Nom","firstName":"Zelda"}"#
        try (registration + "\n").write(toFile: scratch.path + "/new.jsonl", atomically: false, encoding: .utf8)

        let again = try CLIRunner.run(["import", "erased/customers.jsonl", "new.jsonl", "--out", "next", "--quiet"], in: scratch.path)
        #expect(again.status == 0, "the new registration is accepted: \(again.stderr)")
        let customers = try F.jsonLines(try F.text(scratch.path + "/next/customers.jsonl"))
        let registered = customers.filter { $0["email"] as? String == F.email }
        #expect(registered.count == 1 && registered.first?["kind"] as? String == "registered")
        #expect(customers.count == (try F.text(archive + "/customers.jsonl")).split(separator: "\n").count + 1)

        // Control: without the erasure, the same registration is a duplicate.
        let control = try CLIRunner.run(["import", "archive/customers.jsonl", "new.jsonl", "--out", "control", "--quiet"], in: scratch.path)
        #expect(control.status == 1)
        #expect(try F.text(scratch.path + "/control/rejects.jsonl").contains("email.duplicate"))
    }

    @Test func erasingIsIdempotentAndDeterministic() throws {
        let scratch = try TemporaryDirectory()
        try F.importArchive(in: scratch.path)
        let at = ["--at", "2025-03-01T02:00:00Z", "--quiet"]
        #expect(try CLIRunner.run(["erase", "archive", "--email", F.email, "--out", "once"] + at, in: scratch.path).status == 0)
        #expect(try CLIRunner.run(["erase", "archive", "--email", F.email, "--out", "again"] + at, in: scratch.path).status == 0)
        let ref = try #require(try F.ref(of: "Z-1", in: scratch.path + "/archive"))
        // Erasing the erased archive, by email (no longer matches) and by ref (matches, changes nothing).
        let byEmail = try CLIRunner.run(["erase", "once", "--email", F.email, "--out", "twice-email"], in: scratch.path)
        #expect(byEmail.stderr.contains("no customer matched"))
        #expect(try CLIRunner.run(["erase", "once", "--ref", ref, "--out", "twice-ref", "--at", "2031-01-01T00:00:00Z"], in: scratch.path).status == 0)
        for name in ["customers.jsonl", "crosswalk.csv", "rejects.jsonl", "rejects.csv"] {
            let once = try F.text(scratch.path + "/once/" + name)
            #expect(try F.text(scratch.path + "/again/" + name) == once, "\(name): the same bytes for the same request")
            #expect(try F.text(scratch.path + "/twice-email/" + name) == once, "\(name): erasing twice changes nothing")
            #expect(try F.text(scratch.path + "/twice-ref/" + name) == once, "\(name): erasing twice changes nothing")
        }
        let report = try F.json(try F.text(scratch.path + "/twice-ref/report.json")) as! [String: Any]
        #expect((report["erasures"] as! [Any]).count == 2, "each erasure is on record")
    }

    @Test func erasureInPlaceOfAGzippedCSVArchiveChangesOnlyThePerson() throws {
        let scratch = try TemporaryDirectory()
        try F.importArchive(in: scratch.path, extra: ["--format", "csv", "--gzip"])
        try F.importArchive(in: scratch.path, name: "copy", extra: ["--format", "csv", "--gzip"])
        let run = try CLIRunner.run(["erase", "archive", "--email", F.email, "--out", "archive", "--report-json", "-", "--quiet"], in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        let report = try F.json(run.stdout) as! [String: Any]
        #expect(report["command"] as? String == "erase")
        #expect(try F.files(scratch.path + "/archive").contains("customers.csv.gz"))
        #expect(try Self.leftovers(in: scratch.path + "/archive") == [])
        #expect(try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.hasPrefix(".") } == [],
                "no staging folder or lock file is left")
        // Against the untouched copy, exactly one customer changed; the rest are the same customers.
        let diff = try CLIRunner.run(["diff", "copy", "archive", "--out", "-", "--quiet"], in: scratch.path)
        #expect(diff.status == 0, "\(diff.stderr)")
        let lines = try F.jsonLines(diff.stdout)
        #expect(lines.count == 1)
        #expect(lines.first?["op"] as? String == "change")
        #expect(lines.first?["ref"] as? String == (try F.ref(of: "erased", in: scratch.path + "/archive")))
        // The formula guard of rejects.csv survives the rewrite.
        let rejectsCSV = try F.text(scratch.path + "/archive/rejects.csv")
        #expect(rejectsCSV.contains("'=HYPERLINK(\"\"http://evil.example\"\")") && rejectsCSV.contains(",'+SUM(1),'@cmd,'-2+3,"))
    }
}
