import ClienteleFormats
import Foundation
import Testing
import ClienteleTestSupport
@testable import Clientele

/// Reading archives back: the same customers from JSON Lines and CSV (gzipped or not), and the
/// ref-order check merge-joins rely on.
@Suite(.serialized) struct ArchiveReaderTests {
    static func customers(_ path: String) throws -> [JSONValue] {
        let reader = try ArchiveReader(path: path, checkingOrder: true)
        var out: [JSONValue] = []
        while let c = try reader.next() { out.append(try c.canonical()) }
        return out
    }

    @Test func csvAndGzippedArchivesReadBackAsTheSameCanonicalCustomers() throws {
        let scratch = try TemporaryDirectory()
        let input = try ImportPropertyTests.generate(400, seed: 5, format: .jsonl, in: scratch)
        let (jsonl, _) = try ImportPropertyTests.importArchive([input], into: scratch, name: "j")
        let (csv, _) = try ImportPropertyTests.importArchive([input], into: scratch, name: "c") { $0.format = .csv; $0.gzip = true }
        let fromJSON = try Self.customers(try ArchiveLocation(path: jsonl).customersPath)
        let fromCSV = try Self.customers(try ArchiveLocation(path: csv).customersPath)
        #expect(try ArchiveLocation(path: csv).customersFileName == "customers.csv.gz")
        #expect(fromJSON.count > 100)
        #expect(fromJSON == fromCSV)
    }

    @Test func refsOutOfOrderStopTheReaderNamingTheLine() throws {
        let scratch = try TemporaryDirectory()
        let (archive, _) = try ImportPropertyTests.importArchive([TestPaths.sampleData + "/customers.csv"], into: scratch)
        var lines = try String(contentsOfFile: archive + "/customers.jsonl", encoding: .utf8).split(separator: "\n")
        lines.swapAt(2, 3)
        let shuffled = scratch.path + "/shuffled.jsonl"
        try (lines.joined(separator: "\n") + "\n").write(toFile: shuffled, atomically: false, encoding: .utf8)
        do {
            _ = try Self.customers(shuffled)
            Issue.record("expected an order error")
        } catch let error as ClienteleError {
            #expect(error.exitCode == 65)
            #expect(error.description.contains("shuffled.jsonl:4"))
            #expect(error.description.contains("ascending"))
        }
        // Without the check, it reads on.
        let reader = try ArchiveReader(path: shuffled)
        var n = 0
        while try reader.next() != nil { n += 1 }
        #expect(n == lines.count)
    }

    @Test func aDirectoryWithoutCustomersIsNotAnArchive() throws {
        let scratch = try TemporaryDirectory()
        do {
            _ = try ArchiveLocation(path: scratch.path)
            Issue.record("expected a failure")
        } catch {
            #expect(error.exitCode == 66)
        }
    }
}
