import ClienteleFormats
import ClienteleModel
import Testing

@Suite struct CanonicalMapperKindTests {
    static let bcrypt = "$2y$10$abcdefghijklmnopqrstuuOCz1J3GIbV3E0mXDyHXtH5n6q8b3Nom"

    @Test(arguments: [
        (#"{"id":"1","email":"ann@example.com"}"#, AccountKind.guest),
        (#"{"id":"1","email":"ann@example.com","username":"ann"}"#, .registered),
        (#"{"id":"1","email":"ann@example.com","passwordHash":"\#(bcrypt)"}"#, .registered),
        (#"{"id":"1","email":"ann@example.com","passwordHash":{"algorithm":"bcrypt","value":"\#(bcrypt)"}}"#, .registered),
        (#"{"id":"1","email":"ann@example.com","password":"hunter2"}"#, .registered),
        (#"{"id":"1","email":"ann@example.com","username":"","password":" "}"#, .guest),  // empty is absent
        (#"{"id":"1","email":"ann@example.com","kind":"registered"}"#, .registered),
        (#"{"id":"1","email":"ann@example.com","kind":" Registered "}"#, .registered),
        (#"{"id":"1","email":"ann@example.com","kind":"GUEST","username":"ann"}"#, .guest),
    ])
    func kindInference(input: String, expected: AccountKind) {
        let m = mapJSON(input)
        #expect(m.customer.kind == expected)
        #expect(!m.hasErrors, "\(m.issueList)")
    }

    @Test func invalidKindIsAnError() {
        let m = mapJSON(#"{"id":"1","kind":"vip","username":"ann","email":"ann@example.com"}"#)
        #expect(m.issueList == ["kind.invalid kind"])
        #expect(m.hasErrors)
        #expect(m.customer.kind == .registered)  // inferred as if no kind were given
    }

    @Test func registeredDefaults() {
        let m = mapJSON(#"{"id":"1","email":"Ann@Example.com","passwordHash":"\#(Self.bcrypt)"}"#)
        #expect(m.issues.isEmpty)
        #expect(m.customer.status == .active)
        #expect(m.customer.username == "ann@example.com")  // defaults to the normalized email
        #expect(m.customer.passwordHash == PasswordHash(algorithm: .bcrypt, value: Self.bcrypt))
        #expect(m.customer.passwordResetRequired == false)
        #expect(m.sourceID == "1")
    }

    @Test(arguments: [("active", AccountStatus.active), ("Disabled", .disabled), (" LOCKED ", .locked)])
    func status(raw: String, expected: AccountStatus) {
        let m = mapJSON(#"{"id":"1","email":"ann@example.com","username":"ann","status":"\#(raw)"}"#)
        #expect(m.issues.isEmpty)
        #expect(m.customer.status == expected)
    }

    @Test func invalidStatus() {
        let m = mapJSON(#"{"id":"1","email":"ann@example.com","username":"ann","status":"banned"}"#)
        #expect(m.issueList == ["status.invalid status"])
    }

    @Test func registeredWithoutEmail() {
        #expect(mapJSON(#"{"id":"1","username":"ann"}"#).issueList == ["required email"])
        // An invalid email is reported once, as invalid, not also as missing.
        #expect(mapJSON(#"{"id":"1","username":"ann","email":"ann@"}"#).issueList == ["email.invalid email"])
        // Guests need no email.
        #expect(mapJSON(#"{"id":"1","firstName":"Ann"}"#).issues.isEmpty)
    }

    @Test func idOrRefIsRequired() {
        #expect(mapJSON(#"{"email":"ann@example.com"}"#).issueList == ["required id"])
        #expect(mapJSON(#"{"id":"  ","email":"ann@example.com"}"#).issueList == ["required id"])
        #expect(mapJSON(#"{"id":null,"email":"ann@example.com"}"#).issueList == ["required id"])
        let withRef = mapJSON(#"{"ref":"C0123456789ABCDEFGHJK","email":"ann@example.com"}"#)
        #expect(withRef.issues.isEmpty)
        #expect(withRef.customer.ref?.value == "C0123456789ABCDEFGHJK")
        #expect(withRef.sourceID == nil)
        #expect(mapJSON(#"{"ref":"C123"}"#).issueList == ["ref.invalid ref", "required id"])
        let numericID = mapJSON(#"{"id":1001}"#)
        #expect(numericID.sourceID == "1001")
        #expect(numericID.issues.isEmpty)
    }

    @Test func plaintextPasswordIsDropped() {
        let m = mapJSON(#"{"id":"1","email":"ann@example.com","password":"hunter2"}"#)
        #expect(m.issueList == ["password.plaintext-dropped password"])
        #expect(!m.hasErrors)
        #expect(m.warnings.count == 1)
        #expect(m.customer.kind == .registered)
        #expect(m.customer.passwordHash == nil)
        #expect(m.customer.passwordResetRequired)
        // The plaintext is nowhere in the record's output.
        #expect(!"\(FlatColumns.flatten(m.customer.jsonValue))".contains("hunter2"))

        // Dropped even next to a usable hash, and the customer must still reset.
        let both = mapJSON(#"{"id":"1","email":"ann@example.com","password":"hunter2","passwordHash":"\#(Self.bcrypt)"}"#)
        #expect(both.issueList == ["password.plaintext-dropped password"])
        #expect(both.customer.passwordHash?.algorithm == .bcrypt)
        #expect(both.customer.passwordResetRequired)
    }

    @Test(arguments: [
        ("5f4dcc3b5aa765d61d8327deb882cf99", PasswordHashAlgorithm.md5, true),
        ("5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8", .sha1, true),
        ("opaque-thing", .unknown, true),
        (bcrypt, .bcrypt, false),
    ])
    func weakHashes(hash: String, algorithm: PasswordHashAlgorithm, weak: Bool) {
        let m = mapJSON(#"{"id":"1","email":"ann@example.com","passwordHash":"\#(hash)"}"#)
        #expect(m.customer.passwordHash == PasswordHash(algorithm: algorithm, value: hash))
        #expect(m.issueList == (weak ? ["password.hash-weak passwordHash"] : []))
        #expect(!m.hasErrors)
        #expect(m.customer.passwordResetRequired == weak)
    }

    @Test func hashAlgorithmGivenOrRecognized() {
        let given = mapJSON(#"{"id":"1","email":"a@example.com","passwordHash":{"algorithm":"PBKDF2","value":"opaque"}}"#)
        #expect(given.customer.passwordHash == PasswordHash(algorithm: .pbkdf2, value: "opaque"))
        #expect(given.issues.isEmpty)
        let unknownName = mapJSON(#"{"id":"1","email":"a@example.com","passwordHash":{"algorithm":"unknown","value":"\#(Self.bcrypt)"}}"#)
        #expect(unknownName.customer.passwordHash?.algorithm == .bcrypt)
        let explicitReset = mapJSON(#"{"id":"1","email":"a@example.com","passwordHash":"\#(Self.bcrypt)","passwordResetRequired":"yes"}"#)
        #expect(explicitReset.customer.passwordResetRequired)
        // Registered without any hash: nothing usable was imported.
        #expect(mapJSON(#"{"id":"1","email":"a@example.com","username":"a"}"#).customer.passwordResetRequired)
    }

    @Test func guestDropsLoginFields() {
        let m = mapJSON(#"""
            {"id":"1","kind":"guest","email":"ann@example.com","username":"ann","passwordHash":"\#(Self.bcrypt)",
             "passwordResetRequired":true,"status":"banned"}
            """#)
        #expect(m.issues.isEmpty, "\(m.issueList)")
        #expect(m.customer.kind == .guest)
        #expect(m.customer.username == nil)
        #expect(m.customer.passwordHash == nil)
        #expect(m.customer.passwordResetRequired == false)
        #expect(m.customer.status == nil)
        #expect(m.customer.jsonValue["passwordResetRequired"] == nil)
    }
}

@Suite struct CanonicalMapperFieldTests {
    /// A fragment added to `{"id":"1", …}` and the one error it must give.
    @Test(arguments: [
        (#""email":"nope""#, "email.invalid email"),
        (#""email":"ann@@example.com""#, "email.invalid email"),
        (#""dateOfBirth":"1990-02-30""#, "date.invalid dateOfBirth"),
        (#""dateOfBirth":"03/04/1990""#, "date.invalid dateOfBirth"),
        (#""createdAt":"yesterday""#, "date.invalid createdAt"),
        (#""updatedAt":"2024-03-01T10:00:00""#, "date.invalid updatedAt"),
        (#""anonymizedAt":"2024-13-01""#, "date.invalid anonymizedAt"),
        (#""locale":"english""#, "locale.invalid locale"),
        (#""locale":"de-XX""#, "locale.invalid locale"),
        (#""addresses":[{"city":"Berlin"},{"country":"Atlantis"}]"#, "country.invalid addresses.1.country"),
        (#""addresses":[{"city":"Berlin","defaultBilling":"sure"}]"#, "boolean.invalid addresses.0.defaultBilling"),
        (#""addresses":[{"city":"Berlin","defaultShipping":"2"}]"#, "boolean.invalid addresses.0.defaultShipping"),
        (#""acceptsMarketing":"maybe""#, "boolean.invalid acceptsMarketing"),
        (#""passwordResetRequired":"perhaps""#, "boolean.invalid passwordResetRequired"),
        (#""kind":"vip""#, "kind.invalid kind"),
        (#""ref":"C123""#, "ref.invalid ref"),
        (#""orders":{"count":"-1"}"#, "number.invalid orders.count"),
        (#""orders":{"count":"many"}"#, "number.invalid orders.count"),
        (#""orders":{"totals":[{"currency":"EUR","amount":"1"},{"currency":"EUR","amount":"1,5"}]}"#, "amount.invalid orders.totals.1.amount"),
        (#""orders":{"totals":[{"currency":"EURO","amount":"1"}]}"#, "currency.invalid orders.totals.0.currency"),
        (#""orders":{"totals":[{"currency":"€","amount":"1"}]}"#, "currency.invalid orders.totals.0.currency"),
        (#""orders":{"totals":[{"amount":"1"}]}"#, "required orders.totals.0.currency"),
        (#""orders":{"totals":[{"currency":"EUR"}]}"#, "required orders.totals.0.amount"),
        (#""orders":{"lastOrderAt":"never"}"#, "date.invalid orders.lastOrderAt"),
        (#""storeCredit":{"currency":"EUR"}"#, "required storeCredit.amount"),
        (#""storeCredit":{"currency":"EUR","amount":"1e3"}"#, "amount.invalid storeCredit.amount"),
        (#""storeCredit":"10 EUR""#, "record.malformed storeCredit"),
        (#""notes":[{"text":"called","createdAt":"x"}]"#, "date.invalid notes.0.createdAt"),
        (#""sources":[{"system":"s","id":"1","file":"f","line":"x"}]"#, "number.invalid sources.0.line"),
        (#""sources":[{"system":"s","file":"f"}]"#, "required sources.0"),
        (#""firstName":{"given":"Ann"}"#, "record.malformed firstName"),
        (#""lastName":["Lee"]"#, "record.malformed lastName"),
        (#""groups":{"x":"vip"}"#, "record.malformed groups.x"),
        (#""groups":[["vip"]]"#, "record.malformed groups.0"),
        (#""addresses":"Berlin""#, "record.malformed addresses"),
        (#""addresses":[{"city":"Berlin"},"Hamburg"]"#, "record.malformed addresses.1"),
        (#""attributes":["gold"]"#, "record.malformed attributes"),
        (#""attributes":{"tier":["gold"]}"#, "record.malformed attributes.tier"),
    ])
    func fieldErrors(fragment: String, expected: String) {
        let m = mapJSON(#"{"id":"1","# + fragment + "}")
        #expect(m.errors.map { "\($0.code.rawValue) \($0.field)" } == [expected])
        #expect(m.hasErrors)
    }

    @Test func statusErrorNamesItsField() {
        let m = mapJSON(#"{"id":"1","email":"a@example.com","username":"a","status":"gone"}"#)
        #expect(m.issueList == ["status.invalid status"])
        #expect(m.issues.first?.code.isWarning == false)
    }

    @Test func notAnObject() {
        for input in [#"["id","1"]"#, #""1""#, "null", "42"] {
            let m = mapJSON(input)
            #expect(m.issueList == ["record.malformed "])
            #expect(m.hasErrors)
        }
    }

    /// Errors in index-keyed lists (a flattened CSV row) name the column the value came from.
    @Test func errorsInIndexKeyedListsNameTheirColumn() {
        let plan = CSVColumnPlan(header: ["id", "addresses.1.country", "orders.totals.3.currency", "orders.totals.3.amount", "groups.2"])
        let m = CanonicalMapper().map(plan.tree(for: ["7", "Atlantis", "EUR", "ten", "vip"]))
        #expect(m.issueList == ["country.invalid addresses.1.country", "amount.invalid orders.totals.3.amount"])
        let n = CanonicalMapper().map(plan.tree(for: ["7", "DE", "EUR", "10", "vip"]))
        #expect(n.issues.isEmpty)
        #expect(n.customer.addresses.map(\.country) == ["DE"])
        #expect(n.customer.orders?.totals == [Money(currency: "EUR", amount: DecimalAmount("10")!)])
        #expect(n.customer.groups == ["vip"])
    }

    @Test(arguments: [
        (#""yes""#, true as Bool?), (#""no""#, false), (#""1""#, true), (#""0""#, false), (#""Y""#, true), (#""n""#, false),
        (#""TRUE""#, true), (#"" False ""#, false), ("true", true), ("false", false), ("1", true), ("0", false),
        (#""""#, nil), ("null", nil),
    ])
    func booleans(raw: String, expected: Bool?) {
        let m = mapJSON(#"{"id":"1","acceptsMarketing":"# + raw + #","addresses":[{"city":"B","defaultBilling":"# + raw + "}]}")
        #expect(m.issues.isEmpty)
        #expect(m.customer.acceptsMarketing == expected)
        #expect(m.customer.addresses.first?.defaultBilling == (expected ?? false))
    }

    @Test func phoneUsesTheAddressCountry() {
        let m = mapJSON(#"""
            {"id":"1","addresses":[{"city":"Berlin","country":"Germany","phone":"030 1234567"},
                                   {"city":"Roma","country":"ITA","phone":"06 1234 5678"},
                                   {"city":"Nowhere","phone":"030 1234567"}]}
            """#)
        #expect(m.customer.addresses.map(\.phone) == ["+49301234567", "+390612345678", "030 1234567"])
        #expect(m.customer.addresses.map(\.country) == ["DE", "IT", nil])
        #expect(m.issueList == ["phone.not-e164 addresses.2.phone"])
        #expect(!m.hasErrors)
    }

    @Test(arguments: [
        // The default billing address's country, wherever it is in the list and whichever field comes first.
        (#""phone":"030 1234567","addresses":[{"country":"US"},{"country":"DE","defaultBilling":true}]"#, "+49301234567"),
        (#""addresses":[{"country":"DE"},{"country":"US","defaultBilling":"yes"}],"phone":"(415) 555-0134""#, "+14155550134"),
        // Otherwise the first address's country.
        (#""phone":"020 7946 0958","addresses":[{"country":"gb"},{"country":"DE"}]"#, "+442079460958"),
        // Otherwise the locale's region.
        (#""phone":"030 1234567","locale":"de_DE""#, "+49301234567"),
        // International forms need no country.
        (#""phone":"+39 06 1234 5678","addresses":[{"country":"DE"}]"#, "+390612345678"),
    ])
    func customerPhone(fragment: String, expected: String) {
        let m = mapJSON(#"{"id":"1","# + fragment + "}")
        #expect(m.issues.isEmpty, "\(m.issueList)")
        #expect(m.customer.phone == expected)
    }

    @Test func phoneThatCannotBeE164IsKeptWithAWarning() {
        let m = mapJSON(#"{"id":"1","phone":" 030 1234567 ext 9 "}"#)
        #expect(m.customer.phone == "030 1234567 ext 9")
        #expect(m.issueList == ["phone.not-e164 phone"])
        #expect(!m.hasErrors)
    }

    @Test func listsFromArraysAndIndexKeyedObjects() {
        let m = mapJSON(#"""
            {"id":"1",
             "groups":["vip"," vip ","b2b","",null,"wholesale"],
             "sites":{"1":"de","0":"at","10":"ch","2":"fr"},
             "wishlist":"SKU-1",
             "addresses":{"1":{"city":"Second"},"0":{"city":"First"},"2":{"city":" ","country":null}},
             "notes":["first note",{"text":"second","createdAt":"2024-01-02T03:04:05+01:00"},{"text":""}," "]}
            """#)
        #expect(m.issues.isEmpty, "\(m.issueList)")
        #expect(m.customer.groups == ["vip", "b2b", "wholesale"])
        #expect(m.customer.sites == ["at", "de", "fr", "ch"])
        #expect(m.customer.wishlist == ["SKU-1"])
        #expect(m.customer.addresses.map(\.city) == ["First", "Second"])  // the empty third is dropped
        #expect(m.customer.notes == [Note(text: "first note", createdAt: nil),
                                     Note(text: "second", createdAt: Timestamp("2024-01-02T02:04:05Z"))])
    }

    @Test func unknownFieldsAreReportedNotErrors() {
        let m = mapJSON(#"""
            {"id":"1","shoeSize":"42","addresses":[{"city":"B","floor":"3"}],
             "storeCredit":{"currency":"EUR","amount":"1","expires":"never"},
             "orders":{"count":1,"avg":"3"},"notes":[{"text":"n","author":"x"}],
             "sources":[{"system":"s","id":"1","file":"f","line":1,"sheet":"2"}]}
            """#)
        #expect(m.issues.isEmpty)
        #expect(m.unknownFields == ["shoeSize", "addresses.0.floor", "storeCredit.expires", "orders.avg", "notes.0.author", "sources.0.sheet"])
    }

    @Test func attributesAndSources() {
        let m = mapJSON(#"""
            {"id":"1","attributes":{"tier":" gold ","empty":"","points":150,"vip":true,"none":null},
             "sources":[{"system":"shopify","id":1001,"file":"a.csv","line":"7"},{"system":"magento","id":"x-9","file":"b.json","line":3}]}
            """#)
        #expect(m.issues.isEmpty)
        #expect(m.customer.attributes == ["tier": "gold", "points": "150", "vip": "true"])
        #expect(m.customer.sources == [SourceReference(system: "shopify", id: "1001", file: "a.csv", line: 7),
                                       SourceReference(system: "magento", id: "x-9", file: "b.json", line: 3)])
    }

    @Test func ordersSumTotalsPerCurrency() {
        let m = mapJSON(#"""
            {"id":"1","orders":{"count":"3","totals":[{"currency":"eur","amount":"1.50"},{"currency":"USD","amount":"3"},
                                                      {"currency":"EUR","amount":"2.5"}],"lastOrderAt":"2024-03-01 10:00:00+01:00"},
             "storeCredit":{"currency":"chf","amount":"+007.5"}}
            """#)
        #expect(m.issues.isEmpty)
        #expect(m.customer.orders?.count == 3)
        #expect(m.customer.orders?.totals.map { "\($0.currency) \($0.amount)" } == ["EUR 4.00", "USD 3"])
        #expect(m.customer.orders?.lastOrderAt?.description == "2024-03-01T09:00:00Z")
        #expect(m.customer.storeCredit == Money(currency: "CHF", amount: DecimalAmount("7.5")!))
        // An orders object with nothing in it is no summary.
        #expect(mapJSON(#"{"id":"1","orders":{"count":""}}"#).customer.orders == nil)
    }

    @Test func scalarsAreTrimmedAndNormalized() {
        let m = mapJSON(#"""
            {"id":" 42 ","email":" ÄNN@Example.COM ","salutation":" Ms ","firstName":"Änn","middleName":"","lastName":" Lee ",
             "gender":"f","dateOfBirth":" 2000-02-29 ","company":" ACME ","taxVat":"DE123","locale":"zh_hant_tw",
             "createdAt":"2024-01-01 00:30:00+01:00","updatedAt":"2024-03-01","anonymizedAt":null}
            """#)
        #expect(m.issues.isEmpty, "\(m.issueList)")
        let c = m.customer
        #expect(m.sourceID == "42")
        #expect(c.email?.value == "änn@example.com")
        #expect(c.salutation == "Ms")
        #expect(c.firstName == "Änn")
        #expect(c.middleName == nil)
        #expect(c.lastName == "Lee")
        #expect(c.dateOfBirth == "2000-02-29")
        #expect(c.company == "ACME")
        #expect(c.locale == "zh-Hant-TW")
        #expect(c.createdAt?.description == "2023-12-31T23:30:00Z")
        #expect(c.updatedAt?.description == "2024-03-01T00:00:00Z")
        #expect(c.anonymizedAt == nil)
        #expect(c.ref == nil)  // refs are given by the pipeline, not invented by the mapper
    }

    @Test func issueCodesKnowWhichAreWarnings() {
        let warnings = IssueCode.allCases.filter(\.isWarning).map(\.rawValue)
        #expect(warnings == ["password.plaintext-dropped", "password.hash-weak", "phone.not-e164", "field.unknown"])
    }
}

@Suite struct ProvenanceAndAttributeNameTests {
    @Test func aSourceNeedsAllFourParts() {
        let mapped = CanonicalMapper().map(.object([
            JSONMember("ref", .string("C0123456789ABCDEFGHJK")),
            JSONMember("sources", .array([.object([JSONMember("system", .string("s")), JSONMember("id", .string("1"))])])),
        ]))
        #expect(mapped.errors.map(\.code) == [.required])
        #expect(mapped.errors.first?.field == "sources.0")
    }

    @Test func attributeNamesWithADotCannotRoundTripThroughCSV() {
        let mapped = CanonicalMapper().map(.object([
            JSONMember("id", .string("1")),
            JSONMember("attributes", .object([JSONMember("a.b", .string("x")), JSONMember("ok", .string("y"))])),
        ]))
        #expect(mapped.errors.map(\.field) == ["attributes.a.b"])
        #expect(mapped.customer.attributes == ["ok": "y"])
    }
}
