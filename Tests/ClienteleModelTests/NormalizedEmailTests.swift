import ClienteleModel
import Testing

@Suite struct NormalizedEmailTests {
    @Test(arguments: [
        ("ann@example.com", "ann@example.com"),
        ("  Ann.Lee@Example.COM \t", "ann.lee@example.com"),
        ("ÄNN@Example.COM", "änn@example.com"),
        ("\u{00A0}bob@shop.de\n", "bob@shop.de"),
        // No provider rewrites: Gmail dots and plus tags stay.
        ("J.O.Doe+news@GMail.com", "j.o.doe+news@gmail.com"),
        // IDN domains, as typed (Unicode) and as punycode.
        ("kunde@MÜNCHEN.de", "kunde@münchen.de"),
        ("kunde@xn--mnchen-3ya.de", "kunde@xn--mnchen-3ya.de"),
        ("user@bücher.example", "user@bücher.example"),
        ("a@b.co", "a@b.co"),
        ("o'brien@sub-domain.example.org", "o'brien@sub-domain.example.org"),
    ])
    func normalizes(raw: String, expected: String) {
        #expect(NormalizedEmail(validating: raw)?.value == expected)
    }

    @Test(arguments: [
        "", "   ", "ann", "ann.example.com",       // no @
        "ann@@example.com", "a@b@example.com",     // two @
        "@example.com", "ann@",                    // empty local / domain
        "ann lee@example.com", "ann@exa mple.com", // spaces
        "ann..lee@example.com", "ann@example..com", // double dots
        ".ann@example.com", "ann.@example.com",    // leading / trailing dot in the local part
        "ann@.example.com", "ann@example.com.",    // empty domain labels
        "ann@localhost", "ann@example.c",          // no TLD / one-letter TLD
        "ann@-example.com", "ann@example-.com",    // label with a leading / trailing hyphen
        "ann@exa_mple.com", "an\"n@example.com", "ann@[127.0.0.1]", "ann\u{7}@example.com",
    ])
    func rejects(raw: String) {
        #expect(NormalizedEmail(validating: raw) == nil)
    }

    @Test func lengthLimits() {
        // 254 bytes is the RFC 5321 path limit; 255 is over.
        let label = String(repeating: "a", count: 60)
        let domain254 = [label, label, label, String(repeating: "b", count: 254 - 64 - 1 - 3 * 61 - 4), "com"].joined(separator: ".")
        let ok = String(repeating: "x", count: 64) + "@" + domain254
        #expect(ok.utf8.count == 254)
        #expect(NormalizedEmail(validating: ok)?.value == ok)
        #expect(NormalizedEmail(validating: "y" + ok) == nil)
        // Local part at most 64 bytes, a label at most 63.
        #expect(NormalizedEmail(validating: String(repeating: "x", count: 65) + "@example.com") == nil)
        #expect(NormalizedEmail(validating: "x@" + String(repeating: "d", count: 63) + ".com") != nil)
        #expect(NormalizedEmail(validating: "x@" + String(repeating: "d", count: 64) + ".com") == nil)
        // Bytes, not characters: 127 two-byte letters are 254 bytes.
        let wide = String(repeating: "ä", count: 60) + "@" + String(repeating: "ö", count: 30) + ".com"
        #expect(NormalizedEmail(validating: wide) == nil)  // local part is 120 bytes
    }

    @Test func equalityAndOrderFollowTheNormalizedValue() {
        let a = NormalizedEmail(validating: "ANN@example.com")!
        let b = NormalizedEmail(validating: " ann@EXAMPLE.com ")!
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(NormalizedEmail(validating: "a.nn@example.com") != a)
        #expect(NormalizedEmail(validating: "adam@example.com")! < a)
        #expect(a.description == "ann@example.com")
    }
}

@Suite struct NormalizedEmailSpaceTests {
    /// Non-ASCII white space and control characters inside an address (pasted from web pages and
    /// spreadsheets) are spaces and controls too.
    @Test(arguments: [
        "ann\u{00A0}lee@example.com", "ann@exa\u{00A0}mple.com", "ann\u{3000}@example.com", "ann@example\u{2028}.com",
        "ann\u{0085}@example.com", "ann@example.c\u{2003}m", "ann\u{200B}lee@example.com", "ann@exam\u{FEFF}ple.com",
    ])
    func rejectsUnicodeSpaces(raw: String) {
        #expect(NormalizedEmail(validating: raw) == nil)
    }
}

@Suite struct NormalizedEmailTLDTests {
    /// No top-level domain is all digits (RFC 3696 §2), so `a@b.123` has no TLD.
    @Test(arguments: [("ann@example.123", false), ("ann@10.0.0.12", false), ("ann@example.c0m", true), ("ann@123.example.de", true)])
    func numericTLD(raw: String, valid: Bool) {
        #expect((NormalizedEmail(validating: raw) != nil) == valid)
    }
}
