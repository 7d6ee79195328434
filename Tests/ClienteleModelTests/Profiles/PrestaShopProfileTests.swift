import ClienteleFormats
@testable import ClienteleModel
import ClienteleTestSupport
import Testing

@Suite struct PrestaShopProfileTests {
    static let profile = PrestaShopProfile()

    static func sample() throws -> CSVProfileSample {
        try CSVProfileSample("prestashop/customers_import.csv", profile: profile)
    }

    @Test func readsTheSample() throws {
        let sample = try Self.sample()
        #expect(sample.records.count == 11)
        #expect(sample.header == PrestaShopProfile.header)  // read with ';'
        #expect(Self.profile.unknownColumns(CSVColumns(sample.header)).isEmpty)

        let pierre = sample.record("1")
        #expect(pierre.issueList == ["password.plaintext-dropped password"])  // the import file's passwords are plaintext
        let p = pierre.customer
        #expect(p.kind == .registered && p.status == .active && p.passwordHash == nil && p.passwordResetRequired)
        #expect(p.salutation == "Mr" && p.gender == "male")
        #expect(p.email?.value == "pierre.martin@example.fr" && p.firstName == "Pierre" && p.lastName == "Martin")
        #expect(p.dateOfBirth == "1987-04-02" && p.createdAt?.description == "2015-01-10T00:00:00Z")
        #expect(p.acceptsMarketing == true && p.attributes == ["defaultGroupId": "3", "partnerOffers": "false"])
        #expect(p.groups == ["Customer"])

        let camille = sample.record("2")
        #expect(camille.issueList.isEmpty)  // a bcrypt hash in the password column is kept as the hash
        #expect(camille.customer.passwordHash?.algorithm == .bcrypt && !camille.customer.passwordResetRequired)
        #expect(camille.customer.salutation == "Ms" && camille.customer.gender == "female")
        #expect(camille.customer.createdAt?.description == "2014-05-12T09:41:27Z")
        #expect(camille.customer.groups == ["Customer", "VIP"])

        let lucas = sample.record("3").customer
        #expect(lucas.status == .disabled && lucas.dateOfBirth == nil)  // 0000-00-00 is no date
        #expect(lucas.kind == .registered && lucas.passwordResetRequired && lucas.acceptsMarketing == false)

        let sam = sample.record("4").customer
        #expect(sam.salutation == nil && sam.gender == nil)
        #expect(sam.groups == ["Customer", "Grossistes"] && sam.attributes["partnerOffers"] == "true")

        #expect(sample.record("10").customer.groups == ["Customer", "Revendeurs", "Espagne"])
        let manon = sample.record("manon.roux@example.fr")  // no Customer ID yet: the email is the id
        #expect(manon.customer.email?.value == "manon.roux@example.fr" && !manon.mapped.hasErrors)
        // Pierre's second account (6) has his email: reconciliation rejects it as a duplicate.
        #expect(sample.record("6").customer.email == p.email)
    }

