import PropertyBased
import Testing
import ClienteleTestSupport
@testable import ClienteleFormats

/// Random JSON trees, built from a seed so the property generator stays a plain integer
/// (swift-property-based shrinks the seed; the tree is rebuilt deterministically from it).
enum RandomJSON {
    static let scalars: [Unicode.Scalar] = [
        "a", "Z", "0", " ", "/", "\"", "\\", "\u{0}", "\u{1}", "\u{8}", "\u{9}", "\u{A}", "\u{C}", "\u{D}", "\u{1F}",
        "\u{7F}", "é", "ß", "€", "\u{2028}", "中", "\u{FFFF}", "😀", "\u{10FFFF}", "\u{FEFF}",
    ]

    static func string(_ rng: inout SplitMix64) -> String {
        var s = String.UnicodeScalarView()
        for _ in 0..<Int(rng.next() % 12) {
            if rng.next() % 3 == 0 {
                s.append(scalars[Int(rng.next() % UInt64(scalars.count))])
            } else {
                s.append(Unicode.Scalar(UInt8(0x20 + rng.next() % 95)))
            }
        }
        return String(s)
    }

    static func number(_ rng: inout SplitMix64) -> String {
        var n = rng.next() % 2 == 0 ? "-" : ""
        if rng.next() % 4 == 0 {
            n += "0"
        } else {
            n += String(rng.next() % 9 + 1) + String(repeating: String(rng.next() % 10), count: Int(rng.next() % 25))
        }
        if rng.next() % 2 == 0 { n += "." + String(rng.next() % 100_000) }
        if rng.next() % 3 == 0 {
            n += ["e", "E", "e+", "E-", "e-"][Int(rng.next() % 5)] + String(rng.next() % 400)
        }
        return n
    }

    static func value(_ rng: inout SplitMix64, depth: Int) -> JSONValue {
        let pick = rng.next() % (depth >= 4 ? 5 : 7)
        switch pick {
        case 0: return .null
        case 1: return .bool(rng.next() % 2 == 0)
        case 2: return .number(number(&rng))
        case 3, 4: return .string(string(&rng))
        case 5: return .array((0..<Int(rng.next() % 5)).map { _ in value(&rng, depth: depth + 1) })
        default: return object(&rng, depth: depth)
        }
    }

    static func object(_ rng: inout SplitMix64, depth: Int) -> JSONValue {
        .object((0..<Int(rng.next() % 5)).map { _ in JSONMember(string(&rng), value(&rng, depth: depth + 1)) })
    }
}

@Suite struct JSONPropertyTests {
    @Test func writtenValuesParseBackTheSame() async {
        await propertyCheck(count: 300, input: Gen<UInt64>.value()) { seed in
            var rng = SplitMix64(seed: seed)
            let value = RandomJSON.value(&rng, depth: 0)
            var writer = JSONTextWriter()
            writer.write(value)
            #expect(throws: Never.self) {
                let parsed = try JSONDocument.parse(writer.bytes)
                #expect(parsed == value)
            }
        }
    }

    @Test func writtenRecordsReadBackTheSameWhateverTheChunking() async {
        await propertyCheck(count: 100, input: Gen<UInt64>.value()) { seed in
            var rng = SplitMix64(seed: seed)
            let objects = (0..<Int(rng.next() % 6)).map { _ in RandomJSON.object(&rng, depth: 0) }
            var lines = JSONTextWriter()
            var array = JSONTextWriter()
            array.writeRaw("[")
            for (i, object) in objects.enumerated() {
                lines.write(object)
                lines.writeRaw(rng.next() % 2 == 0 ? "\n" : "\r\n")
                if i > 0 { array.writeRaw(",\n") }
                array.write(object)
            }
            array.writeRaw("]")
            for bytes in [lines.bytes, array.bytes] {
                let outcome = JSONReadOutcome.verified(bytes)
                #expect(outcome.error == nil)
                #expect(outcome.rows.map(\.value) == objects)
                #expect(outcome.rows.allSatisfy { $0.defect == nil })
            }
        }
    }
}
