import ClienteleFormats
@testable import ClienteleModel
import ClienteleTestSupport
import Testing

@Suite struct ShopifyProfileTests {
    static let profile = ShopifyProfile()

    static func sample() throws -> CSVProfileSample {
        try CSVProfileSample("shopify/customers_export.csv", profile: profile)
    }

    /// One customer row under Shopify's header plus `extra` columns.
    static func row(_ values: [String: String], extra: [String] = []) -> CSVRowGroup {
        let header = ShopifyProfile.table.header + extra
        return CSVRowGroup(columns: CSVColumns(header), rows: [header.map { values[$0] ?? "" }])
    }

    static func map(_ group: CSVRowGroup, profile: ShopifyProfile = profile) -> MappedRecord {
        CSVProfileSample.map(group, profile: profile, file: "t.csv", line: 2)
    }

    @Test func readsTheSampleWithItsQuirks() throws {
        let sample = try Self.sample()
        #expect(sample.records.count == 12)
        #expect(sample.header == ShopifyProfile.table.header)
        #expect(Self.profile.unknownColumns(CSVColumns(sample.header)).isEmpty)

        let anna = sample.record("7210448301101")  // the leading ' of the id is gone
        #expect(anna.issueList.isEmpty)
        let a = anna.customer
        #expect(a.kind == .guest)
        #expect(a.status == nil && a.username == nil)
        #expect(a.email?.value == "anna.schmidt@example.de")
        #expect(a.firstName == "Anna" && a.lastName == "Schmidt")
        #expect(a.acceptsMarketing == true)
        #expect(a.phone == "+4915112345678")
        #expect(a.groups == ["VIP", "Newsletter"])
        #expect(a.notes.map(\.text) == ["VIP since 2019, prefers phone calls"])
        #expect(a.attributes == ["acceptsSmsMarketing": "false", "taxExempt": "false"])
        #expect(a.orders?.count == 7)
        #expect(a.orders?.totals.map { "\($0.currency) \($0.amount)" } == ["USD 1249.90"])
        #expect(a.addresses.count == 1)
        let home = a.addresses[0]
        #expect(home.street1 == "Hauptstraße 5" && home.street2 == "2. OG" && home.city == "Berlin")
        #expect(home.region == "BE" && home.country == "DE" && home.postalCode == "10115")
        #expect(home.phone == "+49301234567")  // '030 1234567, national, in the address's country
        #expect(home.defaultBilling && home.defaultShipping)

        let brian = sample.record("7210448301102").customer
        #expect(brian.addresses.first?.postalCode == "02108")  // '02108: the zero survives
        #expect(brian.addresses.first?.company == "Acme Corp")
        #expect(brian.addresses.first?.phone == "+16175550134")
        #expect(brian.attributes["taxExempt"] == "true" && brian.attributes["acceptsSmsMarketing"] == "true")
        #expect(brian.groups == ["wholesale", "tax-exempt"])
        #expect(brian.lastName == "O'Neil")

        let chloe = sample.record("7210448301103").customer
        #expect(chloe.orders == nil)  // 0.00 on 0 orders says nothing
        #expect(chloe.groups.isEmpty && chloe.notes.isEmpty)

        let dmitri = sample.record("7210448301104").customer
        #expect(dmitri.email == nil && dmitri.addresses.isEmpty)
        #expect(dmitri.phone == "+79123456789")
        #expect(dmitri.orders?.count == 1)

        let eva2 = sample.record("7210448301106").customer
        #expect(eva2.email?.value == "eva.novak@example.cz")  // shares Eva's email: guests fold later
        #expect(eva2.notes.map(\.text) == ["Second account from the old EU store\n(merged 2023)"])
        #expect(eva2.groups == ["b2b", "wholesale"])
        #expect(eva2.addresses.first?.postalCode == "110 00")

        #expect(sample.record("7210448301107").customer.addresses.first?.region == "13")
        #expect(sample.record("7210448301112").customer.addresses.isEmpty)
    }

