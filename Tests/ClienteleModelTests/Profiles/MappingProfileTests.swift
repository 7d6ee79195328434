import ClienteleFormats
import ClienteleModel
import Testing

@Suite struct MappingProfileTests {
    static func mapping(_ json: String) throws(MappingFileError) -> MappingProfile {
        try MappingProfile(json: Array(json.utf8), file: "m.json")
    }

    static func error(_ json: String) -> String? {
        do throws(MappingFileError) { _ = try mapping(json); return nil } catch { return error.description }
    }

    static func map(_ profile: MappingProfile, header: [String], row: [String]) -> MappedRecord {
        let draft = profile.draft(from: .rows(CSVRowGroup(columns: CSVColumns(header), rows: [row])))
        var mapped = CanonicalMapper().map(draft.tree)
        mapped.issues = draft.issues + mapped.issues
        return mapped
    }

    static let german = """
        {"name": "altshop", "delimiter": ";", "dateFormat": "dd.MM.yyyy", "timestampFormat": "dd.MM.yyyy HH:mm",
         "decimalComma": true,
         "fields": {"Nr": "id", "Mail": "email", "Geb": "dateOfBirth", "Seit": "createdAt",
                    "Anrede": {"field": "salutation", "values": {"Herr": "Mr", "Frau": "Ms"}},
                    "NL": {"field": "acceptsMarketing", "values": {"ja": "true", "nein": "false"}},
                    "Gruppen": {"field": "groups", "split": "|"},
                    "Umsatz": "orders.totals.0.amount", "Ort": "addresses.0.city", "Treue": "attributes.loyalty",
                    "Fax": {"field": "attributes.fax", "optional": true}},
         "constants": {"orders.totals.0.currency": "EUR", "addresses.0.country": "DE", "kind": "guest"},
         "ignore": ["Intern"]}
        """
    static let header = ["Nr", "Mail", "Geb", "Seit", "Anrede", "NL", "Gruppen", "Umsatz", "Ort", "Treue", "Intern", "Extra"]

    @Test func mapsColumnsWithPatternsValueMapsSplitsAndConstants() throws {
        let profile = try Self.mapping(Self.german)
        #expect(profile.name == "altshop")
        #expect(profile.input.delimiter == UInt8(ascii: ";"))
        let m = Self.map(profile, header: Self.header,
                         row: ["7", " Ann@Example.com ", "03.04.1985", "12.01.2019 09:15", "Frau", "ja", "VIP|Newsletter", "1.234,50", "Köln", "gold", "x", "y"])
        #expect(!m.hasErrors, "\(m.issues)")
        #expect(m.sourceID == "7")
        let c = m.customer
        #expect(c.email?.value == "ann@example.com")
        #expect(c.dateOfBirth == "1985-04-03")
        #expect(c.createdAt?.description == "2019-01-12T09:15:00Z")
        #expect(c.salutation == "Ms")
        #expect(c.acceptsMarketing == true)
        #expect(c.groups == ["VIP", "Newsletter"])
        #expect(c.orders?.totals.first?.amount.description == "1234.50")
        #expect(c.orders?.totals.first?.currency == "EUR")
        #expect(c.addresses.first?.city == "Köln")
        #expect(c.addresses.first?.country == "DE")
        #expect(c.attributes == ["loyalty": "gold"])
        #expect(profile.unknownColumns(CSVColumns(Self.header)) == ["Extra"])
        #expect(profile.headerProblem(CSVColumns(Self.header)) == nil)
        #expect(profile.headerProblem(CSVColumns(["Mail"]))?.contains("'Nr', 'Geb'") == true)
    }

    @Test func aDateThatDoesNotFitIsDateInvalidNamingTheColumn() throws {
        let profile = try Self.mapping(Self.german)
        let m = Self.map(profile, header: Self.header, row: ["7", "a@b.de", "1985-04-03", "", "", "", "", "", "", "", "", ""])
        #expect(m.issues.map(\.code) == [.dateInvalid], "\(m.issues)")
        #expect(m.issues.first?.field == "dateOfBirth")
        #expect(m.issues.first?.message.contains("Geb: '1985-04-03' is not a date in the form dd.MM.yyyy") == true)
    }

