import ClienteleFormats
@testable import ClienteleModel
import ClienteleTestSupport
import Testing

/// The `commercetools` profile on `SampleData/profiles/commercetools/customers.json` (CustomerImport
/// resources): mapped values, passwords, Custom Fields, rejected records, the export layout and
/// the round trip.
@Suite struct CommercetoolsProfileTests {
    let profile = CommercetoolsProfile()

    func sample() throws -> [PlatformSample.Mapped] {
        try PlatformSample.mapAll("commercetools/customers.json", profile: profile).compactMap { $0 }
    }

    @Test func theCatalogHasTheProfileAndTheSampleIsRead() throws {
        #expect(ProfileCatalog.profile(named: "commercetools")?.name == "commercetools")
        #expect(profile.input.format == .json)
        let all = try sample()
        #expect(all.count == 12)
        #expect(all.first?.line == 2)
    }

    @Test func aCustomerImportMapsWithItsAddressesAndDefaults() throws {
        let anna = try #require(PlatformSample.find(try sample(), "cust-1001"))
        #expect(anna.issueList == ["password.plaintext-dropped password"])
        let c = anna.customer
        #expect(c.kind == .registered)
        #expect(c.email?.value == "anna.schmidt@example.de")
        #expect(c.username == "anna.schmidt@example.de")
        #expect(c.passwordHash == nil)
        #expect(c.passwordResetRequired)
        #expect(c.salutation == "Frau")
        #expect(c.dateOfBirth == "1986-05-17")
        #expect(c.groups == ["vip"])
        #expect(c.sites == ["de-store", "at-store"])
        #expect(c.locale == "de-DE")
        #expect(c.attributes == ["customerNumber": "1001"])
        #expect(c.addresses.count == 2)
        let home = c.addresses[0]
        #expect(home.street1 == "Hauptstraße 12a", "streetName and streetNumber")
        #expect(home.city == "München")
        #expect(home.region == "Bayern")
        #expect(home.country == "DE")
        #expect(home.phone == "+49891234567")
        #expect(home.defaultShipping && !home.defaultBilling)
        let office = c.addresses[1]
        #expect(office.company == "Schmidt & Söhne GmbH")
        #expect(office.street1 == "Leopoldstraße 200")
        #expect(office.street2 == "3. OG")
        #expect(office.defaultBilling && !office.defaultShipping)
    }

    @Test func legacyHashesTravelInCustomFieldsAndThePlaceholderPasswordIsIgnored() throws {
        let all = try sample()
        let ben = try #require(PlatformSample.find(all, "cust-1002"))
        #expect(ben.issueList == [], "the placeholder password beside a legacy hash is not a dropped password")
        #expect(ben.customer.passwordHash?.algorithm == .bcrypt)
        #expect(ben.customer.passwordResetRequired == false)
        #expect(ben.customer.attributes == ["customerNumber": "1002", "loyaltyTier": "silver"])
        let dmitri = try #require(PlatformSample.find(all, "cust-1004"))
        #expect(dmitri.issueList == [])
        #expect(dmitri.customer.passwordHash?.algorithm == .magento2Sha256)
        #expect(dmitri.customer.middleName == "Ivanovich")
        #expect(dmitri.customer.company == "Volkov Trading OÜ")
        #expect(dmitri.customer.taxVat == "EE101234567")
        #expect(dmitri.customer.attributes == ["customerNumber": "M2-884", "title": "Dr.", "externalId": "magento-884"])
        let isla = try #require(PlatformSample.find(all, "cust-1010")).customer
        #expect(isla.passwordHash?.algorithm == .argon2)
        #expect(isla.status == .locked)
    }

    @Test func accountsWithoutPasswordAndStatusesAreRegistered() throws {
        let all = try sample()
        let carla = try #require(PlatformSample.find(all, "cust-1003"))
        #expect(carla.issueList == [])
        #expect(carla.customer.kind == .registered)
        #expect(carla.customer.status == .disabled)
        #expect(carla.customer.passwordResetRequired)
        #expect(carla.customer.addresses.first?.region == "RM", "region when there is no state")
        #expect(carla.customer.addresses.first?.phone == "+393123456789", "mobile when there is no phone")
        #expect(carla.customer.addresses.first.map { $0.defaultBilling && $0.defaultShipping } == true)
        let kim = try #require(PlatformSample.find(all, "cust-1012")).customer
        #expect(kim.kind == .registered)
        #expect(kim.locale == "ko-KR")
        #expect(kim.addresses.first.map { !$0.defaultBilling && !$0.defaultShipping } == true)
        #expect(try #require(PlatformSample.find(all, "cust-1009")).customer.addresses.first?.country == "FR", "lowercase country")
    }

