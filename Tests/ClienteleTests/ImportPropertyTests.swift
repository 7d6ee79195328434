import ClienteleFormats
import ClienteleIO
import ClienteleModel
import Foundation
import PropertyBased
import Testing
import ClienteleTestSupport
@testable import Clientele

/// Properties of whole runs on generated data with colliding emails: the accounting identity,
/// determinism, re-import of an archive, and format independence.
@Suite(.serialized) struct ImportPropertyTests {
    /// Imports `inputs` into a fresh archive and returns its directory (kept alive by `scratch`).
    static func importArchive(_ inputs: [String], into scratch: TemporaryDirectory, name: String = "out",
                              configure: (inout ImportOptions) -> Void = { _ in }) throws -> (String, ImportSummary) {
        var options = ImportOptions(inputs: inputs, outputDirectory: scratch.path + "/" + name)
        configure(&options)
        let summary = try ImportJob(options: options).run()
        return (scratch.path + "/" + name, summary)
    }

    static func generate(_ count: Int, seed: UInt64, format: GenerateJob.Format, in scratch: TemporaryDirectory) throws -> String {
        let path = scratch.path + "/input-\(seed).\(format.rawValue)"
        try GenerateJob(count: count, format: format, seed: seed, output: path, gzip: false).run()
        return path
    }

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test func accountingIdentityHoldsForEveryFileAndTheRun() async throws {
        await propertyCheck(count: 6, input: Gen.int(in: 1...400), Gen.int(in: 0...10_000)) { count, seed in
            let scratch = try! TemporaryDirectory()
            let csv = try! Self.generate(count, seed: UInt64(seed), format: .csv, in: scratch)
            let jsonl = try! Self.generate(count / 2 + 1, seed: UInt64(seed) + 1, format: .jsonl, in: scratch)
            let (archive, summary) = try! Self.importArchive([csv, jsonl], into: scratch)
            #expect(summary.totals.read == count + count / 2 + 1)
            #expect(summary.totals.balances)
            for file in summary.inputs { #expect(file.counts.balances, "\(file.path)") }
            // The files agree with the counts.
            let customers = try! Self.lines(archive + "/customers.jsonl")
            #expect(customers.count == summary.totals.written)
            let crosswalk = try! Self.lines(archive + "/crosswalk.csv").dropFirst()
            #expect(crosswalk.count == summary.totals.written + summary.totals.merged)
            #expect(crosswalk.filter { $0.hasSuffix(",merged") }.count == summary.totals.merged)
            let rejects = (try? Self.lines(archive + "/rejects.jsonl")) ?? []
            #expect(rejects.count == summary.totals.rejected)
            // One registered account per email.
            var registeredEmails = Set<String>()
            for line in customers {
                let v = try! JSONDocument.parse(Array(line.utf8))
                if v["kind"] == .string("registered"), case let .string(email)? = v["email"] {
                    #expect(registeredEmails.insert(email).inserted, "\(email) is on two registered accounts")
                }
            }
        }
    }

    @Test func sameInputGivesAByteIdenticalArchive() throws {
        let scratch = try TemporaryDirectory()
        let csv = try Self.generate(600, seed: 99, format: .csv, in: scratch)
        let (a, _) = try Self.importArchive([csv], into: scratch, name: "a")
        let (b, _) = try Self.importArchive([csv], into: scratch, name: "b") { $0.format = .jsonl }
        for file in ["customers.jsonl", "rejects.jsonl", "rejects.csv", "crosswalk.csv"] {
            #expect(FileManager.default.contents(atPath: a + "/" + file) == FileManager.default.contents(atPath: b + "/" + file), "\(file)")
        }
        let reportA = try String(contentsOfFile: a + "/report.json", encoding: .utf8).split(separator: "\n").filter { !$0.contains("timing") }
        let reportB = try String(contentsOfFile: b + "/report.json", encoding: .utf8).split(separator: "\n").filter { !$0.contains("timing") }
        #expect(reportA == reportB)
    }

    @Test(arguments: [ImportOptions.OutputFormat.jsonl, .csv])
    func importingAnArchiveGivesTheSameCustomers(format: ImportOptions.OutputFormat) throws {
        let scratch = try TemporaryDirectory()
        let csv = try Self.generate(500, seed: 7, format: .csv, in: scratch)
        let (first, summary) = try Self.importArchive([csv], into: scratch, name: "first") { $0.format = format }
        let customersFile = first + "/" + ArchiveLayout.customersFile(format: format, gzip: false)
        let (second, again) = try Self.importArchive([customersFile], into: scratch, name: "second") { $0.format = format }
        #expect(again.totals.rejected == 0)
        #expect(again.totals.merged == 0)
        #expect(again.totals.written == summary.totals.written)
        #expect(FileManager.default.contents(atPath: customersFile)
                == FileManager.default.contents(atPath: second + "/" + ArchiveLayout.customersFile(format: format, gzip: false)))
    }

    @Test func theSameAccountsFromCSVAndJSONGiveTheSameCustomersButForProvenance() throws {
        let scratch = try TemporaryDirectory()
        let csv = try Self.generate(400, seed: 3, format: .csv, in: scratch)
        let jsonl = try Self.generate(400, seed: 3, format: .jsonl, in: scratch)
        let (a, _) = try Self.importArchive([csv], into: scratch, name: "a")
        let (b, _) = try Self.importArchive([jsonl], into: scratch, name: "b")
        func withoutProvenance(_ path: String) throws -> [String] {
            try Self.lines(path).map { line in
                var v = try JSONDocument.parse(Array(line.utf8))
                guard case var .object(members) = v else { return line }
                members = members.map { m in
                    guard m.key == "sources", case let .array(items) = m.value else { return m }
                    return JSONMember("sources", .array(items.map { item in
                        guard case let .object(fields) = item else { return item }
                        return .object(fields.filter { $0.key != "file" && $0.key != "line" })
                    }))
                }
                v = .object(members)
                var w = JSONTextWriter()
                w.write(v)
                return String(decoding: w.bytes, as: UTF8.self)
            }
        }
        let customersA = try withoutProvenance(a + "/customers.jsonl")
        #expect(customersA.count > 100)
        #expect(customersA == (try withoutProvenance(b + "/customers.jsonl")))
    }

    @Test func maxErrorsAbortsAndLeavesNothing() throws {
        let scratch = try TemporaryDirectory()
        let csv = try Self.generate(300, seed: 11, format: .csv, in: scratch)
        #expect(throws: ClienteleError.self) {
            _ = try Self.importArchive([csv], into: scratch) { $0.maxErrors = 0 }
        }
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path).filter { $0.contains("out") }
        #expect(left.isEmpty, "\(left)")
    }
}
