import ClienteleFormats
import ClienteleTestSupport
import Foundation
import Testing

/// csv-spectrum: every file must give the records of its JSON twin, whatever the chunking.
@Suite struct CSVConformanceTests {
    static let directory = TestPaths.conformance + "/csv-spectrum"

    static var caseNames: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory + "/csvs")) ?? []
        return names.filter { $0.hasSuffix(".csv") }.map { String($0.dropLast(4)) }.sorted()
    }

    @Test func suiteIsPresent() {
        #expect(Self.caseNames.count >= 11)
    }

    @Test(arguments: caseNames, CSVFeed.allCases)
    func spectrumCase(name: String, feed: CSVFeed) throws {
        let csv = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.directory + "/csvs/\(name).csv")))
        let json = try Data(contentsOf: URL(fileURLWithPath: Self.directory + "/json/\(name).json"))
        let expected = try #require(JSONSerialization.jsonObject(with: json) as? [[String: String]])

        let result = try csvRead(csv, feed: feed, options: CSVOptions(delimiter: UInt8(ascii: ",")))
        #expect(result.records.count == expected.count)
        for (record, object) in zip(result.records, expected) {
            #expect(record.defect == nil)
            #expect(Set(result.header) == Set(object.keys))
            var parsed: [String: String] = [:]
            for (name, value) in zip(result.header, record.fields) { parsed[name] = value }
            #expect(parsed == object, "\(name) record \(record.position)")
        }
        // Detection must agree with the explicit delimiter on these comma files.
        let detected = try csvRead(csv, feed: feed)
        #expect(detected.delimiter == UInt8(ascii: ","))
        #expect(detected.rows == result.rows)
    }
}
