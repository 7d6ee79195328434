import ClienteleFormats
import Foundation
@testable import ClienteleModel
import ClienteleTestSupport
import Testing

/// The `sfcc` profile on `SampleData/profiles/sfcc/customers.xml` (Salesforce B2C Commerce
/// customer.xsd, default namespace, attributes): mapped values, password schemes, quirks, rejected
/// records, the export layout and the round trip.
@Suite struct SFCCProfileTests {
    let profile = SFCCProfile()

    func sample() throws -> [PlatformSample.Mapped?] {
        try PlatformSample.mapAll("sfcc/customers.xml", profile: profile)
    }

    @Test func theCatalogHasTheProfileAndTheSampleIsRead() throws {
        #expect(ProfileCatalog.profile(named: "sfcc")?.name == "sfcc")
        #expect(profile.input.format == .xml)
        #expect(profile.input.xmlLayout == SFCCProfile.layout)
        let all = try sample()
        #expect(all.count == 12)
        #expect(all.compactMap { $0?.line } == [3, 76, 103, 115, 128, 140, 152, 165, 197, 214, 235])
        #expect(all[10] == nil, "the record that is not well-formed is defective (the pipeline rejects it)")
    }

    @Test func aCustomerMapsWithCredentialsProfileAddressesAndGroups() throws {
        let ann = try #require(PlatformSample.find(try sample(), "00001001"))
        #expect(ann.issueList == [])
        let c = ann.customer
        #expect(c.kind == .registered)
        #expect(c.username == "ann.lee@example.com")
        #expect(c.passwordHash?.algorithm == .scrypt)
        #expect(c.passwordHash?.value == "$s0$e0801$Q2xpZW50ZWxlU2FsdDE=$kB8QhBq2FQh3mXl0Y6JqLx0y2fhh1Ny3Hc0DZ1pGm9E=")
        #expect(c.passwordResetRequired == false)
        #expect(c.status == .active)
        #expect(c.salutation == "Ms")
        #expect(c.firstName == "Ann")
        #expect(c.middleName == "Marie")
        #expect(c.lastName == "Lee")
        #expect(c.email?.value == "ann.lee@example.com")
        #expect(c.phone == "+16175550134", "phone-home before phone-mobile")
        #expect(c.dateOfBirth == "1984-04-12")
        #expect(c.gender == "female")
        #expect(c.createdAt?.description == "2019-06-03T09:21:05Z")
        #expect(c.locale == "en-US")
        #expect(c.attributes == ["loyaltyTier": "gold", "newsletterTopics": "sale,new-arrivals"])
        #expect(c.groups == ["VIP", "Newsletter"])
        #expect(c.notes.map(\.text) == ["Asked for gift wrapping on every order."])
        #expect(c.addresses.count == 2)
        let home = c.addresses[0]
        #expect(home.street1 == "10 Beacon St")
        #expect(home.street2 == "Apt 4B")
        #expect(home.city == "Boston")
        #expect(home.postalCode == "02108")
        #expect(home.region == "MA")
        #expect(home.country == "US")
        #expect(home.phone == "+16175550134")
        #expect(home.defaultBilling && home.defaultShipping, "the preferred address")
        #expect(c.addresses[1].company == "Lee & Partners LLP")
        #expect(!c.addresses[1].defaultBilling && !c.addresses[1].defaultShipping)
    }

    @Test func passwordSchemesAreReadAsB2CCommerceWritesThem() throws {
        let all = try sample()
        let bert = try #require(PlatformSample.find(all, "00001002"))
        #expect(bert.issueList == ["password.hash-weak passwordHash"])
        #expect(bert.customer.passwordHash?.algorithm == .md5)
        let cara = try #require(PlatformSample.find(all, "00001003"))
        #expect(cara.issueList == ["password.plaintext-dropped password"])
        #expect(cara.customer.passwordHash == nil)
        #expect(cara.customer.kind == .registered)
        let emil = try #require(PlatformSample.find(all, "00001005"))
        #expect(emil.issueList == ["password.hash-weak passwordHash"], "s0001 cannot be verified elsewhere")
        #expect(emil.customer.passwordHash?.algorithm == .unknown)
        #expect(emil.customer.passwordResetRequired)
    }

