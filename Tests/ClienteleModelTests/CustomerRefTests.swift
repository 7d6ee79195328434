import ClienteleModel
import Testing

@Suite struct CustomerRefTests {
    static let crockford = Set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    let key = CustomerRefKey(bytes: Array("test-key".utf8))

    @Test func stableForTheSameAccount() {
        let a = key.ref(system: "shopify", sourceID: "1001")
        let b = CustomerRefKey(bytes: Array("test-key".utf8)).ref(system: "shopify", sourceID: "1001")
        #expect(a == b)
        #expect(a.value == b.value)
    }

    @Test func differsForKeySystemAndID() {
        let base = key.ref(system: "shopify", sourceID: "1001")
        #expect(key.ref(system: "shopify", sourceID: "1002") != base)
        #expect(key.ref(system: "magento", sourceID: "1001") != base)
        #expect(key.ref(system: "Shopify", sourceID: "1001") != base)
        #expect(CustomerRefKey(bytes: Array("other-key".utf8)).ref(system: "shopify", sourceID: "1001") != base)
        #expect(CustomerRefKey.builtIn.ref(system: "shopify", sourceID: "1001") != base)
        // The boundary between system and id is part of the message.
        #expect(key.ref(system: "ab", sourceID: "c") != key.ref(system: "a", sourceID: "bc"))
        #expect(key.ref(system: "", sourceID: "abc") != key.ref(system: "abc", sourceID: ""))
    }

    @Test func builtInKeyIsMarked() {
        #expect(CustomerRefKey.builtIn.isDefault)
        #expect(!key.isDefault)
        #expect(CustomerRefKey.builtIn.ref(system: "s", sourceID: "1") == CustomerRefKey.builtIn.ref(system: "s", sourceID: "1"))
    }

    @Test func formatIsCAnd20Crockford() {
        var seen = Set<String>()
        for i in 0..<2_000 {
            let ref = key.ref(system: "sys", sourceID: String(i))
            let v = ref.value
            #expect(v.count == 21)
            #expect(v.first == "C")
            #expect(v.dropFirst().allSatisfy { Self.crockford.contains($0) }, "\(v)")
            #expect(ref.description == v)
            #expect(CustomerRef(validating: v) == ref)
            seen.insert(v)
        }
        #expect(seen.count == 2_000)
    }

    @Test(arguments: [
        ("C0123456789ABCDEFGHJK", true), (" C0123456789ABCDEFGHJK ", true), ("CZZZZZZZZZZZZZZZZZZZZ", true),
        ("C0123456789ABCDEFGHJ", false), ("C0123456789ABCDEFGHJKM", false), ("D0123456789ABCDEFGHJK", false),
        ("c0123456789ABCDEFGHJK", false), ("C0123456789abcdefghjk", false), ("C0123456789ABCDEFGHIK", false),
        ("C0123456789ABCDEFGHLK", false), ("C0123456789ABCDEFGHOK", false), ("C0123456789ABCDEFGHUK", false), ("", false),
    ])
    func validatingInit(text: String, valid: Bool) {
        let ref = CustomerRef(validating: text)
        #expect((ref != nil) == valid)
        if let ref { #expect(ref.value == text.filter { $0 != " " }) }
    }

    @Test func bucketsGrowWithTheSortOrder() {
        let refs = (0..<3_000).map { key.ref(system: "sys", sourceID: "id-\($0)") }.sorted()
        for buckets in [1, 2, 16, 256, 1024] {
            var previous = 0
            var used = Set<Int>()
            for ref in refs {
                let b = ref.bucket(of: buckets)
                #expect((0..<buckets).contains(b))
                #expect(b >= previous, "\(ref) with \(buckets) buckets")
                previous = b
                used.insert(b)
            }
            // Spread evenly: with 3,000 refs every one of 16 buckets is used.
            if buckets <= 16 { #expect(used.count == buckets) }
        }
        #expect(CustomerRef(validating: "C00000000000000000000")!.bucket(of: 1024) == 0)
        #expect(CustomerRef(validating: "CZZZZZZZZZZZZZZZZZZZZ")!.bucket(of: 1024) == 1023)
        #expect(CustomerRef(validating: "CG0000000000000000000")!.bucket(of: 2) == 1)
        #expect(CustomerRef(validating: "CFZZZZZZZZZZZZZZZZZZZ")!.bucket(of: 2) == 0)
    }
}
