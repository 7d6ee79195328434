import ClienteleFormats
@testable import ClienteleModel
import ClienteleTestSupport
import Testing

@Suite struct Magento2ProfileTests {
    static let profile = Magento2Profile()

    static func composite() throws -> CSVProfileSample {
        try CSVProfileSample("magento2/customer_composite.csv", profile: profile)
    }

    static func main() throws -> CSVProfileSample {
        try CSVProfileSample("magento2/customer_main.csv", profile: profile)
    }

    @Test func addressRowsBelongToTheCustomerAbove() throws {
        let sample = try Self.composite()
        #expect(sample.records.count == 10)
        #expect(sample.records.map(\.group.rows.count) == [2, 1, 1, 1, 1, 3, 1, 1, 2, 1])
        #expect(sample.records.map(\.line) == [2, 4, 6, 7, 8, 9, 13, 14, 15, 17])  // quoted streets span two lines
        let columns = CSVColumns(sample.header)
        let addressOnly = CSVRow(columns: columns, fields: sample.records[0].group.rows[1])
        #expect(!Self.profile.startsRecord(addressOnly))
        var repeated = sample.records[0].group.rows[1]
        repeated[1] = "base"  // _website and _store repeated on the address row
        repeated[2] = "default"
        #expect(!Self.profile.startsRecord(CSVRow(columns: columns, fields: repeated)))
        repeated[8] = "Olivia"  // a customer column: a customer (without an email), not an address
        #expect(Self.profile.startsRecord(CSVRow(columns: columns, fields: repeated)))
        // In the main file (no _address_ columns) every row is a customer, even a blank-looking one.
        let main = CSVColumns(Magento2Profile.customerColumns)
        #expect(Self.profile.startsRecord(CSVRow(columns: main, fields: Array(repeating: "", count: main.names.count))))
        #expect(Self.profile.unknownColumns(columns).isEmpty)
        #expect(Self.profile.unknownColumns(CSVColumns(["email", "_website", "loyalty_tier", "updated_at"])) == ["loyalty_tier"])
    }

