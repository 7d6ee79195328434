import ClienteleFormats
@testable import ClienteleModel
import ClienteleTestSupport
import Testing

/// The `spryker` profile on its sample `SampleData/profiles/spryker/customer.csv` (Spryker's
/// data-importer layout): mapped values, rejected rows, the export layout and the round trip.
@Suite struct SprykerProfileTests {
    let profile = SprykerProfile()

    func sample() throws -> [PlatformSample.Mapped] {
        try PlatformSample.mapAll("spryker/customer.csv", profile: profile).compactMap { $0 }
    }

    @Test func theCatalogHasTheProfile() {
        #expect(ProfileCatalog.profile(named: "spryker")?.name == "spryker")
        #expect(profile.input.format == .csv)
        #expect(profile.input.delimiter == UInt8(ascii: ","))
    }

    @Test func everyRowOfTheSampleIsReadWithItsLine() throws {
        let all = try sample()
        #expect(all.count == 15)
        #expect(all.first?.line == 2)
        #expect(all.last?.line == 16)
        #expect(all.map { $0.mapped.sourceID ?? "" }.prefix(3) == ["DE--1", "DE--2", "DE--3"])
        #expect(profile.unknownColumns(CSVColumns(SprykerProfile.table.header + ["fk_locale"])) == ["fk_locale"])
    }

    @Test func aRowMapsToTheCanonicalFields() throws {
        let all = try sample()
        let spencer = try #require(PlatformSample.find(all, "DE--1"))
        #expect(spencer.issueList == [])
        let c = spencer.customer
        #expect(c.kind == .registered)
        #expect(c.email?.value == "spencer.hopkins@example.com")
        #expect(c.username == "spencer.hopkins@example.com")
        #expect(c.passwordHash?.algorithm == .bcrypt)
        #expect(c.passwordHash?.value == "$2y$10$ckLw7RJGAxjFashULfZBfgWTljtJpvdUd6hJk.jlWy0i13SblfDID")
        #expect(c.passwordResetRequired == false)
        #expect(c.status == .active)
        #expect(c.salutation == "Mr")
        #expect(c.firstName == "Spencer")
        #expect(c.lastName == "Hopkins")
        #expect(c.gender == "male")
        #expect(c.dateOfBirth == "1979-03-14")
        #expect(c.locale == "en-US")
        #expect(c.createdAt?.description == "2018-06-20T00:00:00Z")
        #expect(c.addresses.isEmpty)
        #expect(c.sources == [SourceReference(system: "spryker", id: "DE--1", file: "spryker/customer.csv", line: 2)])

        let maggie = try #require(PlatformSample.find(all, "DE--3")).customer
        #expect(maggie.company == "May & Söhne GmbH")
        #expect(maggie.salutation == "Mrs")
        #expect(maggie.gender == "female")
        #expect(maggie.phone == "+4922147110815", "a national number read in the locale's country")
        #expect(maggie.locale == "de-DE")

        let maria = try #require(PlatformSample.find(all, "DE--2")).customer
        #expect(maria.phone == "+14252224573")
        #expect(maria.createdAt?.description == "2018-06-21T00:00:00Z")

        let donald = try #require(PlatformSample.find(all, "DE--10")).customer
        #expect(donald.company == "Huber, Keller & Co")
        #expect(donald.dateOfBirth == "1968-02-29")
    }

    @Test func platformQuirksAreReadAsSprykerMeansThem() throws {
        let all = try sample()
        // No password: an account (Spryker keeps accounts only) that must set a password.
        let henry = try #require(PlatformSample.find(all, "DE--7"))
        #expect(henry.issueList == [])
        #expect(henry.customer.kind == .registered)
        #expect(henry.customer.passwordHash == nil)
        #expect(henry.customer.passwordResetRequired)
        #expect(henry.customer.salutation == "Dr")
        // A legacy MD5 hash is kept but unusable: warning, reset.
        let kim = try #require(PlatformSample.find(all, "AT--9"))
        #expect(kim.issueList == ["password.hash-weak passwordHash"])
        #expect(!kim.hasErrors)
        #expect(kim.customer.passwordHash?.algorithm == .md5)
        #expect(kim.customer.passwordResetRequired)
        #expect(kim.customer.locale == "de-AT")
        #expect(kim.customer.phone == "+43158800")
        // A blank gender and a blank registration date are absent.
        let sonia = try #require(PlatformSample.find(all, "DE--11")).customer
        #expect(sonia.gender == nil)
        let bill = try #require(PlatformSample.find(all, "DE--4"))
        #expect(bill.customer.createdAt == nil)
        // Spryker's demo-data phone style (`495-123-45-67`): read as a German national number.
        #expect(bill.customer.phone == "+494951234567")
        #expect(bill.issueList == [])
        // Mixed-case emails are normalized (the pipeline then finds DE--5 and DE--6 to be one email).
        let alexa5 = try #require(PlatformSample.find(all, "DE--5")).customer
        let alexa6 = try #require(PlatformSample.find(all, "DE--6")).customer
        #expect(alexa5.email == alexa6.email)
        #expect(alexa5.email?.value == "alexa.simons@example.de")
    }

