import Foundation
import Testing
import ClienteleTestSupport

/// `--mapping`, `--encoding` and `export` end to end through the binary, on the shipped legacy
/// sample (`SampleData/legacy/`: `;`-separated, windows-1252, German dates and yes/no).
@Suite(.serialized) struct MappingCommandTests {
    static let root = TestPaths.repositoryRoot
    static let sample = root + "/SampleData/legacy/kunden.csv"
    static let mapping = root + "/SampleData/legacy/kunden-mapping.json"

    static func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    /// The customers without provenance: what a round trip must keep.
    static func customersWithoutSources(_ archive: String) throws -> [String] {
        try lines(archive + "/customers.jsonl").map { $0.replacingOccurrences(of: #","sources":\[.*\]"#, with: "", options: .regularExpression) }
    }

    @Test func theLegacySampleImportsWithItsMapping() throws {
        let scratch = try TemporaryDirectory()
        let run = try CLIRunner.run(["import", Self.sample, "--mapping", Self.mapping, "--out", scratch.path + "/a"])
        #expect(run.status == 1, "\(run.stderr)")
        #expect(run.stderr.contains("read 5, written 2, merged 1, rejected 2"))
        let customers = try Self.lines(scratch.path + "/a/customers.jsonl")
        #expect(customers.count == 2)
        // windows-1252 transcoded, German date and time, decimal comma, value maps, split groups, constants.
        #expect(customers[0].contains(#""firstName":"Jürgen","lastName":"Müller""#))
        #expect(customers[0].contains(#""dateOfBirth":"1985-04-03""#))
        #expect(customers[0].contains(#""createdAt":"2019-01-12T09:15:00Z""#))
        #expect(customers[0].contains(#""salutation":"Mr""#))
        #expect(customers[0].contains(#""groups":["Stammkunde","Newsletter"]"#))
        #expect(customers[0].contains(#""totals":[{"currency":"EUR","amount":"1234.50"}]"#))
        #expect(customers[0].contains(#""system":"altshop","id":"10001""#))
        // Two guests with one email folded; amounts summed.
        #expect(customers[1].contains(#""count":2,"totals":[{"currency":"EUR","amount":"134.90"}]"#))
        // Rejects name the column and the pattern; rejects.csv keeps the input's delimiter.
        let rejects = try Self.lines(scratch.path + "/a/rejects.csv")
        #expect(rejects[0].hasPrefix("Kundennr;Anrede;"))
        #expect(rejects[1].contains("Geburtstag: '31.02.1980' is not a date in the form dd.MM.yyyy"))
        #expect(rejects[2].contains("Angelegt am: '2021/03/01' is not a time in the form dd.MM.yyyy HH:mm"))
        let report = try String(contentsOfFile: scratch.path + "/a/report.json", encoding: .utf8)
        #expect(report.contains(#""Letzter Login""#) == false, "an ignored column is not reported as unknown")
        #expect(report.contains(#""profile": "mapping""#) || report.contains(#""profile":"mapping""#))
        #expect(report.contains("kunden-mapping.json"))
        #expect(report.contains(#""altshop""#))
    }

    @Test func exportWritesTheMappingsLayoutAndReimportsTheSame() throws {
        let scratch = try TemporaryDirectory()
        #expect(try CLIRunner.run(["import", Self.sample, "--mapping", Self.mapping, "--out", "a", "--quiet"], in: scratch.path).status == 1)
        let export = try CLIRunner.run(["export", "a", "--to", "mapping", "--mapping", Self.mapping, "--out", "back.csv"], in: scratch.path)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(export.stderr.contains("exported 2 customers as altshop"))
        let bytes = try Data(contentsOf: URL(fileURLWithPath: scratch.path + "/back.csv"))
        #expect(bytes.contains(0xFC), "written in windows-1252 (ü is one byte)")
        #expect(String(data: bytes, encoding: .utf8) == nil)
        let attributes = try FileManager.default.attributesOfItem(atPath: scratch.path + "/back.csv")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(try CLIRunner.run(["import", "back.csv", "--mapping", Self.mapping, "--out", "b", "--quiet"], in: scratch.path).status == 0)
        var first = try Self.customersWithoutSources(scratch.path + "/a")
        let second = try Self.customersWithoutSources(scratch.path + "/b")
        // The mapping has one address: the folded guest's second address cannot travel.
        first[1] = first[1].replacingOccurrences(of: #",{"street1":"Ringstr. 1","city":"Köln","postalCode":"50667","country":"DE","defaultBilling":false,"defaultShipping":false}"#, with: "")
        #expect(first == second)
    }

    @Test func canonicalExportIsJSONLinesThatReimportsByteForByte() throws {
        let scratch = try TemporaryDirectory()
        let sample = Self.root + "/SampleData/customers.csv"
        #expect(try CLIRunner.run(["import", sample, "--out", "a", "--quiet"], in: scratch.path).status == 1)
        let export = try CLIRunner.run(["export", "a", "--to", "canonical", "--out", "c.jsonl.gz", "--gzip"], in: scratch.path)
        #expect(export.status == 0, "\(export.stderr)")
        #expect(try CLIRunner.run(["import", "c.jsonl.gz", "--out", "b", "--quiet"], in: scratch.path).status == 0)
        #expect(try Self.lines(scratch.path + "/a/customers.jsonl") == Self.lines(scratch.path + "/b/customers.jsonl"))
    }

    @Test func exportGuardsSpreadsheetFormulasAndReadsThemBack() throws {
        let scratch = try TemporaryDirectory()
        try #"{"id":"1","email":"eve@example.com","firstName":"=HYPERLINK(\"http://x\")","lastName":"@SUM(A1)","phone":"+49 30 1234567"}"#
            .write(toFile: scratch.path + "/in.jsonl", atomically: false, encoding: .utf8)
        let mapping = #"{"fields": {"No": "id", "Mail": "email", "First": "firstName", "Last": "lastName", "Tel": "phone"}}"#
        try mapping.write(toFile: scratch.path + "/m.json", atomically: false, encoding: .utf8)
        #expect(try CLIRunner.run(["import", "in.jsonl", "--out", "a", "--quiet"], in: scratch.path).status == 0)
        #expect(try CLIRunner.run(["export", "a", "--to", "mapping", "--mapping", "m.json", "--out", "x.csv", "--quiet"], in: scratch.path).status == 0)
        let csv = try Self.lines(scratch.path + "/x.csv")
        #expect(csv == ["No,Mail,First,Last,Tel", #"1,eve@example.com,"'=HYPERLINK(""http://x"")",'@SUM(A1),'+49301234567"#])
        #expect(try CLIRunner.run(["import", "x.csv", "--mapping", "m.json", "--system", "canonical", "--out", "b", "--quiet"], in: scratch.path).status == 0)
        #expect(try Self.customersWithoutSources(scratch.path + "/a") == Self.customersWithoutSources(scratch.path + "/b"))
    }

    @Test func aMistakeInTheMappingIsAUsageErrorNamingTheKey() throws {
        let scratch = try TemporaryDirectory()
        try #"{"fields": {"Kundennr": "id", "Geburtstag": {"field": "dateofbirth"}}}"#.write(toFile: scratch.path + "/bad.json", atomically: false, encoding: .utf8)
        let run = try CLIRunner.run(["import", Self.sample, "--mapping", "bad.json", "--out", "a"], in: scratch.path)
        #expect(run.status == 64)
        #expect(run.stderr.contains(#"mapping bad.json: fields."Geburtstag".field: 'dateofbirth' is not a canonical field; did you mean 'dateOfBirth'?"#), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/a"))
        let missing = try CLIRunner.run(["import", Self.sample, "--mapping", "nowhere.json", "--out", "a"], in: scratch.path)
        #expect(missing.status == 66)
        let both = try CLIRunner.run(["import", Self.sample, "--mapping", Self.mapping, "--from", "canonical", "--out", "a"], in: scratch.path)
        #expect(both.status == 64)
        // A mapping with a delimiter reads CSV: an XML file is refused, not mapped into rejects.
        let xml = try CLIRunner.run(["import", Self.root + "/SampleData/customers.xml", "--mapping", Self.mapping, "--out", "a"], in: scratch.path)
        #expect(xml.status == 65)
        #expect(xml.stderr.contains("the altshop profile reads csv files; this one is xml"), "\(xml.stderr)")
    }

    @Test func aColumnTheMappingNeedsMissingFromTheFileStopsTheRun() throws {
        let scratch = try TemporaryDirectory()
        try "Kundennr;E-Mail\n1;a@b.de\n".write(toFile: scratch.path + "/short.csv", atomically: false, encoding: .utf8)
        let run = try CLIRunner.run(["import", "short.csv", "--mapping", Self.mapping, "--encoding", "utf-8", "--out", "a"], in: scratch.path)
        #expect(run.status == 65)
        #expect(run.stderr.contains("short.csv"))
        #expect(run.stderr.contains("the mapping reads 'Anrede', 'Vorname'"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: scratch.path + "/a"))
    }

    /// Without `--encoding`, a legacy byte in a record is that record's `encoding.invalid`, with its byte offset;
    /// with it, the record is read.
    @Test func invalidUTF8IsARejectedRecordUnlessTheEncodingIsGiven() throws {
        let scratch = try TemporaryDirectory()
        var bytes = Array("id,email,lastName\n1,a@example.com,Ok\n2,b@example.com,M".utf8)
        bytes += [0xFC] + Array("ller\n".utf8)
        try Data(bytes).write(to: URL(fileURLWithPath: scratch.path + "/latin.csv"))
        let plain = try CLIRunner.run(["import", "latin.csv", "--out", "a", "--quiet"], in: scratch.path)
        #expect(plain.status == 1)
        let reject = try Self.lines(scratch.path + "/a/rejects.jsonl")
        #expect(reject.count == 1)
        #expect(reject[0].contains(#""code":"encoding.invalid""#))
        #expect(reject[0].contains("invalid UTF-8 at byte 54"), "\(reject[0])")  // 18 + 19 + 17 bytes before the ü
        let latin = try CLIRunner.run(["import", "latin.csv", "--encoding", "latin1", "--out", "b", "--quiet"], in: scratch.path)
        #expect(latin.status == 0)
        #expect(try Self.lines(scratch.path + "/b/customers.jsonl").joined().contains(#""lastName":"Müller""#))
    }

    @Test(arguments: [(";", "a;b"), ("\t", "a\tb"), ("|", "a|b")])
    func delimitersAreDetected(delimiter: String, _ unused: String) throws {
        let scratch = try TemporaryDirectory()
        let text = ["id", "email", "firstName"].joined(separator: delimiter) + "\n" + ["1", "a@example.com", "Ann, Jr."].joined(separator: delimiter) + "\n"
        try text.write(toFile: scratch.path + "/in.csv", atomically: false, encoding: .utf8)
        let run = try CLIRunner.run(["import", "in.csv", "--out", "a", "--quiet"], in: scratch.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try Self.lines(scratch.path + "/a/customers.jsonl").joined().contains(#""firstName":"Ann, Jr.""#))
    }

    @Test func unknownProfilesAreUsageErrorsListingTheKnownOnes() throws {
        let run = try CLIRunner.run(["import", Self.sample, "--from", "oscommerce", "--out", "/tmp/never"])
        #expect(run.status == 64)
        #expect(run.stderr.contains("unknown profile 'oscommerce'; available: canonical"))
        let export = try CLIRunner.run(["export", "/tmp", "--to", "oscommerce", "--out", "/tmp/never.csv"])
        #expect(export.status == 64)
    }
}
