import Foundation
import Testing
import ClienteleFormats
import ClienteleIO
import ClienteleTestSupport

/// Inputs the fuzz targets of `Fuzz/` (issue 6) found, replayed with what they broke. The inputs
/// sit in `Tests/Regressions/<target>/` (outside any target, so SwiftPM does not ask about them).
@Suite struct FuzzRegressionTests {
    static func input(_ path: String) throws -> [UInt8] {
        Array(try Data(contentsOf: URL(fileURLWithPath: TestPaths.repositoryRoot + "/Tests/Regressions/" + path)))
    }

    @Test("csv: a BOM after the leading spaces of the first column name is not part of the name")
    func byteOrderMarkInsideTheFirstColumnName() throws {
        // "  \u{FEFF}addresses.0.postalCode     \n\0h3,5\n": the name was "\u{FEFF}addresses.0.postalCode",
        // which matched no field, and written out first it started a file with a BOM that reads back dropped.
        let bytes = try Self.input("csv/bom-inside-first-column-name.csv")
        for feed in CSVFeed.allCases {
            let result = try csvRead(bytes, feed: feed)
            #expect(result.header == ["addresses.0.postalCode"], "\(feed)")
            #expect(result.records.count == 1)
            #expect(result.records.first?.defect == .fieldCount(expected: 1, actual: 2))
        }
        // A file with two BOMs (saved twice) reads like one with one.
        let twice = try csvRead([0xEF, 0xBB, 0xBF, 0xEF, 0xBB, 0xBF] + Array("email,name\nann@example.com,Ann\n".utf8))
        #expect(twice.header == ["email", "name"])
        // The header written back reads the same.
        let sink = MemoryByteSink()
        var writer = CSVWriter(sink: sink)
        try writer.writeRecord(["addresses.0.postalCode"])
        try writer.flush()
        #expect(try csvRead(sink.bytes).header == ["addresses.0.postalCode"])
    }
}