    @Test func readsTheCompositeSample() throws {
        let sample = try Self.composite()
        let anthony = sample.record("base/anthony.nealy@example.com")
        #expect(anthony.issueList.isEmpty)
        let a = anthony.customer
        #expect(a.kind == .registered && a.status == .active)
        #expect(a.email?.value == "anthony.nealy@example.com" && a.username == "anthony.nealy@example.com")
        #expect(a.passwordHash?.algorithm == .magento2Sha256 && !a.passwordResetRequired)
        #expect(a.createdAt?.description == "2012-05-06T15:53:00Z")  // 5/6/2012 15:53 is m/d/Y
        #expect(a.dateOfBirth == "1976-03-04")
        #expect(a.gender == "male" && a.salutation == "Mr." && a.middleName == "A.")
        #expect(a.groups == ["General"] && a.sites == ["base"] && a.attributes == ["store": "default"])
        #expect(a.addresses.count == 2)
        #expect(a.addresses[0].city == "Fayetteville" && a.addresses[0].region == "Arkansas" && a.addresses[0].postalCode == "72701")
        #expect(a.addresses[0].phone == "+14798999849" && a.addresses[0].defaultBilling && a.addresses[0].defaultShipping)
        #expect(a.addresses[1].city == "Irvine" && a.addresses[1].street1 == "4709 Pleasant Hill Road")
        #expect(!a.addresses[1].defaultBilling && !a.addresses[1].defaultShipping)

        let lori = sample.record("base/lori.banks@example.com")
        #expect(lori.issueList == ["password.hash-weak passwordHash"])  // hash:salt without a version
        #expect(lori.customer.passwordHash?.algorithm == .unknown && lori.customer.passwordResetRequired)
        #expect(lori.customer.createdAt?.description == "2012-05-06T15:59:00Z")  // the stored form
        #expect(lori.customer.dateOfBirth == "1980-11-23")
        #expect(lori.customer.groups == ["Wholesale"] && lori.customer.taxVat == "US-123456789")
        #expect(lori.customer.addresses.first?.street1 == "2573 Goodwin Avenue")
        #expect(lori.customer.addresses.first?.street2 == "Apartment 4")
        #expect(lori.customer.addresses.first?.company == "Banks & Daughters LLC")

        let betsy = sample.record("eu/betsy.parker@example.de").customer
        #expect(betsy.createdAt?.description == "2012-05-06T16:13:00Z")  // the 2.4.8 export's medium form
        #expect(betsy.gender == "unspecified" && betsy.groups == ["Retailer"] && betsy.salutation == "Dr.")
        #expect(betsy.attributes == ["nameSuffix": "PhD", "store": "de"] && betsy.sites == ["eu"])
        #expect(betsy.dateOfBirth == nil && betsy.taxVat == "DE811907980")
        #expect(betsy.addresses.first?.phone == "+49891234567" && betsy.addresses.first?.city == "München")

        // The same email on a second website is a second registered account: reconciliation rejects it.
        let twin = sample.record("eu/anthony.nealy@example.com").customer
        #expect(twin.email == a.email && twin.kind == .registered)
        #expect(twin.createdAt?.description == "2015-12-31T09:00:00Z")

        let kelly = sample.record("base/kelly.nilson@example.com")
        #expect(kelly.issueList == ["password.plaintext-dropped password"])
        #expect(kelly.customer.passwordHash == nil && kelly.customer.passwordResetRequired)
        #expect(kelly.customer.groups == ["7"] && kelly.customer.addresses.isEmpty)
        #expect(kelly.customer.createdAt?.description == "2018-06-15T08:30:12Z")

        let mia = sample.record("base/mia.wong@example.co.uk").customer
        #expect(mia.addresses.map(\.city) == ["London", "Manchester", "Edinburgh"])
        #expect(mia.addresses.map(\.defaultBilling) == [false, true, false])
        #expect(mia.addresses[1].street1 == "Unit 5" && mia.addresses[1].street2 == "Northern Quarter")
        #expect(mia.addresses[0].phone == "+442079460958" && mia.addresses[2].firstName == "Li")

        let quinn = sample.record("base/quinn.adams@example.com").customer
        #expect(quinn.groups == ["NOT LOGGED IN"] && quinn.dateOfBirth == "2000-02-29" && quinn.gender == nil)
    }

