import ClienteleFormats
@testable import ClienteleModel
import ClienteleTestSupport
import Testing

/// The `kibo` profile on `SampleData/profiles/kibo/customers.csv` (REST property columns,
/// numbered contacts): mapped values, quirks, rejected rows, the export layout and the round trip.
@Suite struct KiboProfileTests {
    let profile = KiboProfile()

    func sample() throws -> [PlatformSample.Mapped] {
        try PlatformSample.mapAll("kibo/customers.csv", profile: profile).compactMap { $0 }
    }

    @Test func theCatalogHasTheProfileAndTheSampleIsRead() throws {
        #expect(ProfileCatalog.profile(named: "kibo")?.name == "kibo")
        let all = try sample()
        #expect(all.count == 14)
        #expect(all.map(\.line) == Array(2...15))
        #expect(profile.unknownColumns(CSVColumns(["id", "contacts.4.address.cityOrTown", "notes.3.content", "contacts.0.fax",
                                                   "wishlistCount"])) == ["contacts.0.fax", "wishlistCount"])
    }

    @Test func aRegisteredShopperMapsWithContactsSummaryAndAttributes() throws {
        let ann = try #require(PlatformSample.find(try sample(), "1001"))
        #expect(ann.issueList == [])
        let c = ann.customer
        #expect(c.kind == .registered)
        #expect(c.username == "ann.lee@example.com")
        #expect(c.passwordHash == nil)
        #expect(c.passwordResetRequired, "Kibo never exports password hashes")
        #expect(c.status == .active)
        #expect(c.firstName == "Ann")
        #expect(c.acceptsMarketing == true)
        #expect(c.locale == "en-US")
        #expect(c.sites == ["default"])
        #expect(c.groups == ["VIP", "Newsletter"])
        #expect(c.createdAt?.description == "2019-03-14T17:02:11.123Z")
        #expect(c.updatedAt?.description == "2024-02-01T08:15:00Z")
        #expect(c.orders?.count == 12)
        #expect(c.orders?.totals.map { "\($0.currency) \($0.amount)" } == ["USD 1534.20"])
        #expect(c.orders?.lastOrderAt?.description == "2024-01-28T19:44:03Z")
        #expect(c.attributes == ["tenant~loyalty-tier": "gold", "tenant~birth-month": "04", "taxExempt": "false"])
        #expect(c.notes.map(\.text) == ["Called about a late parcel; refunded shipping."])
        #expect(c.addresses.count == 2)
        let home = c.addresses[0]
        #expect(home.street1 == "500 Congress Ave")
        #expect(home.street2 == "Suite 300")
        #expect(home.city == "Austin")
        #expect(home.region == "TX")
        #expect(home.postalCode == "78701")
        #expect(home.country == "US")
        #expect(home.phone == "+15125550134", "the home number")
        #expect(home.defaultBilling && !home.defaultShipping, "Shipping with isPrimary false is no default")
        #expect(c.addresses[1].city == "Chicago")
        #expect(c.addresses[1].defaultShipping && !c.addresses[1].defaultBilling)
        #expect(c.phone == "+15125550199", "the mobile number of the default billing contact")
    }

    @Test func statusesKindsAndFlagsFollowKibosProperties() throws {
        let all = try sample()
        let bruce = try #require(PlatformSample.find(all, "1002")).customer
        #expect(bruce.status == .locked)
        #expect(bruce.username == "bwayne")
        #expect(bruce.company == "Wayne Enterprises")
        #expect(bruce.acceptsMarketing == false)
        #expect(bruce.addresses.first?.phone == "+12015550142", "the work number when there is no home number")
        #expect(bruce.addresses.first.map { $0.defaultBilling && $0.defaultShipping } == true)
        #expect(try #require(PlatformSample.find(all, "1003")).customer.status == .disabled, "isActive False, any case")
        // Guests: isAnonymous; the two with one email are folded by the pipeline.
        let gus1 = try #require(PlatformSample.find(all, "1004")).customer
        let gus2 = try #require(PlatformSample.find(all, "1005")).customer
        #expect(gus1.kind == .guest && gus2.kind == .guest)
        #expect(gus1.email == gus2.email)
        #expect(gus1.status == nil && gus1.username == nil)
        #expect(gus2.orders?.totals.first?.amount.description == "120.00")
        let walkIn = try #require(PlatformSample.find(all, "1006")).customer
        #expect(walkIn.kind == .guest)
        #expect(walkIn.orders?.totals.map { "\($0.currency) \($0.amount)" } == ["CAD 15.00"])
        #expect(walkIn.orders?.lastOrderAt == nil)
        // Not anonymous and no user name: a registered shopper whose user name is the email.
        let grace = try #require(PlatformSample.find(all, "1013")).customer
        #expect(grace.kind == .registered)
        #expect(grace.username == "grace.hopper@example.com")
        #expect(try #require(PlatformSample.find(all, "1011")).customer.acceptsMarketing == true, "TRUE, any case")
    }

    @Test func b2bAccountsKeepTaxFieldsAndJoinExtraStreetLines() throws {
        let nora = try #require(PlatformSample.find(try sample(), "1009")).customer
        #expect(nora.taxVat == "CA123456789RT0001")
        #expect(nora.attributes["taxExempt"] == "true")
        #expect(nora.attributes["externalId"] == "ERP-55531")
        #expect(nora.groups == ["B2B", "Wholesale"])
        #expect(nora.locale == "fr-CA")
        #expect(nora.notes.first?.text == "Net-30 terms approved by finance.")
        let a = try #require(nora.addresses.first)
        #expect(a.street1 == "1250 René-Lévesque Blvd W")
        #expect(a.street2 == "Floor 12, Receiving dock B")
        #expect(a.city == "Montréal")
        #expect(a.region == "QC")
        #expect(a.postalCode == "H3B 4W8")
        #expect(a.phone == "+15145550190")
        #expect(nora.phone == nil, "no mobile number")
    }

    @Test func theMobileOfAShippingOnlyContactIsBothPhones() throws {
        let fatima = try #require(PlatformSample.find(try sample(), "1011")).customer
        #expect(fatima.phone == "+33612345678")
        #expect(fatima.addresses.first?.phone == "+33612345678")
        #expect(fatima.addresses.first?.defaultShipping == true)
    }

    @Test func escapedAttributeEntriesAreUnescaped() throws {
        let hal = try #require(PlatformSample.find(try sample(), "1014"))
        #expect(hal.issueList == [])
        #expect(hal.customer.attributes == ["tenant~gift-note": "Happy birthday; enjoy!", "tenant~ratio": "a=b"])
        var draft = CanonicalDraft()
        KiboProfile.readAttributes("good=1;broken;=x", into: &draft)
        #expect(draft.issues.map(\.code) == [.recordMalformed])
        #expect(draft.value("attributes.good") == "1")
    }

    @Test func badRowsAreRejectedWithTheirReason() throws {
        let all = try sample()
        #expect(all.filter(\.hasErrors).map { $0.mapped.sourceID ?? "" } == ["1008", "1010"])
        #expect(try #require(PlatformSample.find(all, "1008")).issueList == ["date.invalid createdAt"])
        let eve = try #require(PlatformSample.find(all, "1010"))
        #expect(eve.issueList == ["boolean.invalid status"])
        #expect(eve.draft.issues.first?.message == "isActive: 'yes' is not true or false")
    }

    @Test func exportWritesRESTPropertyColumns() throws {
        guard case let .csv(header, _) = profile.export else { Issue.record("not CSV"); return }
        #expect(header.count == KiboProfile.account.rules.count + 3 * KiboProfile.contactFields.count + 2)
        #expect(header.prefix(3) == ["id", "userName", "emailAddress"])
        #expect(header.contains("contacts.2.types.1.isPrimary"))
        #expect(header.suffix(2) == ["notes.0.content", "notes.1.content"])
        let ann = try #require(PlatformSample.find(try sample(), "1001")).customer
        guard case let .rows(rows) = profile.exportRecord(ann), let row = rows.first else { Issue.record("no row"); return }
        let cells = Dictionary(zip(header, row), uniquingKeysWith: { a, _ in a })
        #expect(cells["id"] == "1001")
        #expect(cells["isAnonymous"] == "false")
        #expect(cells["isActive"] == "true")
        #expect(cells["isLocked"] == "false")
        #expect(cells["acceptsMarketing"] == "true")
        #expect(cells["segments"] == "VIP, Newsletter")
        #expect(cells["customerSet"] == "default")
        #expect(cells["taxExempt"] == "false")
        #expect(cells["attributes"] == "tenant~birth-month=04;tenant~loyalty-tier=gold")
        #expect(cells["commerceSummary.totalOrderAmount.amount"] == "1534.20")
        #expect(cells["commerceSummary.totalOrderAmount.currencyCode"] == "USD")
        #expect(cells["contacts.0.address.address1"] == "500 Congress Ave")
        #expect(cells["contacts.0.phoneNumbers.home"] == "+15125550134")
        #expect(cells["contacts.0.phoneNumbers.mobile"] == "+15125550199")
        #expect(cells["contacts.0.types.0.name"] == "Billing")
        #expect(cells["contacts.0.types.0.isPrimary"] == "true")
        #expect(cells["contacts.1.types.0.name"] == "Shipping")
        #expect(cells["contacts.1.phoneNumbers.mobile"] == "")
        #expect(cells["contacts.2.address.cityOrTown"] == "")
        #expect(cells["notes.0.content"] == "Called about a late parcel; refunded shipping.")
        let hal = try #require(PlatformSample.find(try sample(), "1014")).customer
        guard case let .rows(halRows) = profile.exportRecord(hal) else { return }
        #expect(halRows.first?[header.firstIndex(of: "attributes")!] == #"tenant~gift-note=Happy birthday\; enjoy!;tenant~ratio=a\=b"#)
    }

    @Test func guestsAreExportedAsAnonymousAccounts() throws {
        let gus = try #require(PlatformSample.find(try sample(), "1004")).customer
        guard case let .csv(header, _) = profile.export, case let .rows(rows) = profile.exportRecord(gus), let row = rows.first else {
            Issue.record("no row"); return
        }
        let cells = Dictionary(zip(header, row), uniquingKeysWith: { a, _ in a })
        #expect(cells["isAnonymous"] == "true")
        #expect(cells["userName"] == "")
    }

    /// Every accepted row: exported, read again, mapped again: the same customer.
    @Test func everyAcceptedRowRoundTrips() throws {
        let accepted = try sample().filter { !$0.hasErrors }
        #expect(accepted.count == 12)
        for record in accepted {
            let again = try PlatformSample.reimport(record.customer, profile: profile)
            #expect(again.count == 1)
            guard let back = again.first else { continue }
            #expect(back.issueList == [])
            #expect(PlatformSample.comparable(back.customer) == PlatformSample.comparable(record.customer),
                    "\(record.mapped.sourceID ?? "")")
            #expect(back.customer.ref == record.customer.ref)
        }
    }
}
