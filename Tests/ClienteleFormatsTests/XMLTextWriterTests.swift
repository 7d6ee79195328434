import PropertyBased
import Testing
import ClienteleIO
import ClienteleTestSupport
@testable import ClienteleFormats

/// The XML writer: escaping, layout, and write → read round trips through the reader.
@Suite struct XMLTextWriterTests {
    func text(_ build: (inout XMLTextWriter) -> Void) -> String {
        var writer = XMLTextWriter()
        build(&writer)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func textAndAttributesAreEscaped() {
        #expect(text { $0.writeElement("a", text: "x < y & z > \"q\" 'r'\ttab\nline\r\ncr") }
                == "<a>x &lt; y &amp; z &gt; \"q\" 'r'\ttab\nline&#13;\ncr</a>")
        #expect(text { $0.startElement("attribute", attribute: "name", value: "a\"b&c<d>\te\nf\rg") }
                == "<attribute name=\"a&quot;b&amp;c&lt;d&gt;&#9;e&#10;f&#13;g\">")
        #expect(text { $0.writeText("Söhne 😀 \u{2028} \u{FEFF}") } == "Söhne 😀 \u{2028} \u{FEFF}")
    }

    @Test func charactersXMLCannotCarryBecomeTheReplacementCharacter() {
        #expect(text { $0.writeText("a\u{0}b\u{1}c\u{1F}d\u{B}e\u{FFFE}f\u{FFFF}g\u{FFFD}") }
                == "a\u{FFFD}b\u{FFFD}c\u{FFFD}d\u{FFFD}e\u{FFFD}f\u{FFFD}g\u{FFFD}")
        #expect(text { $0.writeText("\u{EFBF}\u{F000}") } == "\u{EFBF}\u{F000}", "other EF-led characters are kept")
    }

    @Test func valuesAreWrittenByTheLayout() {
        let value = tree(
            ("id", .string("7")), ("skip", .null), ("count", .number("3")), ("flag", .bool(false)),
            ("groups", .array([.string("A"), .string("B & C")])), ("wishlist", .array([])),
            ("addresses", .array([tree(("city", .string("Köln")), ("defaultBilling", .bool(true)))])),
            ("attributes", tree(("tier", .string("gold")), ("a\"b", .string("x")), ("none", .null))),
            ("other", .array([.string("x")])), ("empty", .string("")), ("obj", .object([])))
        #expect(text { $0.write(value, as: "customer", layout: customersLayout) } == "<customer><id>7</id><count>3</count><flag>false</flag>"
                + "<groups><group>A</group><group>B &amp; C</group></groups><wishlist/>"
                + "<addresses><address><city>Köln</city><defaultBilling>true</defaultBilling></address></addresses>"
                + "<attributes><attribute name=\"tier\">gold</attribute><attribute name=\"a&quot;b\">x</attribute></attributes>"
                + "<other><item>x</item></other><empty/><obj/></customer>")
    }

    @Test func aDocumentReadsBackAsWritten() {
        let records = [
            tree(("id", .string("1")), ("street2", .string("Hinterhaus\r\n3. OG")), ("groups", .array([.string("VIP")]))),
            tree(("id", .string("2")), ("attributes", tree(("k\tk", .string(" v\nv "))))),
        ]
        var writer = XMLTextWriter()
        writer.writeDeclaration()
        writer.startElement("customers")
        writer.writeRaw("\n")
        for record in records {
            writer.writeRaw("  ")
            writer.write(record, as: "customer", layout: customersLayout)
            writer.writeRaw("\n")
        }
        writer.endElement("customers")
        let outcome = XMLReadOutcome.verified(writer.bytes)
        #expect(outcome.error == nil)
        #expect(outcome.values == records)
        #expect(outcome.rows.map(\.position.line) == [3, 5], "the first record spans two lines")
    }

    /// Random records of the shape the archive holds: string leaves (any characters XML can
    /// carry, not blank), lists under their containers, nested objects, keyed attributes.
    enum RandomRecord {
        static let scalars: [Unicode.Scalar] = ["a", "Z", "0", " ", "<", ">", "&", "\"", "'", "\t", "\n", "\r", "]", "é", "€",
                                                "\u{2028}", "中", "😀", "\u{FEFF}", "\u{10FFFF}", "\u{85}", "\u{7F}"]
        static let keys = ["id", "email", "firstName", "city", "note", "a-b", "x_y", "ünï"]

        static func string(_ rng: inout SplitMix64) -> String {
            var s = String.UnicodeScalarView()
            for _ in 0..<Int(rng.next() % 10) {
                s.append(rng.next() % 3 == 0 ? scalars[Int(rng.next() % UInt64(scalars.count))] : Unicode.Scalar(UInt8(0x21 + rng.next() % 94)))
            }
            s.append(Unicode.Scalar(UInt8(0x21 + rng.next() % 94)))   // never blank
            return String(s)
        }

        static func object(_ rng: inout SplitMix64, depth: Int) -> JSONValue {
            var members: [JSONMember] = []
            for _ in 0..<Int(rng.next() % 6) {
                switch rng.next() % (depth > 2 ? 1 : 5) {
                case 0: members.append(JSONMember(keys[Int(rng.next() % UInt64(keys.count))], .string(string(&rng))))
                case 1: members.append(JSONMember("groups", .array((0..<Int(rng.next() % 3 + 1)).map { _ in .string(string(&rng)) })))
                case 2: members.append(JSONMember("addresses", .array((0..<Int(rng.next() % 3 + 1)).map { _ in object(&rng, depth: depth + 1) })))
                case 3: members.append(JSONMember("attributes", .object((0..<Int(rng.next() % 3 + 1)).map { _ in JSONMember(string(&rng), .string(string(&rng))) })))
                default: members.append(JSONMember("orders", object(&rng, depth: depth + 1)))
                }
            }
            // An empty object reads back as absent (null) below the record.
            if members.isEmpty, depth > 0 { members.append(JSONMember("id", .string(string(&rng)))) }
            return .object(members)
        }
    }

    @Test func writtenRecordsReadBackTheSameWhateverTheChunking() async {
        await propertyCheck(count: 100, input: Gen<UInt64>.value()) { seed in
            var rng = SplitMix64(seed: seed)
            let records = (0..<Int(rng.next() % 5)).map { _ in RandomRecord.object(&rng, depth: 0) }
            var writer = XMLTextWriter()
            writer.writeDeclaration()
            writer.startElement("customers")
            for record in records {
                writer.writeRaw(rng.next() % 2 == 0 ? "\n  " : "\r\n")
                writer.write(record, as: "customer", layout: customersLayout)
            }
            writer.writeRaw("\n")
            writer.endElement("customers")
            let whole = XMLReadOutcome.read(ChunkedByteSource(writer.bytes))
            #expect(whole.error == nil)
            #expect(whole.defects.allSatisfy { $0 == nil })
            #expect(whole.values == records)
            let chunked = XMLReadOutcome.read(ChunkedByteSource(writer.bytes, randomChunksUpTo: 13, seed: seed),
                                              options: .init(chunkSize: Int(seed % 50) + 1))
            #expect(chunked == whole)
        }
    }
}