    @Test func rejectsTheBadRecordsWithTheirReasons() throws {
        let sample = try Self.sample()
        var errors: [String: [String]] = [:]
        for r in sample.records where r.mapped.hasErrors { errors[r.mapped.sourceID ?? "?"] = r.mapped.errors.map { "\($0.code.rawValue) \($0.field)" } }
        #expect(errors == [
            "7210448301108": ["boolean.invalid acceptsMarketing"],
            "7210448301109": ["country.invalid addresses.0.country"],
            "7210448301110": ["amount.invalid orders.totals.0.amount"],
            "7210448301111": ["email.invalid email"],
        ])
        let ines = sample.record("7210448301108").mapped.errors[0]
        #expect(ines.message.contains("Accepts Email Marketing") && ines.message.contains("maybe"))
    }

    @Test func writesShopifysLayout() throws {
        let sample = try Self.sample()
        let anna = sample.record("7210448301101").customer
        let rows = CSVProfileSample.exportRows(anna, profile: Self.profile)
        #expect(rows == [[
            "'7210448301101", "Anna", "Schmidt", "anna.schmidt@example.de", "yes", "", "Hauptstraße 5", "2. OG", "Berlin",
            "BE", "DE", "'10115", "'+49301234567", "'+4915112345678", "no", "1249.90", "7",
            "VIP since 2019, prefers phone calls", "no", "VIP, Newsletter",
        ]])
        guard case let .csv(header, delimiter) = Self.profile.export else { Issue.record("not CSV"); return }
        #expect(header == ShopifyProfile.table.header && delimiter == UInt8(ascii: ","))
        // A customer who never ordered gets what Shopify itself writes.
        let marco = CSVProfileSample.exportRows(sample.record("7210448301112").customer, profile: Self.profile)
        #expect(marco.column("Total Spent", in: header) == ["0.00"])
        #expect(marco.column("Total Orders", in: header) == ["0"])
    }

    @Test func exportShapesACustomerFromElsewhere() {
        let m = mapJSON(#"""
        {"id":"k-1","kind":"registered","email":"zoe@example.com","passwordHash":"$2y$10$abcdefghijklmnopqrstuuOCz1J3GIbV3E0mXDyHXtH5n6q8b3Nom",
         "firstName":"Zoe","company":"Zed Ltd","phone":"+4420794609580",
         "addresses":[{"street1":"Billing Rd 1","city":"Leeds","country":"GB","defaultBilling":true},
                      {"street1":"Ship St 2","city":"York","postalCode":"YO1 7HH","country":"GB","defaultShipping":true}],
         "notes":["first",{"text":"second"}],"orders":{"count":3,"totals":[{"currency":"EUR","amount":"10.00"}]},
         "groups":["VIP"]}
        """#)
        var zoe = m.customer
        zoe.ref = CustomerRef(validating: "C0123456789ABCDEFGHJK")
        zoe.sources = [SourceReference(system: "kibo", id: "k-1", file: "k.csv", line: 2)]
        let header = ShopifyProfile.table.header
        let rows = CSVProfileSample.exportRows(zoe, profile: Self.profile)
        #expect(rows.count == 1)
        #expect(rows.column("Customer ID", in: header) == ["'C0123456789ABCDEFGHJK"])  // not Shopify's: the ref
        #expect(rows.column("Default Address Address1", in: header) == ["Ship St 2"])  // the default shipping address
        #expect(rows.column("Default Address Company", in: header) == ["Zed Ltd"])
        #expect(rows.column("Default Address Zip", in: header) == ["'YO1 7HH"])
        #expect(rows.column("Note", in: header) == ["first\n\nsecond"])
        #expect(rows.column("Total Spent", in: header) == [""])  // EUR is not the store's currency
        #expect(rows.column("Total Orders", in: header) == ["3"])
        #expect(rows.column("Accepts Email Marketing", in: header) == [""])
        #expect(rows.column("Tags", in: header) == ["VIP"])
    }

    @Test func roundTripKeepsEveryField() throws {
        let sample = try Self.sample()
        let customers = sample.clean.map(\.customer)
        #expect(customers.count == 8)
        let again = try CSVProfileSample.roundTrip(customers, profile: Self.profile)
        #expect(again.count == customers.count)
        for (a, b) in zip(customers, again) { #expect(a == b) }
    }

    @Test func accountStateDecidesTheKind() {
        let enabled = Self.map(Self.row(["Customer ID": "1", "Email": "a@example.com", "State": "enabled"], extra: ["State"]))
        #expect(!enabled.hasErrors, "\(enabled.issueList)")
        #expect(enabled.customer.kind == .registered && enabled.customer.status == .active)
        #expect(enabled.customer.username == "a@example.com")
        #expect(enabled.customer.passwordResetRequired)  // Shopify never exports a password

        for state in ["disabled", "invited", "Declined"] {
            let m = Self.map(Self.row(["Customer ID": "2", "Email": "b@example.com", "State": state], extra: ["State"]))
            #expect(m.customer.kind == .guest && !m.hasErrors)
        }
        let bad = Self.map(Self.row(["Customer ID": "3", "State": "vip"], extra: ["State"]))
        #expect(bad.issueList == ["kind.invalid kind"])
    }

    @Test func metafieldsBecomeAttributesAndUnknownColumnsAreNamed() {
        let extra = ["Birth date (customer.metafields.facts.birth_date)", "Accepts WhatsApp Marketing", "Loyalty"]
        let m = Self.map(Self.row(["Customer ID": "5", "Birth date (customer.metafields.facts.birth_date)": "1990-04-03",
                                   "Accepts WhatsApp Marketing": "yes"], extra: extra))
        #expect(!m.hasErrors, "\(m.issueList)")
        #expect(m.customer.attributes == ["facts:birth_date": "1990-04-03", "acceptsWhatsAppMarketing": "true"])
        #expect(Self.profile.unknownColumns(CSVColumns(ShopifyProfile.table.header + extra + ["State"])) == ["Loyalty"])
        #expect(ShopifyProfile.metafield("Note (customer.metafields.a)") == nil)
    }

    @Test func theStoreCurrencyIsTheProfiles() {
        let eur = ShopifyProfile(currency: "eur")
        let m = Self.map(Self.row(["Customer ID": "6", "Total Spent": "19.99", "Total Orders": "2"]), profile: eur)
        #expect(m.customer.orders?.totals.map(\.currency) == ["EUR"])
        let spentNothing = Self.map(Self.row(["Customer ID": "7", "Total Spent": "0.00", "Total Orders": "2"]))
        #expect(spentNothing.customer.orders?.count == 2)
        #expect(spentNothing.customer.orders?.totals.map(\.amount.description) == ["0.00"])
        let noCount = Self.map(Self.row(["Customer ID": "8", "Total Orders": "two"]))
        #expect(noCount.issueList == ["number.invalid orders.count"])
    }

    @Test func isInTheCatalog() {
        #expect(ProfileCatalog.profile(named: "shopify") is ShopifyProfile)
        #expect(Self.profile.input.format == .csv)
    }
}