    @Test func profileQuirksAreRead() throws {
        let all = try sample()
        let bert = try #require(PlatformSample.find(all, "00001002")).customer
        #expect(bert.username == "bert.klein")
        #expect(bert.email?.value == "bert.klein@example.de")
        #expect(bert.dateOfBirth == "1988-09-30", "an xsd:date with a time zone")
        #expect(bert.gender == "male", "the word, accepted for backward compatibility")
        #expect(bert.phone == "+49301234567")
        #expect(bert.addresses.first?.street1 == "Friedrichstraße 43")
        #expect(try #require(PlatformSample.find(all, "00001004")).customer.status == .disabled)
        let greta = try #require(PlatformSample.find(all, "00001008")).customer
        #expect(greta.status == .active, "enabled-flag 1")
        #expect(greta.phone == "+436641234567", "phone-mobile when there is no phone-home")
        #expect(greta.salutation == "Frau")
        #expect(greta.company == "Mobil & Söhne KG")
        #expect(greta.locale == "de-AT")
        #expect(greta.addresses.first?.region == "W")
        #expect(greta.addresses.first.map { !$0.defaultBilling && !$0.defaultShipping } == true, "no preferred address")
        let hiro = try #require(PlatformSample.find(all, "00001009")).customer
        #expect(hiro.attributes == ["greeting": "こんにちは", "vipSince": "2021-04-01"])
        #expect(hiro.locale == "ja-JP")
        // No customer-no: the login identifies the customer.
        let ida = try #require(PlatformSample.find(all, "ida.nonumber@example.com"))
        #expect(ida.issueList == [])
        let kai = try #require(PlatformSample.find(all, "00001012")).customer
        #expect(kai.addresses.map(\.defaultShipping) == [false, true])
        #expect(kai.groups == ["Wholesale"])
    }

    @Test func badRecordsAreRejectedWithTheirReason() throws {
        let all = try sample()
        #expect(all.compactMap { $0 }.filter(\.hasErrors).map { $0.mapped.sourceID ?? "" } == ["00001007"])
        let felix = try #require(PlatformSample.find(all, "00001007"))
        #expect(felix.issueList == ["date.invalid dateOfBirth"])
        #expect(felix.draft.issues.first?.message == "profile/birthday: '14.02.1990' is not a date in the form yyyy-MM-dd")
        var draft = profile.draft(from: .tree(.object([JSONMember("credentials", .object([JSONMember("login", .string("x")),
            JSONMember("enabled-flag", .string("maybe"))]))])))
        #expect(draft.issues.map(\.code) == [.booleanInvalid])
        draft = profile.draft(from: .rows(CSVRowGroup(columns: CSVColumns(["a"]), rows: [["1"]])))
        #expect(draft.issues.map(\.code) == [.recordMalformed])
    }

