import Testing
import PropertyBased
import ClienteleIO
import ClienteleTestSupport
@testable import ClienteleFormats

/// Layouts that keep XML attributes (`attributePrefix`) and documents in a default namespace, as
/// platform exports have them (Salesforce B2C Commerce: `<customer customer-no="…">`). Every case
/// is also read drip-fed and in random chunks.
@Suite struct XMLAttributeLayoutTests {
    /// A layout like SFCC's customer.xsd needs.
    static let layout = XMLRecordLayout(
        rootName: "customers", recordName: "customer",
        lists: ["addresses": "address", "customer-groups": "customer-group"],
        maps: ["custom-attributes": XMLKeyedItems(item: "custom-attribute", keyAttribute: "attribute-id")],
        attributePrefix: "@")

    static let sfccNamespace = "http://www.demandware.com/xml/impex/customer/2006-10-31"

    @Test func theCanonicalLayoutStillIgnoresAttributes() {
        let outcome = XMLReadOutcome.verified("""
            <customers><customer no="7"><email type="home">a@x.io</email><groups kind="k"><group g="1">VIP</group></groups>\
            <attributes><attribute name="tier" lang="de">gold</attribute></attributes><empty flag="1"/></customer></customers>
            """)
        #expect(outcome.error == nil)
        #expect(outcome.values == [tree(("email", .string("a@x.io")), ("groups", .array([.string("VIP")])),
                                        ("attributes", tree(("tier", .string("gold")))), ("empty", .null))])
        #expect(customersLayout.attributePrefix == nil)
    }

    @Test func attributesOfTheRecordListItemsAndLeavesAreKept() {
        let outcome = XMLReadOutcome.verified("""
            <?xml version="1.0" encoding="UTF-8"?>
            <customers xmlns="\(Self.sfccNamespace)">
              <customer customer-no="00012">
                <credentials>
                  <login>ann@example.com</login>
                  <password encrypted="true" encryptionScheme="scrypt">$s0$b0401$abc==$def=</password>
                  <enabled-flag>true</enabled-flag>
                </credentials>
                <addresses>
                  <address address-id="Home" preferred="true"><city>Köln</city></address>
                  <address address-id="Work &amp; more"/>
                </addresses>
                <customer-groups><customer-group group-id="VIP"/><customer-group group-id="Staff"></customer-group></customer-groups>
              </customer>
            </customers>
            """, layout: Self.layout)
        #expect(outcome.error == nil)
        #expect(outcome.defects == [nil])
        #expect(outcome.values == [tree(
            ("@customer-no", .string("00012")),
            ("credentials", tree(
                ("login", .string("ann@example.com")),
                ("password", tree(("@encrypted", .string("true")), ("@encryptionScheme", .string("scrypt")),
                                  ("#text", .string("$s0$b0401$abc==$def=")))),
                ("enabled-flag", .string("true")))),
            ("addresses", .array([
                tree(("@address-id", .string("Home")), ("@preferred", .string("true")), ("city", .string("Köln"))),
                tree(("@address-id", .string("Work & more"))),
            ])),
            ("customer-groups", .array([tree(("@group-id", .string("VIP"))), tree(("@group-id", .string("Staff")))])))])
    }

    @Test func mapItemsKeepTheirOtherAttributesAndContainersDropTheirs() {
        let outcome = XMLReadOutcome.verified("""
            <customers><customer><profile>\
            <custom-attributes note="dropped">\
            <custom-attribute attribute-id="tier">gold</custom-attribute>\
            <custom-attribute attribute-id="motto" xml:lang="de">Carpe diem</custom-attribute>\
            <custom-attribute attribute-id="colors"><value>red</value><value>blue</value></custom-attribute>\
            </custom-attributes></profile>\
            <addresses kind="x"><address address-id="A"/></addresses></customer></customers>
            """, layout: Self.layout)
        #expect(outcome.error == nil)
        #expect(outcome.values == [tree(
            ("profile", tree(("custom-attributes", tree(
                ("tier", .string("gold")),
                ("motto", tree(("@xml:lang", .string("de")), ("#text", .string("Carpe diem")))),
                ("colors", tree(("value", .string("red")), ("value", .string("blue")))))))),
            ("addresses", .array([tree(("@address-id", .string("A")))])))])
    }

    @Test func aRecordWithOnlyAttributesIsAnObjectOfThem() {
        let outcome = XMLReadOutcome.verified("<customers><customer customer-no=\"1\"/><customer customer-no=\"2\"> </customer></customers>",
                                              layout: Self.layout)
        #expect(outcome.values == [tree(("@customer-no", .string("1"))), tree(("@customer-no", .string("2")))])
        #expect(outcome.defects == [nil, nil])
    }

    @Test func textBesideElementsIsStillADefectWhenAttributesAreKept() {
        let outcome = XMLReadOutcome.verified(
            "<customers><customer customer-no=\"1\">text<id>1</id></customer><customer customer-no=\"2\"><id>2</id></customer></customers>",
            layout: Self.layout)
        #expect(outcome.rows.count == 2)
        #expect(outcome.defects[0]?.detail.contains("holds elements, not text") == true)
        #expect(outcome.defects[1] == nil)
        #expect(outcome.values[1] == tree(("@customer-no", .string("2")), ("id", .string("2"))))
    }

    @Test func attributesCountTowardsTheRecordSizeLimit() {
        let long = String(repeating: "x", count: 300)
        let outcome = XMLReadOutcome.verified(
            "<customers><customer a=\"\(long)\" b=\"\(long)\"/><customer customer-no=\"2\"/></customers>",
            options: .init(maxRecordBytes: 400), layout: Self.layout)
        #expect(outcome.rows.count == 2)
        #expect(outcome.defects[0]?.detail.contains("larger than 400 bytes") == true)
        #expect(outcome.values[0] == .null)
        #expect(outcome.values[1] == tree(("@customer-no", .string("2"))))
        // Without the prefix the same attributes are ignored and cost nothing.
        var plain = Self.layout
        plain.attributePrefix = nil
        let ignored = XMLReadOutcome.verified(
            "<customers><customer a=\"\(long)\" b=\"\(long)\"/></customers>", options: .init(maxRecordBytes: 400), layout: plain)
        #expect(ignored.defects == [nil])
    }

    @Test func namesInADefaultNamespaceMatchAndABrokenRecordResynchronizes() {
        let outcome = XMLReadOutcome.verified("""
            <customers xmlns="\(Self.sfccNamespace)" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
            <customer customer-no="1"><profile><email>a@x.io</email></profile></customer>
            <customer customer-no="2"><profile><email>b@x.io</profile></customer>
            <customer customer-no="3"><addresses><address address-id="H"><city>Ulm</city></address></addresses></customer>
            </customers>
            """, layout: Self.layout)
        #expect(outcome.error == nil)
        #expect(outcome.rows.count == 3)
        #expect(outcome.values[0] == tree(("@customer-no", .string("1")), ("profile", tree(("email", .string("a@x.io"))))))
        #expect(outcome.defects[1] != nil)
        #expect(outcome.values[2] == tree(("@customer-no", .string("3")),
                                          ("addresses", .array([tree(("@address-id", .string("H")), ("city", .string("Ulm")))]))))
        #expect(outcome.rows.map(\.position.line) == [2, 3, 4])
    }

    @Test func aRootInAnotherNamespaceWithTheWrongLocalNameIsRefused() {
        let outcome = XMLReadOutcome.verified("<customer-list xmlns=\"\(Self.sfccNamespace)\"><customer/></customer-list>", layout: Self.layout)
        #expect(outcome.error != nil)
        #expect("\(outcome.error!)".contains("expected <customers>"))
    }

    // MARK: - Writing

    @Test func theWriterPutsPrefixedMembersIntoAttributes() {
        var writer = XMLTextWriter()
        writer.write(tree(
            ("@customer-no", .string("7")),
            ("credentials", tree(("login", .string("a")),
                                 ("password", tree(("@encrypted", .bool(true)), ("@encryptionScheme", .string("scrypt")), ("#text", .string("h")))))),
            ("addresses", .array([tree(("@address-id", .string("Home & \"Co\"")), ("@preferred", .string("true")), ("city", .string("Ulm"))),
                                  tree(("@address-id", .string("B")))])),
            ("customer-groups", .array([tree(("@group-id", .string("VIP")))])),
            ("profile", tree(("custom-attributes", tree(("tier", .string("gold")))))),
            ("note", .null)),
            as: "customer", layout: Self.layout)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "<customer customer-no=\"7\"><credentials><login>a</login>"
            + "<password encrypted=\"true\" encryptionScheme=\"scrypt\">h</password></credentials>"
            + "<addresses><address address-id=\"Home &amp; &quot;Co&quot;\" preferred=\"true\"><city>Ulm</city></address>"
            + "<address address-id=\"B\"/></addresses><customer-groups><customer-group group-id=\"VIP\"/></customer-groups>"
            + "<profile><custom-attributes><custom-attribute attribute-id=\"tier\">gold</custom-attribute></custom-attributes></profile>"
            + "</customer>")
    }

    @Test func startAndEmptyElementsTakeSeveralEscapedAttributes() {
        var writer = XMLTextWriter()
        writer.startElement("customers", attributes: [("xmlns", Self.sfccNamespace), ("x", "a<b\tc\n")])
        writer.emptyElement("e", attributes: [])
        writer.emptyElement("f", attributes: [("k", "\"v\"")])
        writer.endElement("customers")
        #expect(String(decoding: writer.bytes, as: UTF8.self)
            == "<customers xmlns=\"\(Self.sfccNamespace)\" x=\"a&lt;b&#9;c&#10;\"><e/><f k=\"&quot;v&quot;\"/></customers>")
    }

    /// Random records with attributes on the record, on list items and on text leaves, written in a
    /// default namespace: they read back the same, whatever the chunking.
    @Test func recordsWithAttributesReadBackAsWritten() async {
        await propertyCheck(count: 100, input: Gen<UInt64>.value()) { seed in
            var rng = SplitMix64(seed: seed)
            func text() -> String { XMLTextWriterTests.RandomRecord.string(&rng) }
            func attributes(_ names: [String]) -> [JSONMember] {
                names.filter { _ in rng.next() % 2 == 0 }.map { JSONMember("@" + $0, .string(rng.next() % 4 == 0 ? "" : text())) }
            }
            var records: [JSONValue] = []
            for _ in 0..<Int(rng.next() % 4) {
                var members = attributes(["customer-no", "mode"])
                if rng.next() % 2 == 0 {
                    // Text alone is a string; with attributes, an object holding it under #text.
                    let password = attributes(["encrypted", "encryptionScheme"])
                    let value: JSONValue = password.isEmpty ? .string(text()) : .object(password + [JSONMember("#text", .string(text()))])
                    members.append(JSONMember("credentials", tree(("login", .string(text())), ("password", value))))
                }
                if rng.next() % 2 == 0 {
                    let addresses = (0..<Int(rng.next() % 3 + 1)).map { _ -> JSONValue in
                        var address = [JSONMember("@address-id", .string(text()))] + attributes(["preferred"])
                        if rng.next() % 2 == 0 { address.append(JSONMember("city", .string(text()))) }
                        return .object(address)
                    }
                    members.append(JSONMember("addresses", .array(addresses)))
                }
                if rng.next() % 2 == 0 {
                    members.append(JSONMember("profile", tree(("custom-attributes", .object(
                        (0..<Int(rng.next() % 3 + 1)).map { _ in JSONMember(text(), .string(text())) })))))
                }
                records.append(.object(members))
            }
            var writer = XMLTextWriter()
            writer.writeDeclaration()
            writer.startElement("customers", attributes: [("xmlns", Self.sfccNamespace)])
            for record in records {
                writer.writeRaw("\n  ")
                writer.write(record, as: "customer", layout: Self.layout)
            }
            writer.writeRaw("\n")
            writer.endElement("customers")
            let whole = XMLReadOutcome.read(ChunkedByteSource(writer.bytes), layout: Self.layout)
            #expect(whole.error == nil)
            #expect(whole.defects.allSatisfy { $0 == nil })
            #expect(whole.values == records)
            let chunked = XMLReadOutcome.read(ChunkedByteSource(writer.bytes, randomChunksUpTo: 13, seed: seed),
                                              options: .init(chunkSize: Int(seed % 50) + 1), layout: Self.layout)
            #expect(chunked == whole)
        }
    }
}
