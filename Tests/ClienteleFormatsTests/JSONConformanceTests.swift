import Foundation
import Testing
import ClienteleTestSupport
@testable import ClienteleFormats

/// JSONTestSuite (nst): `y_` must parse, `n_` must fail, `i_` is the implementation's choice.
@Suite struct JSONConformanceTests {
    static let directory = TestPaths.conformance + "/JSONTestSuite/test_parsing"

    static func files(_ prefix: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasPrefix(prefix) && $0.hasSuffix(".json") }.sorted()
    }

    static func bytes(_ name: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name)))
    }

    @Test func suiteIsPresent() {
        #expect(Self.files("y_").count == 95)
        #expect(Self.files("n_").count == 188)
        #expect(Self.files("i_").count == 35)
    }

    @Test(arguments: files("y_"))
    func accepts(_ name: String) throws {
        let bytes = try Self.bytes(name)
        #expect(throws: Never.self) { try JSONDocument.parse(bytes) }
    }

    @Test(arguments: files("n_"))
    func rejects(_ name: String) throws {
        let bytes = try Self.bytes(name)
        #expect(throws: JSONSyntaxError.self) { try JSONDocument.parse(bytes) }
    }

    /// Which `i_` cases are accepted (see ``JSONDocument`` for why).
    @Test func implementationDefinedCases() throws {
        var accepted: [String] = []
        for name in Self.files("i_") where (try? JSONDocument.parse(try Self.bytes(name))) != nil {
            accepted.append(name)
        }
        #expect(accepted == [
            "i_number_double_huge_neg_exp.json",
            "i_number_huge_exp.json",
            "i_number_neg_int_huge_exp.json",
            "i_number_pos_double_huge_exp.json",
            "i_number_real_neg_overflow.json",
            "i_number_real_pos_overflow.json",
            "i_number_real_underflow.json",
            "i_number_too_big_neg_int.json",
            "i_number_too_big_pos_int.json",
            "i_number_very_big_negative_int.json",
            "i_structure_500_nested_arrays.json",
        ])
    }

    @Test func deepNestingFailsCleanlyAtTheLimit() throws {
        let error = #expect(throws: JSONSyntaxError.self) {
            try JSONDocument.parse(try Self.bytes("n_structure_100000_opening_arrays.json"))
        }
        #expect(error?.byteOffset == 512)
        #expect(error?.message.contains("deeper than 512") == true)
        let nested = Array(repeating: UInt8(ascii: "["), count: 10) + Array(repeating: UInt8(ascii: "]"), count: 10)
        #expect(throws: JSONSyntaxError.self) { try JSONDocument.parse(nested, maxDepth: 9) }
        #expect(try JSONDocument.parse(nested, maxDepth: 10) != .null)
    }
}
