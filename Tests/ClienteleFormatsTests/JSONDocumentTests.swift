import Testing
@testable import ClienteleFormats

@Suite struct JSONDocumentTests {
    func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue { try JSONDocument.parse(Array(text.utf8)) }

    @Test func buildsValuesKeepingLiteralsOrderAndDuplicates() throws {
        let value = try parse(#" {"b": [1, -0.5e+3, true, false, null], "a": "x", "a": {"k": ""}} "#)
        #expect(value == .object([
            JSONMember("b", .array([.number("1"), .number("-0.5e+3"), .bool(true), .bool(false), .null])),
            JSONMember("a", .string("x")),
            JSONMember("a", .object([JSONMember("k", .string(""))])),
        ]))
        #expect(value["a"] == .object([JSONMember("k", .string(""))]))
    }

    @Test func decodesEscapesAndSurrogatePairs() throws {
        #expect(try parse(#""a\"\\\/\b\f\n\r\t\u0041\u00e9\u20AC\uD83D\uDE00z""#)
            == .string("a\"\\/\u{8}\u{C}\n\r\tAé€😀z"))
        #expect(try parse("\"München 😀\"") == .string("München 😀"))
    }

    @Test(arguments: [#""\uD800""#, #""\uDC00""#, #""\uD800\u0041""#, #""x\uDBFFy""#])
    func rejectsLoneSurrogates(_ text: String) {
        let error = #expect(throws: JSONSyntaxError.self) { try parse(text) }
        #expect(error?.message.contains("lone surrogate") == true)
    }

    @Test(arguments: [
        ("[1,]", 3), ("{\"a\":1,}", 7), ("01", 1), ("NaN", 0), ("[Infinity]", 1), ("\"a\u{1}\"", 2),
        ("1 2", 2), ("", 0), ("  ", 2), ("[", 1), ("{\"a\" 1}", 5), ("\u{FEFF}{}", 0), ("-", 1), ("1.", 2),
        ("tru", 3), ("[1]x", 3), ("\"\\x\"", 2),
        // Long strings go through the eight-bytes-at-a-time scan: bad bytes at every word position.
        ("\"abcdefghijklmno\u{1}\"", 16), ("\"abcdefghijklmnop\u{1F}xxxxxxxxx\"", 17), ("\"abcdefgh\nijklmnopqr\"", 9),
    ])
    func rejectsWithOffset(_ text: String, _ offset: Int) {
        let error = #expect(throws: JSONSyntaxError.self) { try parse(text) }
        #expect(error?.byteOffset == offset, "\(text): \(String(describing: error))")
    }

    @Test func reportsLines() {
        let error = #expect(throws: JSONSyntaxError.self) { try parse("[\n1,\n\n2,,]") }
        #expect(error?.line == 4)
        #expect(error?.byteOffset == 8)
    }

    @Test func rejectsInvalidUTF8WithOffset() {
        let bytes: [UInt8] = [0x22, 0x61, 0xC3, 0x28, 0x22]
        let error = #expect(throws: JSONSyntaxError.self) { try JSONDocument.parse(bytes) }
        #expect(error?.byteOffset == 2)
        #expect(throws: JSONSyntaxError.self) { try JSONDocument.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) }  // encoded surrogate
        #expect(throws: JSONSyntaxError.self) { try JSONDocument.parse([0x22, 0xC0, 0xAF, 0x22]) }  // overlong
    }

    @Test func longStringsWithSpecialBytesAtEveryWordPosition() throws {
        let specials: [(written: String, decoded: String)] = [
            (#"\""#, "\""), (#"\\"#, "\\"), ("é", "é"), ("€", "€"), ("😀", "😀"), (#"\u00e9"#, "é"), (#"\n"#, "\n"),
        ]
        for k in 0..<20 {
            let prefix = String(repeating: "p", count: k)
            let suffix = String(repeating: "s", count: 19 - k)
            for special in specials {
                let text = "\"" + prefix + special.written + suffix + "\""
                #expect(try parse(text) == .string(prefix + special.decoded + suffix), "\(text)")
            }
        }
    }

    @Test func acceptsScalarsAtTopLevel() throws {
        #expect(try parse("0") == .number("0"))
        #expect(try parse(" -12.5E-3\r\n") == .number("-12.5E-3"))
        #expect(try parse("null") == .null)
        #expect(try parse("\"\"") == .string(""))
    }
}
