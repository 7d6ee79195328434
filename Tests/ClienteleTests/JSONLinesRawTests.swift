import ClienteleFormats
import ClienteleModel
import Foundation
import Testing
import ClienteleTestSupport
@testable import Clientele

/// A JSON Lines record waits for reconciliation as its own line's bytes (not the parsed value
/// written out again): when reconciliation rejects it, `rejects.jsonl` must show it as parsed,
/// however the line was written.
@Suite struct JSONLinesRawTests {
    static let lines = [
        #"{"id":"R1","kind":"registered","email":"a@x.io","updatedAt":"2020-01-01T00:00:00Z"}"#,
        #"  { "id" : "R2", "kind":"registered", "email":"A@x.io", "firstName":"J\u00f6rg \"x\"", "n": 1.50e2, "k":[1, 2 ,{}], "updatedAt":"2024-01-01T00:00:00Z" }  "#,
        #"{"id":"R1","email":"b@x.io"}"#,
    ]

    /// The lines with a BOM before the first and CRLF after the first two.
    static func write(in scratch: TemporaryDirectory) throws -> String {
        var bytes: [UInt8] = [0xEF, 0xBB, 0xBF]
        bytes += Array((lines[0] + "\r\n" + lines[1] + "\r\n" + lines[2] + "\n").utf8)
        let path = scratch.path + "/in.jsonl"
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static func rejects(_ archive: String) throws -> [(line: Int, raw: JSONValue)] {
        let text = try String(contentsOfFile: archive + "/rejects.jsonl", encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let entry = try JSONDocument.parse(Array(line.utf8))
            return (entry["source"]?["line"]?.intValue ?? 0, entry["raw"] ?? .null)
        }
    }

    @Test(arguments: [ImportOptions.DuplicatePolicy.reject, .keepLatest])
    func aLateRejectShowsItsLineAsParsed(policy: ImportOptions.DuplicatePolicy) throws {
        let scratch = try TemporaryDirectory()
        let input = try Self.write(in: scratch)
        var options = ImportOptions(inputs: [input], outputDirectory: scratch.path + "/out")
        options.onDuplicate = policy
        let summary = try ImportJob(options: options).run()
        #expect(summary.totals.read == 3)
        let rejected = try Self.rejects(scratch.path + "/out")
        // reject: line 2 (a second registered account for the email) and line 3 (id R1 again);
        // keep-latest: line 1 (older than line 2) and line 3.
        #expect(rejected.map(\.line).sorted() == (policy == .reject ? [2, 3] : [1, 3]))
        for (line, raw) in rejected {
            let expected = try JSONDocument.parse(Array(Self.lines[line - 1].utf8))
            #expect(raw == expected, "line \(line)")
        }
    }
}
