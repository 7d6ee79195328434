import ClienteleFormats
import ClienteleIO
import ClienteleModel
import Foundation
import Testing
import ClienteleTestSupport
@testable import Clientele

/// XML end to end: the same accounts in CSV, JSON Lines and XML give the same archive; XML
/// archives validate against `Schemas/customers.xsd` and import again unchanged; hostile
/// documents leave nothing behind; `--xsd` rejects records that fail the schema.
@Suite(.serialized) struct XMLImportTests {
    static let schemaPath = TestPaths.repositoryRoot + "/Schemas/customers.xsd"

    static func generate(_ count: Int, seed: UInt64, format: GenerateJob.Format, in scratch: TemporaryDirectory, gzip: Bool = false) throws -> String {
        let path = scratch.path + "/input-\(seed).\(format.rawValue)" + (gzip ? ".gz" : "")
        try GenerateJob(count: count, format: format, seed: seed, output: path, gzip: gzip).run()
        return path
    }

    static func importArchive(_ inputs: [String], into scratch: TemporaryDirectory, name: String,
                              configure: (inout ImportOptions) -> Void = { _ in }) throws -> (String, ImportSummary) {
        var options = ImportOptions(inputs: inputs, outputDirectory: scratch.path + "/" + name)
        configure(&options)
        let summary = try ImportJob(options: options).run()
        return (scratch.path + "/" + name, summary)
    }

