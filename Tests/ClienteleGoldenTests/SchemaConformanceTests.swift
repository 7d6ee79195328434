import Foundation
import Testing
import ClienteleTestSupport

/// Real output checked against `Schemas/`: every customer line against `customer.schema.json`
/// (JSON Schema 2020-12), every reject against `reject.schema.json`, the report against
/// `report.schema.json`, plus the archive's internal agreement (counts balance, the customers file
/// holds `written` lines, the crosswalk `written + merged` rows, refs sorted and unique).
/// The checking is `scripts/validate-archive.py` (Python's jsonschema; `.ci/run` installs it).
@Suite(.serialized) struct SchemaConformanceTests {
    let root = TestPaths.repositoryRoot

    func importAndValidate(_ args: [String]) throws {
        let scratch = try TemporaryDirectory()
        let out = scratch.path + "/archive"
        let run = try CLIRunner.run(["import"] + args.map { $0.replacingOccurrences(of: "$TMP", with: scratch.path) } + ["--out", out, "--quiet"], in: root)
        #expect(run.status == 0 || run.status == 1, "\(run.stderr)")
        let check = try CLIRunner.run(["python3", root + "/scripts/validate-archive.py", out], executable: "/usr/bin/env")
        #expect(check.status == 0, "\(check.stdout)\(check.stderr)")
        #expect(check.stdout.contains(" passed, 0 failed"), "\(check.stdout)")
    }

    @Test func sampleDataArchiveMatchesTheSchemas() throws {
        try importAndValidate(["SampleData/customers.csv", "SampleData/guests.jsonl", "SampleData/clean.jsonl"])
    }

    @Test func csvArchiveOfGeneratedDataMatchesTheSchemas() throws {
        let scratch = try TemporaryDirectory()
        let input = scratch.path + "/gen.csv"
        #expect(try CLIRunner.run(["generate", "--count", "1500", "--format", "csv", "--seed", "21", "--out", input]).status == 0)
        try importAndValidate([input, "--format", "csv"])
    }

    @Test func gzippedJSONArchiveOfGeneratedDataMatchesTheSchemas() throws {
        let scratch = try TemporaryDirectory()
        let input = scratch.path + "/gen.jsonl"
        #expect(try CLIRunner.run(["generate", "--count", "1500", "--format", "jsonl", "--seed", "22", "--out", input]).status == 0)
        try importAndValidate([input, "--gzip", "--on-duplicate", "keep-latest"])
    }

    /// The schemas' own tests: each breaks one thing in a real archive and expects the validator
    /// (and the XSD, through xmllint) to catch it.
    @Test func theSchemasRejectWhatTheyShould() throws {
        let run = try CLIRunner.run(["python3", "-m", "pytest", "-q", "Schemas/tests"], in: root, executable: "/usr/bin/env")
        #expect(run.status == 0, "\(run.stdout.suffix(3000))\(run.stderr.suffix(2000))")
    }
}
