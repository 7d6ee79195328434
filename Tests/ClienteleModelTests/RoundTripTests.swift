import ClienteleFormats
import ClienteleModel
import ClienteleTestSupport
import Testing

/// An archive must re-import to itself: mapping a mapped record's canonical JSON (or its flat CSV
/// row) gives the same record, with no issues.
@Suite struct RoundTripTests {
    static let bcrypt = "$2y$10$abcdefghijklmnopqrstuuOCz1J3GIbV3E0mXDyHXtH5n6q8b3Nom"

    static let inputs: [String] = [
        #"{"id":"1","email":"ann@example.com"}"#,
        #"{"ref":"C0123456789ABCDEFGHJK","kind":"guest","email":"g@example.com","orders":{"count":2}}"#,
        #"""
        {"id":"1001","ref":"CZZZZZZZZZZZZZZZZZZZZ","email":" ÄNN@Example.COM ","username":"Ann","passwordHash":"\#(bcrypt)",
         "status":"Locked","salutation":"Ms","firstName":"Änn","middleName":"Q","lastName":"Lee","gender":"f",
         "dateOfBirth":"1960-02-29","phone":"030 1234567","company":"ACME","taxVat":"DE123","locale":"de_de",
         "groups":["vip","b2b"],"sites":{"1":"de","0":"at"},"acceptsMarketing":"no",
         "addresses":[{"firstName":"Ann","lastName":"Lee","company":"ACME","street1":"Main St 1","street2":"c/o X",
                       "city":"Berlin","region":"BE","postalCode":"10115","country":"Germany","phone":"030 7654321",
                       "defaultBilling":"1","defaultShipping":"0"},
                      {"city":"Roma","country":"IT","phone":"not a phone"},
                      {"street1":"9 Elm","country":"us","phone":"1 (415) 555 0134","defaultShipping":true}],
         "notes":["called",{"text":"vip","createdAt":"2024-01-01T00:30:00+01:00"}],
         "orders":{"count":"3","totals":[{"currency":"eur","amount":"0010.50"},{"currency":"USD","amount":"-0"}],
                   "lastOrderAt":"1969-12-31T23:59:59.250Z"},
         "storeCredit":{"currency":"chf","amount":"+5.5"},"wishlist":["SKU-1","SKU-2"],
         "attributes":{"tier":"gold","alpha":"1","city":"attr"},
         "createdAt":"2020-01-01","updatedAt":"2024-03-01T10:30:00.500+01:00",
         "sources":[{"system":"shopify","id":"1001","file":"a.csv","line":7}],"anonymizedAt":"2025-01-01T00:00:00Z"}
        """#,
        #"{"id":"2","email":"b@example.com","password":"secret","passwordResetRequired":false}"#,
        #"{"id":"3","email":"c@example.com","passwordHash":{"algorithm":"md5","value":"5f4dcc3b5aa765d61d8327deb882cf99"}}"#,
        #"{"id":"4","email":"d@example.com","username":"d","passwordHash":"opaque","status":"disabled","passwordResetRequired":"yes"}"#,
        #"{"id":"5","phone":"+44 (0)20 7946 0958","addresses":[{"city":"London","defaultBilling":false}]}"#,
    ]

    /// The mapped record as the pipeline writes it: with a ref (an archive has no input `id`).
    static func archived(_ m: MappedRecord) -> MappedRecord {
        var m = m
        if m.customer.ref == nil {
            m.customer.ref = CustomerRefKey.builtIn.ref(system: "test", sourceID: m.sourceID ?? "")
        }
        return m
    }

    @Test(arguments: inputs)
    func jsonRoundTrip(input: String) {
        let first = Self.archived(mapJSON(input))
        #expect(!first.hasErrors, "\(first.issueList)")
        let again = CanonicalMapper().map(first.customer.jsonValue)
        #expect(again.customer == first.customer)
        #expect(again.errors.isEmpty)
        #expect(again.unknownFields.isEmpty)
        // Idempotent: a third pass changes nothing either.
        #expect(CanonicalMapper().map(again.customer.jsonValue).customer == again.customer)
    }

    @Test(arguments: inputs)
    func csvRoundTrip(input: String) {
        let customer = Self.archived(mapJSON(input)).customer
        #expect(Self.viaCSV(customer) == customer)
    }

    /// Random records from pools of raw values (valid, oddly written, absent), mapped, then re-mapped.
    @Test func randomRecordsRoundTrip() {
        var rng = SplitMix64(seed: 20_261_123)
        var checked = 0
        for n in 0..<400 {
            let input = Self.randomInput(&rng, n)
            let first = Self.archived(CanonicalMapper().map(input))
            if first.hasErrors { continue }
            checked += 1
            let again = CanonicalMapper().map(first.customer.jsonValue)
            #expect(again.customer == first.customer, "\(input)")
            #expect(again.errors.isEmpty)
            #expect(Self.viaCSV(first.customer) == first.customer, "\(input)")
        }
        #expect(checked > 200)
    }

    /// The record written as a CSV row (header from its own columns, in canonical order) and read back.
    static func viaCSV(_ c: CustomerRecord) -> CustomerRecord {
        let pairs = FlatColumns.flatten(c.jsonValue)
        let header = FlatColumns.canonicalOrder(Set(pairs.map(\.0)))
        var byColumn: [String: String] = [:]
        for (column, value) in pairs { byColumn[column] = value }
        let plan = CSVColumnPlan(header: header)
        return CanonicalMapper().map(plan.tree(for: header.map { byColumn[$0] ?? "" })).customer
    }

    static func randomInput(_ rng: inout SplitMix64, _ n: Int) -> JSONValue {
        func pick(_ options: [JSONValue?]) -> JSONValue? { options.randomElement(using: &rng)! }
        func s(_ t: String) -> JSONValue { .string(t) }
        var m: [JSONMember] = [JSONMember("id", s("id-\(n)"))]
        let fields: [(String, [JSONValue?])] = [
            ("email", [nil, s("a@example.com"), s(" B.C@Example.ORG "), s("änn@münchen.de")]),
            ("username", [nil, nil, s("user\(n)"), s(" Mixed Case ")]),
            ("passwordHash", [nil, s(bcrypt), s("5f4dcc3b5aa765d61d8327deb882cf99"), .object([JSONMember("algorithm", s("scrypt")), JSONMember("value", s("x"))])]),
            ("password", [nil, nil, nil, s("pw")]),
            ("status", [nil, s("active"), s("DISABLED")]),
            ("firstName", [nil, s(" Ann "), .number("7")]),
            ("dateOfBirth", [nil, s("2000-02-29"), s("1899-12-31")]),
            ("phone", [nil, s("030 1234567"), s("+1 415 555 0134"), s("call me")]),
            ("locale", [nil, s("en_us"), s("zh-hant-tw"), s("es-419")]),
            ("groups", [nil, .array([s("a"), s("b"), s("a")]), .object([JSONMember("1", s("y")), JSONMember("0", s("x"))])]),
            ("acceptsMarketing", [nil, .bool(true), s("no"), s("1")]),
            ("addresses", [nil, .array([.object([JSONMember("city", s("Berlin")), JSONMember("country", s("deu")),
                                                 JSONMember("phone", s("030 111111")), JSONMember("defaultBilling", s("yes"))])]),
                           .array((0..<12).map { .object([JSONMember("postalCode", s("\($0)")), JSONMember("country", s("GB"))]) })]),
            ("orders", [nil, .object([JSONMember("count", .number("2")), JSONMember("totals", .array([
                .object([JSONMember("currency", s("EUR")), JSONMember("amount", s("999.99"))]),
                .object([JSONMember("currency", s("eur")), JSONMember("amount", s("0.01"))])]))])]),
            ("attributes", [nil, .object([JSONMember("z", s("1")), JSONMember("email", s("x")), JSONMember("a", s("2"))])]),
            ("createdAt", [nil, s("2024-01-01T00:00:00-08:00"), s("1965-06-01 12:00:00.120Z")]),
            ("kind", [nil, nil, s("guest"), s("registered")]),
        ]
        for (name, options) in fields {
            if let v = pick(options) { m.append(JSONMember(name, v)) }
        }
        m.shuffle(using: &rng)
        return .object(m)
    }
}