    static func contents(_ path: String) -> String {
        (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
    }

    /// Lines of `path` with the provenance (`sources[].file`, `sources[].line`) taken out.
    static func withoutProvenance(_ path: String) throws -> [String] {
        try contents(path).split(separator: "\n").map { line in
            var v = try JSONDocument.parse(Array(line.utf8))
            guard case var .object(members) = v else { return String(line) }
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

    /// Crosswalk rows without their file and line columns.
    static func crosswalk(_ archive: String) -> [String] {
        contents(archive + "/crosswalk.csv").split(separator: "\n").map { row in
            let cells = row.split(separator: ",", omittingEmptySubsequences: false)
            return cells.count == 6 ? [cells[0], cells[1], cells[4], cells[5]].joined(separator: ",") : String(row)
        }
    }

    static func xmllint(_ args: [String]) throws -> CLIRunner.Result {
        try CLIRunner.run(args, executable: "/usr/bin/xmllint")
    }

    // MARK: - Same accounts, same archive

    @Test(arguments: [UInt64(3), 17])
    func theSameAccountsFromCSVJSONLinesAndXMLGiveTheSameArchive(seed: UInt64) throws {
        let scratch = try TemporaryDirectory()
        var archives: [String] = []
        var summaries: [ImportSummary] = []
        for format in GenerateJob.Format.allCases {
            let input = try Self.generate(500, seed: seed, format: format, in: scratch)
            let (archive, summary) = try Self.importArchive([input], into: scratch, name: format.rawValue)
            archives.append(archive)
            summaries.append(summary)
        }
        let customers = try archives.map { try Self.withoutProvenance($0 + "/customers.jsonl") }
        #expect(customers[0].count > 300)
        #expect(customers[1] == customers[0], "jsonl vs csv")
        #expect(customers[2] == customers[0], "xml vs csv")
        #expect(Self.crosswalk(archives[2]) == Self.crosswalk(archives[0]))
        for summary in summaries.dropFirst() {
            #expect(summary.totals == summaries[0].totals)
            #expect(summary.errorCounts == summaries[0].errorCounts)
            #expect(summary.warningCounts == summaries[0].warningCounts)
        }
        #expect(summaries[2].inputs.first?.format == "xml")
        // Provenance lines point at each record's own start tag in the XML input.
        let xmlLines = Self.contents(archives[2] + "/crosswalk.csv").split(separator: "\n").dropFirst().compactMap { $0.split(separator: ",").dropLast(2).last.flatMap { Int($0) } }
        let inputLines = Self.contents(scratch.path + "/input-\(seed).xml").split(separator: "\n", omittingEmptySubsequences: false)
        let recordLines = Set(inputLines.indices.filter { inputLines[$0].hasPrefix("  <customer>") }.map { $0 + 1 })
        #expect(recordLines.count == 500)
        #expect(xmlLines.count > 300)
        #expect(Set(xmlLines).isSubset(of: recordLines))
    }

    // MARK: - XML out

    @Test(arguments: [false, true])
    func theXMLArchiveValidatesAgainstTheXSDAndImportsAgainUnchanged(gzip: Bool) throws {
        let scratch = try TemporaryDirectory()
        let csv = try Self.generate(400, seed: 5, format: .csv, in: scratch)
        let (first, summary) = try Self.importArchive([csv], into: scratch, name: "first") { $0.format = .xml; $0.gzip = gzip }
        let (reference, _) = try Self.importArchive([csv], into: scratch, name: "reference")
        let file = first + "/" + ArchiveLayout.customersFile(format: .xml, gzip: gzip)
        #expect(FileManager.default.fileExists(atPath: file))

        var plain = file
        if gzip {
            plain = scratch.path + "/customers.xml"
            let unzipped = try CLIRunner.run(["gzip", "-dc", file], executable: "/usr/bin/env")
            try unzipped.stdout.write(toFile: plain, atomically: false, encoding: .utf8)
        }
        let lint = try Self.xmllint(["--noout", "--schema", Self.schemaPath, plain])
        #expect(lint.status == 0, "\(lint.stderr.prefix(2000))")
        #expect(lint.stderr.contains("validates"))
        // One customer a line (values may hold line breaks of their own).
        let lines = Self.contents(plain).split(separator: "\n")
        #expect(lines.filter { $0.hasPrefix("  <customer>") }.count == summary.totals.written)

        let (second, again) = try Self.importArchive([file], into: scratch, name: "second") { $0.format = .xml; $0.gzip = gzip }
        #expect(again.totals.rejected == 0)
        #expect(again.totals.merged == 0)
        #expect(again.totals.written == summary.totals.written)
        #expect(FileManager.default.contents(atPath: file) == FileManager.default.contents(atPath: second + "/" + ArchiveLayout.customersFile(format: .xml, gzip: gzip)))
        // And as JSON Lines it is the archive a JSON Lines run writes.
        let (third, _) = try Self.importArchive([file], into: scratch, name: "third")
        #expect(try Self.withoutProvenance(third + "/customers.jsonl") == Self.withoutProvenance(reference + "/customers.jsonl"))
        let sources = try JSONDocument.parse(Array((Self.contents(third + "/customers.jsonl").split(separator: "\n").first ?? "").utf8))["sources"]
        if case let .array(items)? = sources { #expect(items.first?["file"] == .string(csv), "refs and sources are kept") }
    }

    @Test func gzippedXMLInputIsDetectedByContent() throws {
        let scratch = try TemporaryDirectory()
        let gz = try Self.generate(200, seed: 9, format: .xml, in: scratch, gzip: true)
        let renamed = scratch.path + "/export.dat"
        try FileManager.default.moveItem(atPath: gz, toPath: renamed)
        let plain = try Self.generate(200, seed: 9, format: .xml, in: scratch)
        let (a, sa) = try Self.importArchive([renamed], into: scratch, name: "a")
        let (b, _) = try Self.importArchive([plain], into: scratch, name: "b")
        #expect(sa.inputs.first?.gzip == true)
        #expect(sa.inputs.first?.format == "xml")
        #expect(try Self.withoutProvenance(a + "/customers.jsonl") == Self.withoutProvenance(b + "/customers.jsonl"))
    }

    // MARK: - Hostile documents

    @Test func anXXEDocumentAbortsWith65AndTheFileItNamesAppearsNowhere() throws {
        let scratch = try TemporaryDirectory()
        let secret = "SECRET-\(UInt64.random(in: 0...UInt64.max))"
        try secret.write(toFile: scratch.path + "/secret.txt", atomically: false, encoding: .utf8)
        let hostile = scratch.path + "/hostile.xml"
        try "<?xml version=\"1.0\"?>\n<!DOCTYPE customers [<!ENTITY xxe SYSTEM \"file://\(scratch.path)/secret.txt\">]>\n<customers><customer><id>1</id><email>&xxe;</email></customer></customers>\n"
            .write(toFile: hostile, atomically: false, encoding: .utf8)
        do {
            _ = try Self.importArchive([hostile], into: scratch, name: "out")
            Issue.record("the import should have been refused")
        } catch let error as ClienteleError {
            #expect(error.exitCode == 65)
            #expect(error.description.contains("hostile.xml:2"))
            #expect(!error.description.contains(secret))
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out"))

        // With only an external DTD named, the record is rejected and nothing is fetched.
        try "<!DOCTYPE customers SYSTEM \"file://\(scratch.path)/secret.txt\">\n<customers><customer><id>1</id><email>&xxe;</email></customer>\n<customer><id>2</id><email>b@example.com</email></customer></customers>\n"
            .write(toFile: hostile, atomically: false, encoding: .utf8)
        let (archive, summary) = try Self.importArchive([hostile], into: scratch, name: "out")
        #expect(summary.totals.rejected == 1)
        #expect(summary.totals.written == 1)
        for file in try FileManager.default.contentsOfDirectory(atPath: archive) {
            #expect(!Self.contents(archive + "/" + file).contains(secret), "\(file)")
        }
        #expect(Self.contents(archive + "/rejects.jsonl").contains("record.malformed"))
    }

    @Test func aMalformedRecordIsRejectedWithItsLineAndTheRunGoesOn() throws {
        let scratch = try TemporaryDirectory()
        let input = scratch.path + "/in.xml"
        try """
            <customers>
            <customer><id>1</id><email>a@example.com</email></customer>
            <customer><id>2</id><email>b@example.com</customer>
            <customer><id>3</id><email>c@example.com</email></customer>
            </customers>
            """.write(toFile: input, atomically: false, encoding: .utf8)
        let (archive, summary) = try Self.importArchive([input], into: scratch, name: "out")
        #expect(summary.totals.read == 3)
        #expect(summary.totals.written == 2)
        #expect(summary.totals.rejected == 1)
        let reject = try JSONDocument.parse(Array(Self.contents(archive + "/rejects.jsonl").split(separator: "\n")[0].utf8))
        #expect(reject["source"]?["line"] == .number("3"))
        #expect(reject["raw"]?["id"] == .string("2"))
    }

    @Test func aTruncatedDocumentAbortsWith65NamingFileAndLine() throws {
        let scratch = try TemporaryDirectory()
        let whole = try Self.generate(50, seed: 1, format: .xml, in: scratch)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: whole))
        let cut = scratch.path + "/cut.xml"
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: cut))
        do {
            _ = try Self.importArchive([cut], into: scratch, name: "out")
            Issue.record("a truncated document must abort")
        } catch let error as ClienteleError {
            #expect(error.exitCode == 65)
            #expect(error.description.hasPrefix(cut + ":"))
            #expect(error.description.contains("truncated"))
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/out"))
    }

    // MARK: - --xsd

    @Test func withXSDRecordsThatFailTheSchemaAreRejected() throws {
        let scratch = try TemporaryDirectory()
        let input = try Self.generate(300, seed: 21, format: .xml, in: scratch)
        let (_, plain) = try Self.importArchive([input], into: scratch, name: "plain")
        let (archive, checked) = try Self.importArchive([input], into: scratch, name: "checked") { $0.xsdPath = Self.schemaPath }
        #expect(checked.totals.read == plain.totals.read)
        #expect(checked.totals.rejected > plain.totals.rejected, "generated input has messy values the schema refuses")
        let rejects = Self.contents(archive + "/rejects.jsonl")
        #expect(rejects.contains("does not match the schema"))

        // A canonical archive passes it whole.
        let (first, summary) = try Self.importArchive([input], into: scratch, name: "first") { $0.format = .xml }
        let (_, again) = try Self.importArchive([first + "/customers.xml"], into: scratch, name: "again") { $0.xsdPath = Self.schemaPath }
        #expect(again.totals.rejected == 0)
        #expect(again.totals.written == summary.totals.written)

        // A document whose root the schema refuses ends the run.
        let wrongRoot = scratch.path + "/wrong.xml"
        try "<customers extra=\"1\"><customer><id>1</id></customer></customers>".write(toFile: wrongRoot, atomically: false, encoding: .utf8)
        #expect(throws: ClienteleError.self) {
            _ = try Self.importArchive([wrongRoot], into: scratch, name: "wrong") { $0.xsdPath = Self.schemaPath }
        }
    }

    // MARK: - Archive commands on XML archives

    @Test func subjectEraseAndDiffReadXMLArchivesAsTheyReadJSONLinesOnes() throws {
        let scratch = try TemporaryDirectory()
        let input = try Self.generate(300, seed: 13, format: .csv, in: scratch)
        let (xml, _) = try Self.importArchive([input], into: scratch, name: "xml") { $0.format = .xml }
        let (jsonl, _) = try Self.importArchive([input], into: scratch, name: "jsonl")
        // The same customers, typed the same, whichever file they come from.
        let fromXML = try ArchiveReader(path: xml + "/customers.xml", checkingOrder: true)
        let fromJSON = try ArchiveReader(path: jsonl + "/customers.jsonl")
        var count = 0
        while let a = try fromXML.next() {
            let b = try fromJSON.next()
            #expect(try a.canonical() == b?.canonical(), "\(a.ref)")
            count += 1
        }
        #expect(count > 200)
        #expect(try fromJSON.next() == nil)

        let diff = try DiffJob(options: DiffOptions(old: jsonl, new: xml, output: scratch.path + "/delta.jsonl")).run()
        #expect(diff.added == 0 && diff.changed == 0 && diff.removed == 0)
        #expect(diff.unchanged == count)

        let first = Self.contents(jsonl + "/customers.jsonl").split(separator: "\n")[0]
        let email = try JSONDocument.parse(Array(first.utf8))["email"]
        guard case let .string(address)? = email else { Issue.record("no email on the first customer"); return }
        let query = try SubjectQuery(email: address, ref: nil)
        for (archive, name) in [(jsonl, "erased-jsonl"), (xml, "erased-xml")] {
            var options = EraseOptions(archive: archive, query: query, outputDirectory: scratch.path + "/" + name)
            options.anonymizedAt = Timestamp("2026-01-02T03:04:05Z")
            _ = try EraseJob(options: options).run()
        }
        let erasedXML = scratch.path + "/erased-xml/customers.xml"
        #expect(!Self.contents(erasedXML).contains(">" + address + "<"))
        let lint = try Self.xmllint(["--noout", "--schema", Self.schemaPath, erasedXML])
        #expect(lint.status == 0, "\(lint.stderr.prefix(1000))")
        let rediff = try DiffJob(options: DiffOptions(old: scratch.path + "/erased-jsonl", new: scratch.path + "/erased-xml",
                                                      output: scratch.path + "/delta2.jsonl")).run()
        #expect(rediff.added == 0 && rediff.changed == 0 && rediff.removed == 0)
    }
}
