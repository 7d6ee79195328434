import ClienteleFormats
import ClienteleModel
import Testing

@Suite struct CSVColumnPlanTests {
    @Test func dottedColumnsFoldIntoTheTree() {
        let plan = CSVColumnPlan(header: ["id", "addresses.0.city", "addresses.0.country", "addresses.1.city", "groups.0", "attributes.tier"])
        let tree = plan.tree(for: ["7", "Berlin", "DE", "Roma", "vip", "gold"])
        #expect(tree == json(#"""
            {"id":"7","addresses":{"0":{"city":"Berlin","country":"DE"},"1":{"city":"Roma"}},"groups":{"0":"vip"},"attributes":{"tier":"gold"}}
            """#))
        #expect(plan.header.count == 6)
    }

    @Test func emptyCellsAreAbsent() {
        let plan = CSVColumnPlan(header: ["id", "email", "addresses.0.city", "addresses.1.city", "groups.1"])
        #expect(plan.tree(for: ["7", "", "", "Roma", ""]) == json(#"{"id":"7","addresses":{"1":{"city":"Roma"}}}"#))
        // Short rows leave the rest absent; extra cells are ignored.
        #expect(plan.tree(for: ["7"]) == json(#"{"id":"7"}"#))
        #expect(plan.tree(for: ["7", "a@example.com", "", "", "", "extra"]) == json(#"{"id":"7","email":"a@example.com"}"#))
        // A white-space cell is a value here; the mapper trims it to absent.
        #expect(plan.tree(for: ["7", " "]) == json(#"{"id":"7","email":" "}"#))
    }

    @Test func aRowOfEmptyCellsIsAnEmptyRecord() {
        let plan = CSVColumnPlan(header: ["id", "email"])
        #expect(plan.tree(for: ["", ""]) == .object([]))
        #expect(plan.tree(for: []) == .object([]))
        #expect(CanonicalMapper().map(plan.tree(for: ["", ""])).issueList == ["required id"])
    }

    @Test(arguments: [
        ("'=1", "=1"), ("'=SUM(A1:A2)", "=SUM(A1:A2)"), ("'+49 30 1234567", "+49 30 1234567"), ("'-5", "-5"),
        ("'@home", "@home"), ("'\t1", "\t1"), ("'\r1", "\r1"),
        ("'abc", "'abc"), ("'", "'"), ("''=1", "''=1"), ("=1", "=1"), ("O'Brien", "O'Brien"), ("'1", "'1"),
    ])
    func formulaGuardIsUndone(cell: String, expected: String) {
        let plan = CSVColumnPlan(header: ["lastName"])
        #expect(plan.tree(for: [cell]) == .object([JSONMember("lastName", .string(expected))]))
    }

    @Test func columnsWithABlankNameAreNotData() {
        // The pipeline blanks the names of a rejects file's error_codes/error_messages columns.
        let plan = CSVColumnPlan(header: ["id", "", "email"])
        #expect(plan.tree(for: ["7", "email.invalid", "a@b.io"])
                == .object([JSONMember("id", .string("7")), JSONMember("email", .string("a@b.io"))]))
    }

    @Test func mappedFromCSVLikeFromJSON() {
        let plan = CSVColumnPlan(header: ["id", "email", "username", "addresses.0.country", "addresses.0.phone", "groups.0", "groups.1",
                                          "acceptsMarketing", "orders.count", "orders.totals.0.currency", "orders.totals.0.amount"])
        let fromCSV = CanonicalMapper().map(plan.tree(for: ["7", "Ann@Example.com", "ann", "DE", "'+49 30 1234567", "vip", "b2b", "yes", "2", "EUR", "'-1.50"]))
        let fromJSON = mapJSON(#"""
            {"id":"7","email":"Ann@Example.com","username":"ann","addresses":[{"country":"DE","phone":"+49 30 1234567"}],
             "groups":["vip","b2b"],"acceptsMarketing":true,"orders":{"count":2,"totals":[{"currency":"EUR","amount":"-1.50"}]}}
            """#)
        #expect(fromCSV.issues.isEmpty, "\(fromCSV.issueList)")
        #expect(fromCSV.customer == fromJSON.customer)
        #expect(fromCSV.customer.addresses.first?.phone == "+49301234567")
    }
}

@Suite struct FlatColumnsTests {
    @Test func flatten() {
        let v = json(#"""
            {"ref":"C1","passwordHash":{"algorithm":"bcrypt","value":"h"},"passwordResetRequired":false,"groups":["a","b"],
             "addresses":[{"city":"B","defaultBilling":true}],"orders":{"count":2},"none":null,"empty":[],"o":{}}
            """#)
        let flat = FlatColumns.flatten(v)
        #expect(flat.map(\.0) == ["ref", "passwordHash.algorithm", "passwordHash.value", "passwordResetRequired", "groups.0", "groups.1",
                                  "addresses.0.city", "addresses.0.defaultBilling", "orders.count"])
        #expect(flat.map(\.1) == ["C1", "bcrypt", "h", "false", "a", "b", "B", "true", "2"])
    }

    @Test func listIndicesSortNumerically() {
        let columns: Set = ["addresses.10.city", "addresses.2.city", "addresses.1.city", "addresses.2.country", "addresses.10.firstName"]
        #expect(FlatColumns.canonicalOrder(columns)
            == ["addresses.1.city", "addresses.2.city", "addresses.2.country", "addresses.10.firstName", "addresses.10.city"])
    }

    @Test func knownFieldsBySpecOrderUnknownByName() {
        let columns: Set = ["updatedAt", "email", "zz", "ref", "attributes.b", "sources.0.line", "kind", "attributes.a", "createdAt",
                            "sources.0.system", "aa", "orders.totals.0.amount", "orders.count", "orders.totals.0.currency",
                            "passwordHash.value", "passwordHash.algorithm", "storeCredit.amount", "storeCredit.currency"]
        #expect(FlatColumns.canonicalOrder(columns) == [
            "ref", "kind", "email", "passwordHash.algorithm", "passwordHash.value", "orders.count", "orders.totals.0.currency",
            "orders.totals.0.amount", "storeCredit.currency", "storeCredit.amount", "attributes.a", "attributes.b", "createdAt",
            "updatedAt", "sources.0.system", "sources.0.line", "aa", "zz",
        ])
    }

    @Test func attributesSortByNameEvenWhenNamedLikeFields() {
        let columns: Set = ["attributes.zeta", "attributes.city", "attributes.alpha", "attributes.email"]
        #expect(FlatColumns.canonicalOrder(columns) == ["attributes.alpha", "attributes.city", "attributes.email", "attributes.zeta"])
    }

    /// The header order is the order the canonical JSON writes the same fields in, so CSV and JSON
    /// archives list fields alike.
    @Test(arguments: RoundTripTests.inputs)
    func canonicalOrderIsDocumentOrder(input: String) {
        var c = mapJSON(input).customer
        // Many addresses, so index 10 must come after index 2.
        for i in 0..<11 {
            var a = Address()
            a.city = "City \(i)"
            a.phone = "+4930\(100_000 + i)"
            a.country = "DE"
            c.addresses.append(a)
        }
        let columns = FlatColumns.flatten(c.jsonValue).map(\.0)
        #expect(FlatColumns.canonicalOrder(Set(columns)) == columns)
    }
}
