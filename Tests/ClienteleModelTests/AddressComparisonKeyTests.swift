import ClienteleModel
import Testing

/// Addresses are de-duplicated by ``Address/comparisonKey``: text fields lowercased, default flags
/// ignored, equal as Swift strings are.
@Suite struct AddressComparisonKeyTests {
    static func address(_ street: String?, _ city: String?, billing: Bool = false) -> Address {
        var a = Address()
        a.street1 = street
        a.city = city
        a.defaultBilling = billing
        return a
    }

    @Test func caseAndDefaultFlagsDoNotCount() {
        #expect(Self.address("Main St 1", "BERLIN").comparisonKey == Self.address("main st 1", "Berlin", billing: true).comparisonKey)
        #expect(Self.address("Main St 1", "Berlin").comparisonKey.isASCII)
    }

    @Test func partsDoNotRunIntoEachOther() {
        // "ab" + "c" against "a" + "bc": the length prefixes tell them apart.
        #expect(Self.address("ab", "c").comparisonKey != Self.address("a", "bc").comparisonKey)
        #expect(Self.address("Main St 1", nil).comparisonKey != Self.address(nil, "Main St 1").comparisonKey)
        #expect(Self.address("Main St 1", "Berlin").comparisonKey != Self.address("Main St 2", "Berlin").comparisonKey)
    }

    @Test("non-ASCII text is lowercased by Unicode and compared by canonical equivalence")
    func unicodeText() {
        let precomposed = Self.address("Straße 1", "MÜNCHEN").comparisonKey
        #expect(!precomposed.isASCII)
        #expect(precomposed == Self.address("straße 1", "münchen").comparisonKey)
        // ü written as u + U+0308 is the same string to Swift, though not the same bytes.
        let decomposed = Self.address("Straße 1", "mu\u{308}nchen").comparisonKey
        #expect(decomposed.bytes != precomposed.bytes)
        #expect(decomposed != precomposed, "a different UTF-8 length is a different key, as it always was")
        let sameLength = Self.address("Caf\u{E9}", "X").comparisonKey
        #expect(sameLength == Self.address("CAF\u{C9}", "x").comparisonKey)
        #expect(Set([precomposed, Self.address("straße 1", "münchen").comparisonKey]).count == 1, "equal keys hash alike")
    }
}
