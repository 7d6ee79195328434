import ClienteleFormats
import ClienteleModel
import Testing

/// `writeJSON(into:)` is the archive's fast path; `jsonValue` is the reference every other writer uses.
@Suite struct CustomerRecordJSONTextTests {
    static func fullRecord() -> CustomerRecord {
        var c = CustomerRecord()
        c.ref = CustomerRef(validating: "C0123456789ABCDEFGHJK")
        c.kind = .registered
        c.email = NormalizedEmail(validating: "ann@example.com")
        c.username = "ann"
        c.passwordHash = PasswordHash(algorithm: .bcrypt, value: "$2y$10$abc\"\\")
        c.passwordResetRequired = true
        c.status = .locked
        c.salutation = "Dr."
        c.firstName = "Ann\nMarie"
        c.middleName = "Q"
        c.lastName = "Müller"
        c.gender = "female"
        c.dateOfBirth = "1990-03-04"
        c.phone = "+4930123456"
        c.company = "ACME \u{1}"
        c.taxVat = "DE123"
        c.locale = "de-DE"
        c.groups = ["VIP", "B2B"]
        c.sites = ["de"]
        c.acceptsMarketing = false
        var a = Address()
        a.street1 = "Hauptstr. 1"
        a.city = "München"
        a.country = "DE"
        a.defaultBilling = true
        c.addresses = [a, Address()]
        c.notes = [Note(text: "called", createdAt: Timestamp("2024-01-02T03:04:05.5Z")), Note(text: "x", createdAt: nil)]
        var o = OrderSummary()
        o.count = 3
        o.totals = [Money(currency: "EUR", amount: DecimalAmount("10.50")!), Money(currency: "USD", amount: DecimalAmount("1")!)]
        o.lastOrderAt = Timestamp("2024-05-06 07:08:09+02:00")
        c.orders = o
        c.storeCredit = Money(currency: "EUR", amount: DecimalAmount("0.01")!)
        c.wishlist = ["SKU-1"]
        c.attributes = ["tier": "gold", "a": "b"]
        c.createdAt = Timestamp("0001-01-01T00:00:00Z")
        c.updatedAt = Timestamp("9999-12-31T23:59:59.123456789Z")
        c.sources = [SourceReference(system: "shop", id: "7", file: "in.csv", line: 2)]
        c.anonymizedAt = Timestamp("2020-02-29")
        return c
    }

    static func text(_ c: CustomerRecord) -> (fast: String, reference: String) {
        var fast = JSONTextWriter()
        c.writeJSON(into: &fast)
        var reference = JSONTextWriter()
        reference.write(c.jsonValue)
        return (String(decoding: fast.bytes, as: UTF8.self), String(decoding: reference.bytes, as: UTF8.self))
    }

    @Test func everyFieldIsWrittenAsTheTreeWritesIt() {
        let (fast, reference) = Self.text(Self.fullRecord())
        #expect(fast == reference)
        #expect(fast.contains("\"updatedAt\":\"9999-12-31T23:59:59.123456789Z\""))
        #expect(fast.contains("\"lastOrderAt\":\"2024-05-06T05:08:09Z\""))
    }

    @Test func aBareGuestIsWrittenAsTheTreeWritesIt() {
        let (fast, reference) = Self.text(CustomerRecord())
        #expect(fast == reference)
        #expect(fast == "{\"kind\":\"guest\"}")
    }
}
