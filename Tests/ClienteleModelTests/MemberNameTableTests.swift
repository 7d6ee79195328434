import Testing
@testable import ClienteleModel

@Suite struct MemberNameTableTests {
    let names = ["firstName", "lastName", "street1", "street2", "city", "country", "postalCode", "phone", "defaultBilling"]

    @Test func findsEveryNameItHolds() {
        let table = MemberNameTable(names.enumerated().map { ($0.element, $0.offset) })
        for (i, name) in names.enumerated() { #expect(table[name] == i, "\(name)") }
    }

    @Test("names sharing a slot (length, first and last byte) are told apart, and near misses are not found")
    func nearMissesAreNotFound() {
        let table = MemberNameTable(names.map { ($0, $0) })
        // Same length, first and last byte as a held name, or a case variant: none is a member.
        for miss in ["street3", "stre1t1", "cite", "City", "firstname", "PHONE", "", "c", "defaultBillinG", "country "] {
            #expect(table[miss] == nil, "\(miss)")
        }
        // A name built at run time (not the literal's storage) is found all the same.
        let built = String(["s", "t", "r", "e", "e", "t"]) + String(2)
        #expect(table[built] == "street2")
        // Non-ASCII and long names have a slot too.
        let other = MemberNameTable([("straße", 1), (String(repeating: "x", count: 70), 2)])
        #expect(other["straße"] == 1)
        #expect(other[String(repeating: "x", count: 70)] == 2)
        #expect(other[String(repeating: "x", count: 38)] == nil)
    }
}