    @Test func rejectsTheBadRecordsWithTheirReasons() throws {
        let sample = try Self.composite()
        let bad = sample.records.filter { $0.mapped.hasErrors }.map { ($0.line, $0.mapped.errors.map { "\($0.code.rawValue) \($0.field)" }) }
        #expect(bad.map(\.0) == [13, 14, 15])
        #expect(bad.map(\.1) == [
            ["date.invalid dateOfBirth"],
            ["required id", "required email"],
            ["country.invalid addresses.0.country"],
        ])
        let noah = sample.records.first { $0.line == 13 }!.mapped.errors[0]
        #expect(noah.message.contains("dob") && noah.message.contains("31/12/1985"))
    }

    @Test func theMainFileGivesTheSameAccountsWithoutAddresses() throws {
        let main = try Self.main()
        let composite = try Self.composite()
        #expect(main.records.count == 5)
        #expect(main.records.allSatisfy { $0.group.rows.count == 1 && !$0.mapped.hasErrors })
        for r in main.records {
            var full = composite.record(r.mapped.sourceID!).customer
            full.addresses = []
            full.sources = r.customer.sources
            #expect(r.customer == full, "\(r.mapped.sourceID!)")
        }
    }

    @Test func writesTheCompositeLayout() throws {
        let sample = try Self.composite()
        guard case let .csv(header, _) = Self.profile.export else { Issue.record("not CSV"); return }
        #expect(header == Magento2Profile.customerColumns + Magento2Profile.addressColumns)
        let rows = CSVProfileSample.exportRows(sample.record("base/anthony.nealy@example.com").customer, profile: Self.profile)
        #expect(rows.count == 2)
        #expect(rows.column("email", in: header) == ["anthony.nealy@example.com", ""])
        #expect(rows.column("_website", in: header) == ["base", ""])
        #expect(rows.column("created_at", in: header) == ["5/6/2012 15:53:00", ""])
        #expect(rows.column("dob", in: header) == ["3/4/1976", ""])
        #expect(rows.column("gender", in: header) == ["Male", ""])
        #expect(rows.column("group_id", in: header) == ["1", ""])
        #expect(rows.column("password_hash", in: header)[0].hasSuffix(":1"))
        #expect(rows.column("_address_city", in: header) == ["Fayetteville", "Irvine"])
        #expect(rows.column("_address_default_billing_", in: header) == ["1", ""])
        // The second row's customer columns are blank: Magento's mark of an extra address.
        #expect(rows[1].prefix(Magento2Profile.customerColumns.count).allSatisfy { $0.isEmpty })

        let lori = CSVProfileSample.exportRows(sample.record("base/lori.banks@example.com").customer, profile: Self.profile)
        #expect(lori.column("_address_street", in: header) == ["2573 Goodwin Avenue\nApartment 4"])
        #expect(lori.column("password_hash", in: header) == ["7e3db624b5e0ba235a2ffa3719eaf960bda3856961ca329dbd6119a564ef39c9:RF"])
        let twin = CSVProfileSample.exportRows(sample.record("eu/anthony.nealy@example.com").customer, profile: Self.profile)
        #expect(twin.column("created_at", in: header) == ["12/31/2015 09:00:00"] && twin.column("_website", in: header) == ["eu"])
        let betsy = CSVProfileSample.exportRows(sample.record("eu/betsy.parker@example.de").customer, profile: Self.profile)
        #expect(betsy.column("gender", in: header) == ["Not Specified"])
        #expect(betsy.column("_store", in: header) == ["de"])
        #expect(betsy.column("suffix", in: header) == ["PhD"])
        #expect(betsy.column("group_id", in: header) == ["3"])
    }

    @Test func exportWritesOnlyWhatMagentoCanTake() {
        let m = mapJSON(#"""
        {"id":"x","kind":"registered","email":"ann@example.com","passwordHash":"$2y$10$abcdefghijklmnopqrstuuOCz1J3GIbV3E0mXDyHXtH5n6q8b3Nom",
         "gender":"diverse","groups":["VIP","wholesale","12"]}
        """#)
        let header = Magento2Profile.customerColumns + Magento2Profile.addressColumns
        let rows = CSVProfileSample.exportRows(m.customer, profile: Self.profile)
        #expect(rows.count == 1)
        #expect(rows.column("password_hash", in: header) == [""])  // bcrypt: Magento could not check it
        #expect(rows.column("gender", in: header) == [""])  // no such option
        #expect(rows.column("group_id", in: header) == ["2"])  // the first group it can name by id
        #expect(rows.column("_website", in: header) == ["base"] && rows.column("_store", in: header) == ["default"])
    }

    @Test func roundTripKeepsEveryFieldMagentoCarries() throws {
        let sample = try Self.composite()
        let customers = sample.clean.map(\.customer)
        #expect(customers.count == 7)
        let again = try CSVProfileSample.roundTrip(customers, profile: Self.profile)
        #expect(again.count == customers.count)
        for (a, b) in zip(customers, again) { #expect(a == b) }
    }

    @Test(arguments: [
        ("May 6, 2012, 4:13:00\u{202F}PM", "2012-05-06T16:13:00Z"),
        ("Jan 31, 2020, 12:05:09 AM", "2020-01-31T00:05:09Z"),
        ("Dec 1, 1999, 12:00:00 PM", "1999-12-01T12:00:00Z"),
    ])
    func readsTheMediumEnglishForm(text: String, expected: String) {
        #expect(Magento2Profile.mediumEnglish(text) == expected)
    }

    @Test(arguments: ["Feb 30, 2012, 1:00:00 PM", "May 6, 2012, 13:00:00 PM", "6 May 2012 15:00", "May 6, 12, 1:00:00 PM"])
    func refusesWhatIsNotTheMediumForm(text: String) {
        #expect(Magento2Profile.mediumEnglish(text) == nil)
    }

    @Test func isInTheCatalog() {
        #expect(ProfileCatalog.profile(named: "magento2") is Magento2Profile)
    }
}
