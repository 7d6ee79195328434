import Foundation
import Testing
import ClienteleIO
import ClienteleTestSupport
@testable import ClienteleFormats

/// The XML reader on broken and hostile documents: resynchronization after a malformed record,
/// and refusal (with file and line) of what cannot be read on: truncation, invalid UTF-8, entity
/// declarations (XXE, entity bombs), nesting bombs. Every case is also drip-fed and chunked.
@Suite struct XMLHostileInputTests {
    /// Byte offsets of every `<customer` start tag in `text`.
    func recordStarts(_ text: String) -> [Int64] {
        let bytes = Array(text.utf8)
        let tag = Array("<customer".utf8)
        return bytes.indices.filter { bytes[$0...].starts(with: tag) && ![UInt8(ascii: "s")].contains(bytes[$0 + tag.count]) }.map(Int64.init)
    }

    func malformedLine(_ error: FormatError?) -> (String, Int, String)? {
        if case let .malformed(file, line, _, detail)? = error { return (file, line, detail) }
        return nil
    }

    // MARK: - Resynchronization

    @Test func aMalformedRecordIsADefectWithItsLineAndTheNextRecordsAreRead() {
        let text = """
            <customers>
            <customer><id>1</id></customer>
            <customer><id>2</id>
              <email>a@x.io</customer>
            <customer><id>3</id></customer>
            <customer><id>4</id><firstName>A</lastName></customer><customer><id>5</id></customer>
            <customer><id>6</id><note>bad & ampersand</note></customer>
            <customer><id>7</id><note>\u{1}</note></customer>
            <customer><id>8</id><note>&undeclared;</note></customer>
            <customer><id>9</id></customer>
            </customers>
            """
        let outcome = XMLReadOutcome.verified(text)
        #expect(outcome.error == nil, "\(String(describing: outcome.error))")
        #expect(outcome.rows.map(\.position.record) == Array(1...9))
        #expect(outcome.rows.map(\.position.line) == [2, 3, 5, 6, 6, 7, 8, 9, 10])
        #expect(outcome.rows.map(\.position.byteOffset) == recordStarts(text))
        let ok = outcome.rows.filter { $0.defect == nil }.map(\.value)
        #expect(ok == [1, 3, 5, 9].map { tree(("id", .string(String($0)))) })
        let broken = outcome.rows.filter { $0.defect != nil }
        #expect(broken.map(\.value["id"]) == [2, 4, 6, 7, 8].map { .string(String($0)) }, "what was read of a broken record is kept")
        #expect(broken[0].defect!.detail.contains("line 4: Opening and ending tag mismatch"))
        #expect(broken[1].defect!.detail.contains("line 6"))
        #expect(broken[4].defect!.detail.contains("undeclared"))
    }

    @Test func aBrokenLastRecordStillLetsTheDocumentEnd() {
        let outcome = XMLReadOutcome.verified("<customers>\n<customer><id>1</id></customer>\n<customer><id>2</customer>\n</customers>\n")
        #expect(outcome.error == nil)
        #expect(outcome.defects.map { $0 == nil } == [true, false])
    }

    @Test func brokenMarkupOutsideRecordsEndsTheReadingNamingFileAndLine() {
        let outcome = XMLReadOutcome.verified("<customers>\n<customer><id>1</id></customer>\n<<\n<customer><id>2</id></customer></customers>")
        #expect(outcome.rows.count == 1)
        let (file, line, _) = malformedLine(outcome.error) ?? ("", 0, "")
        #expect(file == "in.xml")
        #expect(line == 3)
    }

    @Test(arguments: [
        ("<clients><customer/></clients>", "the document element is <clients>"),
        ("<customers>\n<customer/>\nstray text\n</customers>", "text outside"),
        ("<customers><customer/></customers>\n<customers/>", "Extra content"),
        ("not xml at all <", "Document is empty"),
    ])
    func documentsThatAreNotCustomersAreRefused(text: String, expected: String) {
        let outcome = XMLReadOutcome.verified(text)
        #expect(malformedLine(outcome.error)?.2.contains(expected) == true, "\(String(describing: outcome.error))")
    }

    // MARK: - Truncation and encoding

    @Test func aTruncatedDocumentIsAnErrorNamingFileAndLineAfterTheRecordsBeforeIt() {
        let whole = "<customers>\n<customer><id>1</id></customer>\n<customer><id>2</id>\n<email>a@x.io</email></customer>\n</customers>\n"
        for cut in [whole.count - 2, 60, 75] {
            let outcome = XMLReadOutcome.verified(String(whole.prefix(cut)))
            let (file, line, detail) = malformedLine(outcome.error) ?? ("", 0, "")
            #expect(file == "in.xml", "cut at \(cut)")
            #expect(line >= 3, "cut at \(cut): \(detail)")
            #expect(outcome.rows.first?.value == tree(("id", .string("1"))), "cut at \(cut)")
        }
        let noEnd = XMLReadOutcome.verified("<customers>\n<customer><id>1</id></customer>\n")
        #expect(noEnd.rows.count == 1)
        #expect(malformedLine(noEnd.error)?.2.contains("truncated") == true, "\(String(describing: noEnd.error))")
    }

