import Foundation
import Testing
import ClienteleIO
import ClienteleTestSupport
@testable import ClienteleFormats

/// `--xsd`: the reader validating documents against `Schemas/customers.xsd` as they stream.
@Suite struct XMLSchemaValidationTests {
    static let schemaPath = TestPaths.repositoryRoot + "/Schemas/customers.xsd"
    static let examples = TestPaths.repositoryRoot + "/Schemas/examples"

    func read(_ path: String, schema: XMLSchema) throws -> XMLReadOutcome {
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        return XMLReadOutcome.verified(bytes, options: .init(schema: schema))
    }

    @Test func theExampleDocumentIsValid() throws {
        let schema = try XMLSchema(path: Self.schemaPath)
        let outcome = try read(Self.examples + "/customers.xml", schema: schema)
        #expect(outcome.error == nil)
        #expect(outcome.rows.count == 3)
        #expect(outcome.defects == [nil, nil, nil])
    }

    static var invalidExamples: [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: examples + "/invalid")) ?? []).filter { $0.hasSuffix(".xml") }.sorted()
    }

    @Test(arguments: invalidExamples)
    func everyInvalidExampleIsCaught(name: String) throws {
        let schema = try XMLSchema(path: Self.schemaPath)
        let outcome = try read(Self.examples + "/invalid/" + name, schema: schema)
        if name == "wrong-root.xml" {
            #expect(outcome.error != nil)
            return
        }
        #expect(outcome.error == nil, "\(name): \(String(describing: outcome.error))")
        let defects = outcome.defects.compactMap { $0 }
        #expect(!defects.isEmpty, "\(name) passed the schema")
        #expect(defects.allSatisfy { $0.detail.contains("does not match the schema") || $0.detail.contains("holds") }, "\(defects)")
        // Only the record with the defect is rejected: the example's other records stay valid.
        #expect(outcome.rows.count == 3)
        #expect(defects.count < 3, "\(name): \(defects)")
    }

    @Test func aValueThatFailsTheSchemaRejectsItsRecordOnlyAndTheMessageNamesTheLine() throws {
        let schema = try XMLSchema(path: Self.schemaPath)
        let outcome = XMLReadOutcome.verified("""
            <customers>
            <customer><id>1</id><kind>guest</kind></customer>
            <customer><id>2</id>
              <kind>bogus</kind></customer>
            <customer><id>3</id><notes><note><createdAt>2024-01-01T00:00:00Z</createdAt></note></notes></customer>
            <customer><ref>C7F3K9QW2XB4M8N1P5R6T</ref></customer>
            <customer><ref>C7F3K9QW2XB4M8N1P5R6T</ref></customer>
            <customer><id>6</id></customer>
            </customers>
            """, options: .init(schema: schema))
        #expect(outcome.error == nil)
        let details = outcome.defects.map { $0?.detail }
        #expect(details[0] == nil)
        #expect(details[1]?.contains("'bogus' is not an element of the set") == true)
        #expect(details[1]?.contains("(line 4)") == true)
        #expect(details[2]?.contains("Missing child element(s)") == true, "checked when </note> closes, still this record's")
        #expect(details[3] == nil)
        #expect(details[4]?.contains("Duplicate key-sequence") == true)
        #expect(details[5] == nil)
    }

    @Test func schemasThatCannotBeUsedAreRefused() throws {
        let scratch = try TemporaryDirectory()
        #expect(throws: FormatError.self) { try XMLSchema(path: scratch.path + "/missing.xsd") }
        do {
            _ = try XMLSchema(path: scratch.path + "/missing.xsd")
        } catch {
            guard case .io = error else { Issue.record("expected an I/O error, got \(error)"); return }
        }
        try "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:element name=\"a\" type=\"nope\"/></xs:schema>"
            .write(toFile: scratch.path + "/bad.xsd", atomically: false, encoding: .utf8)
        #expect(throws: FormatError.self) { try XMLSchema(path: scratch.path + "/bad.xsd") }
        try "not a schema".write(toFile: scratch.path + "/text.xsd", atomically: false, encoding: .utf8)
        #expect(throws: FormatError.self) { try XMLSchema(path: scratch.path + "/text.xsd") }
        // Self-contained only: an include is an external load, which is refused.
        try "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"><xs:include schemaLocation=\"\(Self.schemaPath)\"/></xs:schema>"
            .write(toFile: scratch.path + "/include.xsd", atomically: false, encoding: .utf8)
        let included = try? XMLSchema(path: scratch.path + "/include.xsd")
        if let included {
            let outcome = XMLReadOutcome.read(ChunkedByteSource("<customers/>"), options: .init(schema: included))
            #expect(outcome.error != nil, "the included declarations must not be there")
        }
    }
}