    @Test func rejectsTheBadRecordsWithTheirReasons() throws {
        let sample = try Self.sample()
        var errors: [String: [String]] = [:]
        for r in sample.records where r.mapped.hasErrors { errors[r.mapped.sourceID ?? "?"] = r.mapped.errors.map { "\($0.code.rawValue) \($0.field)" } }
        #expect(errors == [
            "7": ["date.invalid dateOfBirth"],
            "8": ["boolean.invalid acceptsMarketing"],
            "9": ["email.invalid email"],
        ])
        #expect(sample.record("7").mapped.errors[0].message.contains("Birthday (yyyy-mm-dd)"))
    }

    @Test func writesTheImportLayout() throws {
        let sample = try Self.sample()
        guard case let .csv(header, delimiter) = Self.profile.export else { Issue.record("not CSV"); return }
        #expect(header == PrestaShopProfile.header && delimiter == UInt8(ascii: ";"))
        #expect(CSVProfileSample.exportRows(sample.record("1").customer, profile: Self.profile) == [[
            "1", "1", "1", "pierre.martin@example.fr", "", "1987-04-02", "Martin", "Pierre", "1", "0", "2015-01-10", "Customer", "3",
        ]])
        #expect(CSVProfileSample.exportRows(sample.record("2").customer, profile: Self.profile) == [[
            "2", "1", "2", "camille.bernard@example.fr", "", "1989-11-12", "Bernard", "Camille", "1", "1", "2014-05-12 09:41:27",
            "Customer,VIP", "3",
        ]])
        let lucas = CSVProfileSample.exportRows(sample.record("3").customer, profile: Self.profile)
        #expect(lucas.column("Active (0/1)", in: header) == ["0"] && lucas.column("Birthday (yyyy-mm-dd)", in: header) == [""])
        // Known by its email, or from elsewhere: no Customer ID, PrestaShop numbers it (and reading back takes the email).
        let manon = CSVProfileSample.exportRows(sample.record("manon.roux@example.fr").customer, profile: Self.profile)
        #expect(manon.column("Customer ID", in: header) == [""])
        var foreign = sample.record("10").customer
        foreign.sources = [SourceReference(system: "shopify", id: "7210448301101", file: "s.csv", line: 2)]
        #expect(CSVProfileSample.exportRows(foreign, profile: Self.profile).column("Customer ID", in: header) == [""])
        let text = String(decoding: CSVProfileSample.exportText([sample.record("2").customer], profile: Self.profile), as: UTF8.self)
        #expect(text.hasPrefix("Customer ID;Active (0/1);Titles ID (Mr = 1, Ms = 2, else 0);Email *;"))
    }

    @Test func roundTripKeepsEveryFieldPrestaShopCarries() throws {
        let sample = try Self.sample()
        let customers = sample.clean.map(\.customer)
        #expect(customers.count == 8)
        let again = try CSVProfileSample.roundTrip(customers, profile: Self.profile)
        #expect(again.count == customers.count)
        for (a, b) in zip(customers, again) {
            // The password column takes plaintext only: a hash cannot go back (the shop would hash it again).
            var expected = a
            if expected.passwordHash != nil {
                expected.passwordHash = nil
                expected.passwordResetRequired = true
            }
            #expect(b == expected)
        }
    }

    @Test func readsTheNewerLabels() {
        let header = ["ID", "Active  (0/1)", "Titles ID (Mr = 1, Ms = 2, else 0)", "Email*", "Password*", "Birth date (yyyy-mm-dd)",
                      "Last name*", "First name*", "Newsletter (0/1)", "Partner offers (0/1)", "Registration date (yyyy-mm-dd)",
                      "Groups (x,y,z...)", "Default group ID", "ID / Name of shop"]
        let row = ["42", "1", "2", "eve@example.com", "", "1999-09-09", "Adams", "Eve", "0", "1", "2020-01-01", "Customer", "3", "1,2"]
        let m = CSVProfileSample.map(CSVRowGroup(columns: CSVColumns(header), rows: [row]), profile: Self.profile, file: "t.csv", line: 2)
        #expect(!m.hasErrors, "\(m.issueList)")
        #expect(m.sourceID == "42" && m.customer.dateOfBirth == "1999-09-09" && m.customer.lastName == "Adams")
        #expect(m.customer.attributes["partnerOffers"] == "true" && m.customer.sites == ["1", "2"])
        #expect(Self.profile.unknownColumns(CSVColumns(header + ["Note"])) == ["Note"])
    }

    @Test func titlesAndActivityOutsideTheirValuesAreErrors() {
        let header = PrestaShopProfile.header
        var row = ["1", "yes", "3", "a@example.com", "", "", "A", "B", "", "", "", "", ""]
        let m = CSVProfileSample.map(CSVRowGroup(columns: CSVColumns(header), rows: [row]), profile: Self.profile, file: "t.csv", line: 2)
        #expect(m.issueList == ["boolean.invalid status", "record.malformed salutation"])
        row[1] = "1"
        row[2] = "1"
        row[10] = "2020-13-01"
        let bad = CSVProfileSample.map(CSVRowGroup(columns: CSVColumns(header), rows: [row]), profile: Self.profile, file: "t.csv", line: 2)
        #expect(bad.issueList == ["date.invalid createdAt"])
    }

    @Test func isInTheCatalog() {
        #expect(ProfileCatalog.profile(named: "prestashop") is PrestaShopProfile)
    }
}