    @Test func customFieldsBecomeAttributesAndNonTextOnesAreReported() throws {
        let gina = try #require(PlatformSample.find(try sample(), "cust-1008"))
        #expect(gina.issueList == ["field.unknown attributes.storeCreditBalance", "password.plaintext-dropped password"])
        #expect(!gina.hasErrors)
        #expect(gina.customer.attributes == ["loyaltyTier": "bronze", "newsletterTopics": "sale,new-arrivals", "referralCount": "3"])
        #expect(gina.customer.addresses.first?.street1 == "Mission St 2100")
    }

    @Test func badRecordsAreRejectedWithTheirReason() throws {
        let all = try sample()
        #expect(all.filter(\.hasErrors).map { $0.mapped.sourceID ?? "" } == ["cust-1006", "cust-1007"])
        #expect(try #require(PlatformSample.find(all, "cust-1006")).issueList == ["date.invalid dateOfBirth", "password.plaintext-dropped password"])
        let finn = try #require(PlatformSample.find(all, "cust-1007"))
        #expect(finn.issueList == ["record.malformed addresses", "password.plaintext-dropped password"])
        #expect(finn.draft.issues.first?.message == "defaultBillingAddress: '3' is not an index into the 1 addresses")
    }

    @Test func exportWritesACustomerImportWithoutPasswordAndWithCustomFields() throws {
        #expect(profile.export.isJSONArray)
        let ben = try #require(PlatformSample.find(try sample(), "cust-1002")).customer
        #expect(PlatformSample.exportedText(ben, profile: profile) == #"{"key":"cust-1002","customerNumber":"1002","email":"ben.carter@example.com","firstName":"Ben","lastName":"Carter","addresses":[],"locale":"en-US","authenticationMode":"ExternalAuth","custom":{"type":{"typeId":"type","key":"clientele-customer"},"fields":{"legacyPasswordHash":"$2y$10$Vq3M1pWdqk2yT0nB7cRzUe9tHf4LmXs8JpA6oKwQ2eYbN1vGiC3aS","legacyPasswordAlgorithm":"bcrypt","isPasswordMigrated":false,"loyaltyTier":"silver"}}}"#)
        let anna = try #require(PlatformSample.find(try sample(), "cust-1001")).customer
        guard case let .json(value) = profile.exportRecord(anna) else { Issue.record("not JSON"); return }
        #expect(value["password"] == nil)
        #expect(value["customerGroup"] == .object([JSONMember("typeId", .string("customer-group")), JSONMember("key", .string("vip"))]))
        #expect(value["stores"]?.arrayCount == 2)
        #expect(value["defaultShippingAddress"] == .number("0"))
        #expect(value["defaultBillingAddress"] == .number("1"))
        #expect(value["addresses"]?.firstItem?["key"] == .string("address-1"))
        #expect(value["addresses"]?.firstItem?["streetName"] == .string("Hauptstraße 12a"))
        #expect(value["addresses"]?.firstItem?["state"] == .string("Bayern"))
        #expect(value["custom"] == nil, "nothing for Custom Fields")
    }

    @Test func guestsAreNotExported() {
        var guest = CustomerRecord()
        guest.kind = .guest
        guard case let .json(value) = profile.exportRecord(guest) else { Issue.record("not JSON"); return }
        #expect(value == .null)
    }

    /// Every accepted record: exported, read again, mapped again: the same customer, except the
    /// plaintext password (dropped on the first read; the export carries none).
    @Test func everyAcceptedRecordRoundTrips() throws {
        let accepted = try sample().filter { !$0.hasErrors }
        #expect(accepted.count == 10)
        for record in accepted {
            let again = try PlatformSample.reimport(record.customer, profile: profile)
            #expect(again.count == 1)
            guard let back = again.first else { continue }
            #expect(!back.hasErrors, "\(back.issueList)")
            #expect(PlatformSample.comparable(back.customer) == PlatformSample.comparable(record.customer),
                    "\(record.mapped.sourceID ?? "")")
            #expect(back.customer.ref == record.customer.ref)
        }
    }
}

fileprivate extension ProfileExport {
    var isJSONArray: Bool { if case .jsonArray = self { return true } else { return false } }
}

fileprivate extension JSONValue {
    var arrayCount: Int? { if case let .array(items) = self { return items.count } else { return nil } }
    var firstItem: JSONValue? { if case let .array(items) = self { return items.first } else { return nil } }
}
