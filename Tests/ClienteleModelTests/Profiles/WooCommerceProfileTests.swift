import ClienteleFormats
@testable import ClienteleModel
import ClienteleTestSupport
import Testing

@Suite struct WooCommerceProfileTests {
    static let profile = WooCommerceProfile()

    static func sample() throws -> CSVProfileSample {
        try CSVProfileSample("woocommerce/Customer-Export-2024_05_06_10_15_00.csv", profile: profile)
    }

    static var header: [String] {
        guard case let .csv(header, _) = profile.export else { fatalError("not CSV") }
        return header
    }

    @Test func readsTheSample() throws {
        let sample = try Self.sample()
        #expect(sample.records.count == 12)
        #expect(Self.profile.unknownColumns(CSVColumns(sample.header)).isEmpty)

        let mark = sample.record("9")
        #expect(mark.issueList == ["password.hash-weak passwordHash"])  // phpass: no other platform checks it
        let m = mark.customer
        #expect(m.kind == .registered && m.username == "mark" && m.status == .active)
        #expect(m.passwordHash?.algorithm == .unknown && m.passwordHash?.value == "$P$BryRcSUyBUoydgSLuC6aX4qlbaBWxoh")
        #expect(m.passwordResetRequired)
        #expect(m.email?.value == "mark.wough@example.com" && m.locale == "en-US")
        #expect(m.createdAt?.description == "2016-10-20T11:52:04Z")
        #expect(m.attributes == ["roles": "subscriber,customer"])
        #expect(m.addresses.count == 1)  // billing and shipping are the same place
        #expect(m.addresses[0].defaultBilling && m.addresses[0].defaultShipping)
        #expect(m.addresses[0].street1 == "742 Evergreen Terrace" && m.addresses[0].region == "OR")
        #expect(m.addresses[0].phone == "+15550102030")

        let sabine = sample.record("12").customer
        #expect(sabine.passwordHash?.algorithm == .unknown)  // WordPress 6.8's $wp$2y$: pre-hashed bcrypt
        #expect(sabine.locale == "de-DE")
        #expect(sabine.attributes == ["billingEmail": "rechnung@krause.example.de", "roles": "customer"])
        #expect(sabine.addresses.count == 2)
        #expect(sabine.addresses[0].company == "Krause GmbH" && sabine.addresses[0].defaultBilling && !sabine.addresses[0].defaultShipping)
        #expect(sabine.addresses[0].phone == "+49221987654" && sabine.addresses[0].region == "NW")
        #expect(sabine.addresses[1].street2 == "Hinterhaus" && sabine.addresses[1].defaultShipping && !sabine.addresses[1].defaultBilling)

        let tom = sample.record("15")
        #expect(tom.issueList.isEmpty)
        #expect(tom.customer.passwordHash?.algorithm == .bcrypt && !tom.customer.passwordResetRequired)
        #expect(tom.customer.addresses.count == 1 && !tom.customer.addresses[0].defaultShipping)
        #expect(tom.customer.addresses[0].phone == "+14155550134")

        let guest = sample.record("guest-41").customer
        #expect(guest.kind == .guest && guest.username == nil && guest.passwordHash == nil && guest.status == nil)
        #expect(guest.email?.value == "grace.hopper@example.com")
        #expect(guest.firstName == "Grace" && guest.createdAt?.description == "2022-01-05T10:00:00Z")
        #expect(guest.addresses.count == 1 && guest.addresses[0].defaultBilling && !guest.addresses[0].defaultShipping)

        let guest2 = sample.record("guest-42").customer
        #expect(guest2.email == guest.email)  // same email, other case: guests fold later
        #expect(guest2.addresses.count == 1 && guest2.addresses[0].defaultBilling && guest2.addresses[0].defaultShipping)

        let grace = sample.record("21").customer
        #expect(grace.kind == .registered && grace.email == guest.email && grace.username == "ghopper")

        let yuki = sample.record("27").customer
        #expect(yuki.firstName == "由紀" && yuki.locale == "ja")
        #expect(yuki.addresses[0].region == "JP13" && yuki.addresses[0].phone == "+81312345678")

        let zoe = sample.record("39").customer
        #expect(zoe.kind == .registered && zoe.passwordHash == nil && zoe.passwordResetRequired && zoe.addresses.isEmpty)
    }