    @Test(arguments: [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80]] as [[UInt8]])
    func invalidUTF8IsAnErrorWithLineAndByteNeverRepaired(bad: [UInt8]) {
        let head = Array("<customers>\n<customer><id>1</id></customer>\n<customer><id>2</id>\n<city>K".utf8)
        let bytes = head + bad + Array("ln</city></customer>\n<customer><id>3</id></customer></customers>\n".utf8)
        let outcome = XMLReadOutcome.verified(bytes)
        #expect(outcome.rows.map(\.value) == [tree(("id", .string("1")))])
        guard case let .malformed(file, line, offset, detail)? = outcome.error else {
            Issue.record("expected a malformed error, got \(String(describing: outcome.error))")
            return
        }
        #expect(file == "in.xml")
        #expect(line == 4)
        #expect(offset == Int64(head.count))
        #expect(detail.contains("invalid UTF-8"))
    }

    // MARK: - Entities

    /// A file whose content must never appear in anything the reader returns.
    final class SecretFile {
        let path = NSTemporaryDirectory() + "clientele-secret-\(UInt32.random(in: 0...UInt32.max))"
        let secret = "TOP-SECRET-\(UInt32.random(in: 0...UInt32.max))"
        init() throws { try secret.write(toFile: path, atomically: false, encoding: .utf8) }
        deinit { try? FileManager.default.removeItem(atPath: path) }
    }

    @Test func anExternalEntityToALocalFileIsRefusedAndNeverRead() throws {
        let secret = try SecretFile()
        for text in [
            "<?xml version=\"1.0\"?>\n<!DOCTYPE customers [\n<!ENTITY xxe SYSTEM \"file://\(secret.path)\">\n]>\n<customers><customer><id>&xxe;</id></customer></customers>",
            "<!DOCTYPE customers [<!ENTITY xxe SYSTEM \"\(secret.path)\">]><customers><customer><id>&xxe;</id></customer></customers>",
            "<!DOCTYPE customers [<!ENTITY % p SYSTEM \"file://\(secret.path)\"> %p;]><customers/>",
            "<!DOCTYPE customers [<!ENTITY x PUBLIC \"-//X//EN\" \"file://\(secret.path)\" NDATA n>]><customers/>",
        ] {
            let outcome = XMLReadOutcome.verified(text)
            #expect(outcome.rows.isEmpty)
            #expect(malformedLine(outcome.error)?.2.contains("declares the entity") == true, "\(String(describing: outcome.error))")
            #expect(!"\(outcome) \(String(describing: outcome.error))".contains(secret.secret))
        }
    }

    @Test func anExternalDTDIsNeverLoadedAndItsEntitiesStayUnresolved() throws {
        let secret = try SecretFile()
        let text = "<!DOCTYPE customers SYSTEM \"file://\(secret.path)\">\n<customers><customer><id>&xxe;</id></customer>\n<customer><id>2</id></customer></customers>"
        let outcome = XMLReadOutcome.verified(text)
        #expect(outcome.error == nil)
        #expect(outcome.rows.count == 2)
        #expect(outcome.rows[0].defect?.detail.contains("xxe") == true)
        #expect(outcome.rows[1].defect == nil)
        #expect(!"\(outcome.values) \(outcome.defects)".contains(secret.secret))
    }

    @Test func entityExpansionBombsEndAtTheFirstDeclaration() {
        var laughs = "<?xml version=\"1.0\"?>\n<!DOCTYPE customers [\n<!ENTITY lol0 \"lol\">\n"
        for i in 1...9 { laughs += "<!ENTITY lol\(i) \"" + String(repeating: "&lol\(i - 1);", count: 10) + "\">\n" }
        laughs += "]>\n<customers><customer><id>&lol9;</id></customer></customers>\n"
        let quadratic = "<!DOCTYPE customers [<!ENTITY a \"" + String(repeating: "x", count: 50_000) + "\">]><customers><customer><id>"
            + String(repeating: "&a;", count: 50_000) + "</id></customer></customers>"
        for text in [laughs, quadratic] {
            let outcome = XMLReadOutcome.read(ChunkedByteSource(Array(text.utf8), name: "in.xml"))
            #expect(outcome.rows.isEmpty)
            let (_, line, detail) = malformedLine(outcome.error) ?? ("", 0, "")
            #expect(detail.contains("declares the entity"))
            #expect(line >= 1)
        }
        #expect(malformedLine(XMLReadOutcome.verified(laughs).error)?.1 == 3)
    }

    // MARK: - Depth

    @Test func nestingDeeperThanTheLimitIsRefused() {
        let depth = 100_000
        let text = "<customers><customer>" + String(repeating: "<a>", count: depth) + String(repeating: "</a>", count: depth) + "</customer></customers>"
        let outcome = XMLReadOutcome.read(ChunkedByteSource(Array(text.utf8), name: "in.xml"))
        #expect(outcome.error == .tooDeep(file: "in.xml", line: 1, limit: 64))
        let shallow = XMLReadOutcome.verified("<customers><customer>" + String(repeating: "<a>", count: 63) + "x" + String(repeating: "</a>", count: 63) + "</customer></customers>")
        #expect(shallow.error == nil)
        #expect(XMLReadOutcome.verified("<customers><customer>" + String(repeating: "<a>", count: 64) + String(repeating: "</a>", count: 64) + "</customer></customers>").error
                == .tooDeep(file: "in.xml", line: 1, limit: 64))
        let custom = XMLReadOutcome.verified("<customers><customer><a><b>x</b></a></customer></customers>", options: .init(maxDepth: 2))
        #expect(custom.error == .tooDeep(file: "in.xml", line: 1, limit: 2))
    }
}
