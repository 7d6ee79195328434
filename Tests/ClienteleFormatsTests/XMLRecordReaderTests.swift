import Testing
import ClienteleIO
import ClienteleTestSupport
@testable import ClienteleFormats

/// The XML reader on well-formed documents: the JSON-shaped trees, positions, decoding, and the
/// record-level defects it hands up (every case also drip-fed and in random chunks).
@Suite struct XMLRecordReaderTests {
    @Test func theSpecExampleReadsAsTheNestedJSONShape() {
        let outcome = XMLReadOutcome.verified("""
            <customers>
              <customer>
                <id>R1</id><kind>registered</kind><email>ann@example.com</email>
                <groups><group>VIP</group></groups>
                <addresses>
                  <address><street1>Hauptstr. 1</street1><city>München</city><country>DE</country>
                    <defaultBilling>true</defaultBilling></address>
                </addresses>
                <orders><count>2</count>
                  <totals><total><currency>EUR</currency><amount>100.50</amount></total></totals></orders>
                <attributes><attribute name="loyaltyTier">gold</attribute></attributes>
              </customer>
            </customers>
            """)
        #expect(outcome.error == nil)
        #expect(outcome.values == [tree(
            ("id", .string("R1")), ("kind", .string("registered")), ("email", .string("ann@example.com")),
            ("groups", .array([.string("VIP")])),
            ("addresses", .array([tree(("street1", .string("Hauptstr. 1")), ("city", .string("München")),
                                         ("country", .string("DE")), ("defaultBilling", .string("true")))])),
            ("orders", tree(("count", .string("2")),
                              ("totals", .array([tree(("currency", .string("EUR")), ("amount", .string("100.50")))])))),
            ("attributes", tree(("loyaltyTier", .string("gold")))))])
        #expect(outcome.rows.first?.position == SourcePosition(line: 2, byteOffset: 14, record: 1))
        #expect(outcome.rows.first?.defect == nil)
    }

    @Test func positionsNameTheStartTagOfEveryRecord() {
        let text = "<?xml version=\"1.0\"?>\n<customers>\n  <customer><id>1</id></customer><customer>\n<id>2</id></customer>\n\n"
            + "  <customer\n  ><id>3</id></customer>\n</customers>\n"
        let outcome = XMLReadOutcome.verified(text)
        #expect(outcome.error == nil)
        let bytes = Array(text.utf8)
        let starts = bytes.indices.filter { bytes[$0...].starts(with: Array("<customer".utf8)) && bytes[$0 + 9] != UInt8(ascii: "s") }
        #expect(outcome.rows.map(\.position.byteOffset) == starts.map(Int64.init))
        #expect(outcome.rows.map(\.position.line) == [3, 3, 7])
        #expect(outcome.rows.map(\.position.record) == [1, 2, 3])
        #expect(outcome.bytesConsumed == Int64(bytes.count))
    }

    @Test func entitiesCharacterReferencesAndCDATAAreDecoded() {
        let outcome = XMLReadOutcome.verified("""
            <customers><customer><company>Lee &amp; S&#246;hne &lt;GmbH&gt; &#x1F600; &quot;x&apos;</company>\
            <street1><![CDATA[<b>&amp;</b>]]> and more</street1>\
            <attributes><attribute name="a&amp;b &#38; &lt;c&gt; &quot;d&quot;">v</attribute></attributes>\
            </customer></customers>
            """)
        #expect(outcome.error == nil)
        #expect(outcome.values == [tree(
            ("company", .string("Lee & Söhne <GmbH> 😀 \"x'")),
            ("street1", .string("<b>&amp;</b> and more")),
            ("attributes", tree(("a&b & <c> \"d\"", .string("v")))))])
    }

    @Test func leafTextIsKeptAsWrittenAndBlankOrEmptyElementsAreAbsent() {
        let outcome = XMLReadOutcome.verified("""
            <customers><customer>
              <email>  Ann@Example.com </email><firstName/><lastName>  </lastName>
              <street2>Hinterhaus
            3. OG</street2>
              <groups/><attributes></attributes><orders>
              </orders>
            </customer><customer/></customers>
            """)
        #expect(outcome.error == nil)
        #expect(outcome.values == [
            tree(("email", .string("  Ann@Example.com ")), ("firstName", .null), ("lastName", .null),
                   ("street2", .string("Hinterhaus\n3. OG")), ("groups", .array([])), ("attributes", .object([])),
                   ("orders", .null)),
            .object([]),
        ])
        #expect(outcome.defects == [nil, nil])
    }

    @Test func repeatedElementsStayInOrderAsJSONDuplicatesDo() {
        let outcome = XMLReadOutcome.verified("<customers><customer><email>a@x.io</email><email>b@x.io</email></customer></customers>")
        #expect(outcome.values == [tree(("email", .string("a@x.io")), ("email", .string("b@x.io")))])
        #expect(outcome.values.first?["email"] == .string("b@x.io"))
    }

    @Test func commentsProcessingInstructionsAndADoctypeWithoutEntitiesAreSkipped() {
        let outcome = XMLReadOutcome.verified("""
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE customers>
            <!-- export of 2024 -->
            <customers><?generator x?><customer><!-- c --><id>1<!-- inside -->2</id></customer></customers>
            """)
        #expect(outcome.error == nil)
        #expect(outcome.values == [tree(("id", .string("12")))])
    }

    @Test func namespacesAndPrefixesAreIgnoredInNames() {
        let outcome = XMLReadOutcome.verified("""
            <c:customers xmlns:c="urn:clientele" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="x.xsd">
            <c:customer><c:id>1</c:id><c:groups><c:group>A</c:group></c:groups></c:customer></c:customers>
            """)
        #expect(outcome.error == nil)
        #expect(outcome.values == [tree(("id", .string("1")), ("groups", .array([.string("A")])))])
    }

    @Test func aBOMAndADeclaredLatin1EncodingAreHonoured() {
        let bom = XMLReadOutcome.verified([0xEF, 0xBB, 0xBF] + Array("<customers><customer><city>Köln</city></customer></customers>".utf8))
        #expect(bom.values == [tree(("city", .string("Köln")))])
        let latin1: [UInt8] = Array("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<customers><customer><city>K".utf8) + [0xF6]
            + Array("ln</city></customer></customers>".utf8)
        let outcome = XMLReadOutcome.verified(latin1)
        #expect(outcome.error == nil)
        #expect(outcome.values == [tree(("city", .string("Köln")))])
        #expect(outcome.rows.first?.position.line == 2)
    }

    // MARK: - Record-level defects

    @Test func shapeProblemsAreDefectsOfTheirRecordAndReadingGoesOn() {
        let outcome = XMLReadOutcome.verified("""
            <customers>
            <customer><firstName>Ann<b>bold</b></firstName></customer>
            <customer><groups><sku>S1</sku></groups></customer>
            <customer><attributes><tier>gold</tier></attributes></customer>
            <client><id>4</id></client>
            <customer>just text</customer>
            <customer><id>6</id><attributes><attribute>no name</attribute></attributes></customer>
            </customers>
            """)
        #expect(outcome.error == nil)
        #expect(outcome.rows.count == 6)
        #expect(outcome.rows.map(\.position.record) == [1, 2, 3, 4, 5, 6])
        let details = outcome.defects.map { $0?.detail ?? "" }
        #expect(details[0].contains("<firstName> mixes text with elements"))
        #expect(details[1].contains("<groups> holds <group> items, found <sku>"))
        #expect(details[2].contains("<attributes> holds <attribute> items, found <tier>"))
        #expect(details[3].contains("expected <customer>, found <client>"))
        #expect(details[4].contains("<customer> holds elements, not text"))
        // A nameless attribute is the mapper's to refuse (it has the field name); the shape is fine.
        #expect(outcome.rows[5].defect == nil)
        #expect(outcome.rows[5].value == tree(("id", .string("6")), ("attributes", tree(("", .string("no name"))))))
    }

    @Test func aRecordLargerThanTheLimitIsSkippedWhole() {
        let big = String(repeating: "x", count: 5000)
        let outcome = XMLReadOutcome.verified(
            "<customers><customer><id>1</id></customer><customer><note>\(big)</note><id>2</id></customer><customer><id>3</id></customer></customers>",
            options: .init(maxRecordBytes: 2000))
        #expect(outcome.error == nil)
        #expect(outcome.values == [tree(("id", .string("1"))), .null, tree(("id", .string("3")))])
        #expect(outcome.rows[1].defect?.detail.contains("larger than 2000 bytes") == true)
        #expect(outcome.rows[2].position.record == 3)
    }

    @Test func anEmptyRootHasNoRecords() {
        let empty = XMLReadOutcome.verified("<customers/>")
        #expect(empty.rows.isEmpty && empty.error == nil)
        #expect(XMLReadOutcome.verified("<customers>\n</customers>\n").rows.isEmpty)
    }
}