    @Test func rejectsTheBadRecordsWithTheirReasons() throws {
        let sample = try Self.sample()
        var errors: [String: [String]] = [:]
        for r in sample.records where r.mapped.hasErrors { errors[r.mapped.sourceID ?? "?"] = r.mapped.errors.map { "\($0.code.rawValue) \($0.field)" } }
        #expect(errors == [
            "30": ["date.invalid createdAt"],
            "33": ["country.invalid addresses.0.country"],
            "36": ["locale.invalid locale"],
        ])
        #expect(sample.record("30").mapped.errors[0].message.contains("user_registered"))
    }

    @Test func writesThePluginsLayout() throws {
        let sample = try Self.sample()
        let header = Self.header
        #expect(header.prefix(3) == ["ID", "customer_id", "user_login"] && header.last == "shipping_phone")
        let sabine = CSVProfileSample.exportRows(sample.record("12").customer, profile: Self.profile)
        #expect(sabine.count == 1)
        func cell(_ name: String) -> String { sabine.column(name, in: header)[0] }
        #expect(cell("ID") == "12" && cell("user_login") == "sabine.k" && cell("user_email") == "sabine.krause@example.de")
        #expect(cell("user_pass") == "$wp$2y$10$laXQBDd6H4zWv9xdQ.L0aU5EdN4P5m203S63fdh8ch2HicgomIPRb")
        #expect(cell("user_registered") == "2019-03-02 08:00:00" && cell("locale") == "de_DE" && cell("roles") == "customer")
        #expect(cell("billing_email") == "rechnung@krause.example.de" && cell("billing_company") == "Krause GmbH")
        #expect(cell("billing_address_1") == "Hohe Straße 12" && cell("shipping_address_1") == "Gartenweg 3")
        #expect(cell("billing_phone") == "+49221987654" && cell("shipping_phone") == "")

        let guest = CSVProfileSample.exportRows(sample.record("guest-41").customer, profile: Self.profile)
        #expect(guest.column("ID", in: header) == [""] && guest.column("customer_id", in: header) == ["41"])
        #expect(guest.column("user_login", in: header) == [""] && guest.column("billing_email", in: header) == ["grace.hopper@example.com"])
    }

    @Test func exportOfACustomerFromElsewhere() {
        let m = mapJSON(#"""
        {"id":"s-9","email":"lee@example.com","passwordHash":"$2y$10$abcdefghijklmnopqrstuuOCz1J3GIbV3E0mXDyHXtH5n6q8b3Nom",
         "phone":"+4930123456","company":"Lee AG","groups":["VIP"],"locale":"fr-CH"}
        """#)
        var lee = m.customer
        lee.ref = CustomerRef(validating: "C0123456789ABCDEFGHJK")
        let rows = CSVProfileSample.exportRows(lee, profile: Self.profile)
        func cell(_ name: String) -> String { rows.column(name, in: Self.header)[0] }
        #expect(cell("ID") == "C0123456789ABCDEFGHJK" && cell("user_login") == "lee@example.com")
        #expect(cell("roles") == "customer")  // not the group: a WordPress role must exist
        #expect(cell("billing_phone") == "+4930123456" && cell("billing_company") == "Lee AG")
        #expect(cell("locale") == "fr_CH")
    }

    @Test func roundTripKeepsEveryFieldWooCommerceCarries() throws {
        let sample = try Self.sample()
        let customers = sample.clean.map(\.customer)
        #expect(customers.count == 9)
        let again = try CSVProfileSample.roundTrip(customers, profile: Self.profile)
        #expect(again.count == customers.count)
        for (a, b) in zip(customers, again) { #expect(a == b) }
    }

    @Test func isInTheCatalog() {
        #expect(ProfileCatalog.profile(named: "woocommerce") is WooCommerceProfile)
    }
}