    @Test func exportWritesCustomerXSDElementsInOrder() throws {
        guard case let .xml(prologue, epilogue) = profile.export else { Issue.record("not XML"); return }
        #expect(prologue == "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<customers xmlns=\"http://www.demandware.com/xml/impex/customer/2006-10-31\">\n")
        #expect(epilogue == "</customers>\n")
        let ann = try #require(PlatformSample.find(try sample(), "00001001")).customer
        guard case let .xml(text) = profile.exportRecord(ann) else { Issue.record("not XML"); return }
        #expect(text == "  <customer customer-no=\"00001001\"><credentials><login>ann.lee@example.com</login>"
            + "<password encrypted=\"true\" encryptionScheme=\"scrypt\">$s0$e0801$Q2xpZW50ZWxlU2FsdDE=$kB8QhBq2FQh3mXl0Y6JqLx0y2fhh1Ny3Hc0DZ1pGm9E=</password>"
            + "<enabled-flag>true</enabled-flag></credentials>"
            + "<profile><salutation>Ms</salutation><first-name>Ann</first-name><second-name>Marie</second-name><last-name>Lee</last-name>"
            + "<email>ann.lee@example.com</email><phone-home>+16175550134</phone-home><birthday>1984-04-12</birthday><gender>2</gender>"
            + "<creation-date>2019-06-03T09:21:05Z</creation-date><preferred-locale>en_US</preferred-locale>"
            + "<custom-attributes><custom-attribute attribute-id=\"loyaltyTier\">gold</custom-attribute>"
            + "<custom-attribute attribute-id=\"newsletterTopics\">sale,new-arrivals</custom-attribute></custom-attributes></profile>"
            + "<addresses><address address-id=\"address-1\" preferred=\"true\"><first-name>Ann</first-name><last-name>Lee</last-name>"
            + "<address1>10 Beacon St</address1><address2>Apt 4B</address2><city>Boston</city><postal-code>02108</postal-code>"
            + "<state-code>MA</state-code><country-code>US</country-code><phone>+16175550134</phone></address>"
            + "<address address-id=\"address-2\"><first-name>Ann</first-name><last-name>Lee</last-name><company-name>Lee &amp; Partners LLP</company-name>"
            + "<address1>200 Clarendon St</address1><city>Boston</city><postal-code>02116</postal-code><state-code>MA</state-code>"
            + "<country-code>US</country-code></address></addresses>"
            + "<customer-groups><customer-group group-id=\"VIP\"/><customer-group group-id=\"Newsletter\"/></customer-groups>"
            + "<note>Asked for gift wrapping on every order.</note></customer>\n")
    }

    @Test func exportOmitsHashesB2CCommerceCannotTakeAndLocksAreDisabled() throws {
        var c = CustomerRecord()
        c.kind = .registered
        c.email = NormalizedEmail(validating: "z@example.com")
        c.username = "z@example.com"
        c.passwordHash = PasswordHash(recognizing: "$2y$10$abcdefghijklmnopqrstuuOCz1J3GIbV3E0mXDyHXtH5n6q8b3Nom")
        c.status = .locked
        c.notes = [Note(text: "one", createdAt: nil), Note(text: "two", createdAt: nil)]
        guard case let .xml(text) = profile.exportRecord(c) else { Issue.record("not XML"); return }
        #expect(!text.contains("<password"))
        #expect(text.contains("<enabled-flag>false</enabled-flag>"))
        #expect(text.contains("<note>one\n\ntwo</note>"))
        c.kind = .guest
        guard case let .xml(guest) = profile.exportRecord(c) else { Issue.record("not XML"); return }
        #expect(guest == "", "no guest customers in B2C Commerce")
    }

    /// The order and shape of customer.xsd for what the export writes (transcribed: element order,
    /// required attributes, types, lengths), in the platform's namespace.
    static let customerShape: String = {
        let s = "minOccurs=\"0\""
        func strings(_ names: [String]) -> String { names.map { "<xs:element name=\"\($0)\" type=\"xs:string\" \(s)/>" }.joined() }
        return """
            <xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns="\(SFCCProfile.namespace)" targetNamespace="\(SFCCProfile.namespace)" elementFormDefault="qualified">
            <xs:element name="customers"><xs:complexType><xs:sequence><xs:element name="customer" type="Customer" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>
            <xs:complexType name="Customer"><xs:sequence>
             <xs:element name="credentials" \(s)><xs:complexType><xs:sequence>
              <xs:element name="login" type="xs:string"/>
              <xs:element name="password" \(s)><xs:complexType><xs:simpleContent><xs:extension base="xs:string">
               <xs:attribute name="encrypted" type="xs:boolean" use="required"/>
               <xs:attribute name="encryptionScheme"><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value="md5"/><xs:enumeration value="scrypt"/><xs:enumeration value="s0001"/></xs:restriction></xs:simpleType></xs:attribute>
              </xs:extension></xs:simpleContent></xs:complexType></xs:element>
              <xs:element name="enabled-flag" type="xs:boolean" \(s)/>
             </xs:sequence></xs:complexType></xs:element>
             <xs:element name="profile" \(s)><xs:complexType><xs:sequence>
              \(strings(["salutation", "title", "first-name", "second-name", "last-name", "suffix", "company-name", "job-title", "email", "phone-home", "phone-business", "phone-mobile", "fax"]))
              <xs:element name="birthday" type="xs:date" \(s)/><xs:element name="gender" type="xs:string" \(s)/>
              <xs:element name="creation-date" type="xs:dateTime" \(s)/>\(strings(["last-login-time", "last-visit-time"]))
              <xs:element name="preferred-locale" \(s)><xs:simpleType><xs:restriction base="xs:string"><xs:maxLength value="10"/></xs:restriction></xs:simpleType></xs:element>
              <xs:element name="custom-attributes" \(s)><xs:complexType><xs:sequence><xs:element name="custom-attribute" minOccurs="0" maxOccurs="unbounded">
               <xs:complexType mixed="true"><xs:sequence><xs:element name="value" type="xs:string" minOccurs="0" maxOccurs="unbounded"/></xs:sequence>
               <xs:attribute name="attribute-id" type="xs:string" use="required"/></xs:complexType></xs:element></xs:sequence></xs:complexType></xs:element>
             </xs:sequence></xs:complexType></xs:element>
             <xs:element name="addresses" \(s)><xs:complexType><xs:sequence><xs:element name="address" minOccurs="0" maxOccurs="unbounded"><xs:complexType><xs:sequence>
              \(strings(["salutation", "title", "first-name", "second-name", "last-name", "suffix", "company-name", "job-title", "address1", "address2", "suite", "postbox", "city"]))
              <xs:element name="postal-code" \(s)><xs:simpleType><xs:restriction base="xs:string"><xs:maxLength value="10"/></xs:restriction></xs:simpleType></xs:element>
              <xs:element name="state-code" type="xs:string" \(s)/>
              <xs:element name="country-code" \(s)><xs:simpleType><xs:restriction base="xs:string"><xs:minLength value="1"/><xs:maxLength value="2"/></xs:restriction></xs:simpleType></xs:element>
              <xs:element name="phone" type="xs:string" \(s)/>
             </xs:sequence><xs:attribute name="address-id" type="xs:string" use="required"/><xs:attribute name="preferred" type="xs:boolean"/></xs:complexType></xs:element></xs:sequence></xs:complexType></xs:element>
             <xs:element name="customer-groups" \(s)><xs:complexType><xs:sequence><xs:element name="customer-group" minOccurs="0" maxOccurs="unbounded">
              <xs:complexType><xs:attribute name="group-id" type="xs:string" use="required"/></xs:complexType></xs:element></xs:sequence></xs:complexType></xs:element>
             <xs:element name="note" type="xs:string" \(s)/>
            </xs:sequence><xs:attribute name="customer-no" type="xs:string"/></xs:complexType>
            </xs:schema>
            """
    }()

    /// The whole export of the sample's accepted customers, validated as it streams against the
    /// shape of customer.xsd: element order, attributes, namespace, types.
    @Test func exportedDocumentsMatchTheShapeOfCustomerXSD() throws {
        let accepted = try sample().compactMap { $0 }.filter { !$0.hasErrors }
        guard case let .xml(prologue, epilogue) = profile.export else { Issue.record("not XML"); return }
        var text = prologue
        for record in accepted {
            guard case let .xml(one) = profile.exportRecord(record.customer) else { continue }
            text += one
        }
        text += epilogue
        let schemaFile = "/tmp/clientele-sfcc-shape-\(UInt64.random(in: 1...UInt64.max)).xsd"
        #expect(FileManager.default.createFile(atPath: schemaFile, contents: Data(Self.customerShape.utf8)))
        defer { try? FileManager.default.removeItem(atPath: schemaFile) }
        let schema = try XMLSchema(path: schemaFile)
        let reader = try XMLRecordReader(source: ChunkedByteSource(text, name: "export.xml"), layout: SFCCProfile.layout,
                                         options: .init(schema: schema))
        var count = 0
        while let record = try reader.next() {
            count += 1
            #expect(record.defect == nil, "\(record.position.line): \(String(describing: record.defect))")
        }
        #expect(count == accepted.count)
        // The shape is strict: an element out of order fails it.
        let swapped = text.replacingOccurrences(of: "<first-name>Ann</first-name><second-name>Marie</second-name>",
                                                with: "<second-name>Marie</second-name><first-name>Ann</first-name>")
        let strict = try XMLRecordReader(source: ChunkedByteSource(swapped, name: "bad.xml"), layout: SFCCProfile.layout,
                                         options: .init(schema: schema))
        var defects = 0
        while let record = try strict.next() { if record.defect != nil { defects += 1 } }
        #expect(defects == 1)
    }

    /// Every accepted record: exported, read again, mapped again: the same customer, except what
    /// the export cannot carry (the plaintext and s0001 passwords: none written).
    @Test func everyAcceptedRecordRoundTrips() throws {
        let accepted = try sample().compactMap { $0 }.filter { !$0.hasErrors }
        #expect(accepted.count == 10)
        for record in accepted {
            let again = try PlatformSample.reimport(record.customer, profile: profile)
            guard let back = again.first else { Issue.record("nothing re-read for \(record.mapped.sourceID ?? "")"); continue }
            #expect(!back.hasErrors, "\(back.issueList)")
            var expected = PlatformSample.comparable(record.customer)
            if expected.passwordHash.map({ SFCCProfile.scheme($0.algorithm) == nil }) == true { expected.passwordHash = nil }
            #expect(PlatformSample.comparable(back.customer) == expected, "\(record.mapped.sourceID ?? "")")
            #expect(back.customer.ref == record.customer.ref)
        }
    }
}
