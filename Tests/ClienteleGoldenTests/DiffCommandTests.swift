import Foundation
import Testing
import ClienteleTestSupport

/// `diff` end to end: known adds, changes and removes between two imports; provenance ignored;
/// formats mixed; archives out of ref order refused.
@Suite(.serialized) struct DiffCommandTests {
    typealias F = ComplianceFixtures

    /// Account `i` as a JSON line; `phone` and `lastName` vary to make changes.
    static func account(_ i: Int, lastName: String = "Person", phone: String? = nil, groups: [String] = ["General"]) -> String {
        var fields = [#""id":"P-\#(i)""#, #""kind":"\#(i % 3 == 0 ? "guest" : "registered")""#, #""email":"p\#(i)@example.com""#,
                      #""firstName":"P\#(i)""#, #""lastName":"\#(lastName)""#,
                      #""groups":[\#(groups.map { "\"\($0)\"" }.joined(separator: ","))]"#, #""createdAt":"2020-01-01T00:00:00Z""#]
        if let phone { fields.append(#""phone":"\#(phone)""#) }
        return "{" + fields.joined(separator: ",") + "}"
    }

    @Test func knownAddsChangesAndRemovesComeOutOrderedByRefAndNothingElse() throws {
        let scratch = try TemporaryDirectory()
        // Monday: accounts 1–50. Tuesday: 6–60 (1–5 gone, 51–60 new), 10 and 20 with a new phone, 30 renamed
        // and regrouped, the lines in reverse order (so every source line differs), from another file.
        let monday = (1...50).map { Self.account($0, phone: $0 == 10 || $0 == 20 ? "+4930111111" : nil) }
        var tuesday = (6...60).map { i -> String in
            switch i {
            case 10, 20: return Self.account(i, phone: "+4930222222")
            case 30: return Self.account(i, lastName: "Renamed", groups: ["General", "VIP"])
            default: return Self.account(i)
            }
        }
        tuesday.reverse()
        try (monday.joined(separator: "\n") + "\n").write(toFile: scratch.path + "/monday.jsonl", atomically: false, encoding: .utf8)
        try (tuesday.joined(separator: "\n") + "\n").write(toFile: scratch.path + "/tuesday.jsonl", atomically: false, encoding: .utf8)
        #expect(try CLIRunner.run(["import", "monday.jsonl", "--out", "mon", "--quiet"], in: scratch.path).status == 0)
        #expect(try CLIRunner.run(["import", "tuesday.jsonl", "--out", "tue", "--quiet"], in: scratch.path).status == 0)

        let run = try CLIRunner.run(["diff", "mon", "tue", "--out", "delta.jsonl", "--report-json", "-"], in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("diff: 10 added, 3 changed, 5 removed, 42 unchanged"))
        let counts = try F.json(run.stdout) as! [String: Any]
        #expect(counts["added"] as? Int == 10 && counts["changed"] as? Int == 3 && counts["removed"] as? Int == 5)
        #expect(try F.mode(scratch.path + "/delta.jsonl") == 0o600)

        func ref(_ i: Int, _ archive: String) throws -> String { try #require(try F.ref(of: "P-\(i)", in: scratch.path + "/" + archive)) }
        var expected: [String: (op: String, fields: [String]?)] = [:]
        for i in 1...5 { expected[try ref(i, "mon")] = ("remove", nil) }
        for i in 51...60 { expected[try ref(i, "tue")] = ("add", nil) }
        expected[try ref(10, "tue")] = ("change", ["phone"])
        expected[try ref(20, "tue")] = ("change", ["phone"])
        expected[try ref(30, "tue")] = ("change", ["lastName", "groups"])

        let lines = try F.jsonLines(try F.text(scratch.path + "/delta.jsonl"))
        #expect(lines.count == expected.count)
        let refs = lines.map { $0["ref"] as! String }
        #expect(refs == refs.sorted(), "ordered by ref")
        let tuesdayCustomers = Dictionary(uniqueKeysWithValues: try F.text(scratch.path + "/tue/customers.jsonl").split(separator: "\n").map {
            (String((try F.json(String($0)) as! [String: Any])["ref"] as! String), String($0))
        })
        for line in lines {
            let ref = line["ref"] as! String
            let want = try #require(expected[ref], "unexpected \(line)")
            #expect(line["op"] as? String == want.op, "\(ref)")
            #expect(line["fields"] as? [String] == want.fields, "\(ref)")
            if want.op == "remove" {
                #expect(line["customer"] == nil)
            } else {
                // The customer is the new record as the new archive has it.
                let customer = try JSONSerialization.data(withJSONObject: line["customer"]!, options: [.sortedKeys])
                let archived = try JSONSerialization.data(withJSONObject: try F.json(tuesdayCustomers[ref]!), options: [.sortedKeys])
                #expect(customer == archived, "\(ref)")
            }
        }
    }

    @Test func theSameCustomersInAnotherFormatAreNoChange() throws {
        let scratch = try TemporaryDirectory()
        try F.importArchive(in: scratch.path, name: "jsonl")
        try F.importArchive(in: scratch.path, name: "csvgz", extra: ["--format", "csv", "--gzip"])
        let run = try CLIRunner.run(["diff", "jsonl", "csvgz/customers.csv.gz", "--out", "delta.jsonl"], in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try F.text(scratch.path + "/delta.jsonl").isEmpty)
        #expect(run.stderr.contains("0 added, 0 changed, 0 removed"))
    }

    @Test func anArchiveOutOfRefOrderIsRefusedAndNoDeltaAppears() throws {
        let scratch = try TemporaryDirectory()
        let archive = try F.importArchive(in: scratch.path)
        var lines = try F.text(archive + "/customers.jsonl").split(separator: "\n")
        lines.swapAt(10, 11)
        try (lines.joined(separator: "\n") + "\n").write(toFile: scratch.path + "/shuffled.jsonl", atomically: false, encoding: .utf8)
        let run = try CLIRunner.run(["diff", "archive", "shuffled.jsonl", "--out", "delta.jsonl"], in: scratch.path)
        #expect(run.status == 65)
        #expect(run.stderr.contains("shuffled.jsonl:12") && run.stderr.contains("ascending order"), "\(run.stderr)")
        #expect(try F.files(scratch.path).filter { $0.contains("delta") } == [], "no delta, not even a partial one")
    }
}