    @Test func exportWritesTheMappedColumnsBack() throws {
        let profile = try Self.mapping(Self.german)
        let row = ["7", "ann@example.com", "03.04.1985", "12.01.2019 09:15", "Frau", "ja", "VIP|Newsletter", "1234,50", "Köln", "gold"]
        var m = Self.map(profile, header: Array(Self.header.prefix(10)), row: row)
        m.customer.sources = [SourceReference(system: "altshop", id: "7", file: "f", line: 2)]
        guard case let .csv(header, delimiter) = profile.export else { Issue.record("not CSV"); return }
        #expect(delimiter == UInt8(ascii: ";"))
        guard case let .rows(rows) = profile.exportRecord(m.customer) else { Issue.record("not rows"); return }
        #expect(header == ["Nr", "Mail", "Geb", "Seit", "Anrede", "NL", "Gruppen", "Umsatz", "Ort", "Treue", "Fax"])
        #expect(rows == [row + [""]])
    }

    @Test func jsonInputsAreMappedByDottedPath() throws {
        let profile = try Self.mapping("""
            {"fields": {"customer.no": "id", "customer.contact.mail": "email", "tags": "groups", "born": "dateOfBirth"},
             "dateFormat": "M/d/yyyy"}
            """)
        let tree = try JSONDocument.parse(Array(#"{"customer":{"no":9,"contact":{"mail":"x@y.org"}},"tags":["a","b"],"born":"2/29/2000"}"#.utf8))
        let m = CanonicalMapper().map(profile.draft(from: .tree(tree)).tree)
        #expect(m.sourceID == "9")
        #expect(m.customer.email?.value == "x@y.org")
        #expect(m.customer.groups == ["a", "b"])
        #expect(m.customer.dateOfBirth == "2000-02-29")
    }

    /// Every mistake names the key it is under.
    @Test(arguments: [
        (#"{"fields": {"Geb": "dateofbirth"}}"#, #"fields."Geb": 'dateofbirth' is not a canonical field; did you mean 'dateOfBirth'?"#),
        (#"{"fields": {"Geb": {"field": "birthday"}}}"#, #"fields."Geb".field: 'birthday' is not a canonical field"#),
        (#"{"fields": {"Geb": "dateOfBirth"}}"#, #"fields."Geb": dateOfBirth needs a date format"#),
        (#"{"fields": {"Geb": "dateOfBirth"}, "dateFormat": "yy-MM-dd"}"#, #"dateFormat: date pattern 'yy-MM-dd': 'yy'"#),
        (#"{"fields": {"A": "email", "B": "email"}}"#, #"fields."B": 'email' is already read from "A""#),
        (#"{"fields": {"A": {"field": "email", "split": ","}}}"#, #"fields."A".split: only list fields"#),
        (#"{"fields": {"A": {"field": "email", "valeus": {}}}}"#, #"fields."A".valeus: unknown option"#),
        (#"{"fields": {"A": "addresses.0.town"}}"#, #"fields."A": 'addresses.0.town' is not a canonical field"#),
        (#"{"fields": {"A": "groups.vip"}}"#, #"fields."A": 'groups.vip' is not a canonical field"#),
        (#"{"fields": {"A": "sites.x"}}"#, #"fields."A": 'sites.x' is not a canonical field"#),
        (#"{"fields": {"A": "email"}, "constants": {"contry": "DE"}}"#, #"constants."contry": 'contry' is not a canonical field"#),
        (#"{"fields": {"A": "email"}, "delimiter": ";;"}"#, "delimiter: must be one character"),
        (#"{"fields": {"A": "email"}, "encoding": "utf-16"}"#, "encoding: 'utf-16' is not one of"),
        (#"{"fields": {"A": "email"}, "colums": {}}"#, "colums: unknown key"),
        (#"{"fields": {}}"#, "fields: required"),
        (#"{"fields": {"A": "email"}"#, "m.json: not valid JSON"),
        (#"[1]"#, "m.json: a mapping file is one JSON object"),
    ])
    func mistakesAreReportedWithTheirKey(json: String, expected: String) {
        let message = Self.error(json)
        #expect(message?.contains(expected) == true, "\(message ?? "no error")")
        #expect(message?.hasPrefix("mapping m.json") == true)
    }
}