    @Test func badRowsAreRejectedWithTheirReason() throws {
        let all = try sample()
        let rejected = all.filter(\.hasErrors)
        #expect(rejected.map { $0.mapped.sourceID ?? "" } == ["DE--8", "DE--12", "DE--13"])
        #expect(try #require(PlatformSample.find(all, "DE--8")).issueList == ["date.invalid dateOfBirth"])
        #expect(try #require(PlatformSample.find(all, "DE--8")).draft.issues.first?.message
            == "date_of_birth: '12.05.1985' is not a date in the form yyyy-MM-dd")
        #expect(try #require(PlatformSample.find(all, "DE--12")).issueList == ["locale.invalid locale"])
        #expect(try #require(PlatformSample.find(all, "DE--13")).issueList == ["email.invalid email"])
    }

    @Test func exportWritesSprykersColumns() throws {
        guard case let .csv(header, delimiter) = profile.export else { Issue.record("not CSV"); return }
        #expect(header == ["customer_reference", "locale_name", "phone", "email", "salutation", "first_name", "last_name",
                           "company", "gender", "date_of_birth", "password", "registered"])
        #expect(delimiter == UInt8(ascii: ","))
        let maggie = try #require(PlatformSample.find(try sample(), "DE--3")).customer
        guard case let .rows(rows) = profile.exportRecord(maggie) else { Issue.record("not rows"); return }
        #expect(rows == [["DE--3", "de_DE", "+4922147110815", "maggie.may@example.de", "Mrs", "Maggie", "May", "May & Söhne GmbH",
                          "Female", "1985-11-02", "$2y$10$TssjK2Y0YMFFFTRD8dnCNjyX7Xc2y8Caz2d0Z9WCCeedYbzfQnEmM", "2019-01-07"]])
    }

    @Test func guestsAreNotExported() {
        var guest = CustomerRecord()
        guest.kind = .guest
        guest.email = NormalizedEmail(validating: "g@example.com")
        guard case let .rows(rows) = profile.exportRecord(guest) else { Issue.record("not rows"); return }
        #expect(rows.isEmpty)
    }

    @Test func aCustomerFromElsewhereGetsItsRefAsReference() {
        var c = CustomerRecord()
        c.kind = .registered
        c.ref = CustomerRefKey.builtIn.ref(system: "shopify", sourceID: "42")
        c.email = NormalizedEmail(validating: "x@example.com")
        guard case let .rows(rows) = profile.exportRecord(c) else { Issue.record("not rows"); return }
        #expect(rows.first?.first == c.ref?.value)
        #expect(rows.first?[10] == "", "no hash: empty password")
    }

    /// Every accepted row: exported, read again, mapped again: the same customer.
    @Test func everyAcceptedRowRoundTrips() throws {
        let accepted = try sample().filter { !$0.hasErrors }
        #expect(accepted.count == 12)
        for record in accepted {
            let again = try PlatformSample.reimport(record.customer, profile: profile)
            #expect(again.count == 1)
            guard let back = again.first else { continue }
            #expect(!back.hasErrors, "\(back.issueList)")
            #expect(back.mapped.sourceID == record.mapped.sourceID)
            #expect(back.customer.ref == record.customer.ref, "same system and id: same ref")
            #expect(PlatformSample.comparable(back.customer) == PlatformSample.comparable(record.customer),
                    "\(record.mapped.sourceID ?? "")")
        }
    }
}
