import ClienteleFormats
import ClienteleModel
import PropertyBased
import Testing
@testable import Clientele

/// The spill codec must give back exactly the record it was given: reconciliation trusts it.
@Suite struct SpillCodecTests {
    @Test func generatedRecordsSurviveTheSpillUnchanged() async {
        await propertyCheck(count: 20, input: Gen.int(in: 0...1_000_000)) { seed in
            var generator = CustomerGenerator(seed: UInt64(seed))
            for i in 0..<50 {
                let mapped = CanonicalMapper().map(generator.next())
                guard !mapped.hasErrors else { continue }
                var customer = mapped.customer
                customer.ref = CustomerRefKey.builtIn.ref(system: "s", sourceID: mapped.sourceID!)
                customer.sources = [SourceReference(system: "s", id: mapped.sourceID!, file: "f.csv", line: i + 2)]
                let staged = StagedRecord(seq: i + 1, fileIndex: 3, line: i + 2, recordNumber: i + 1, system: "s",
                                          sourceID: mapped.sourceID!,
                                          username: i % 3 == 0 ? "user\(i)" : nil, warnings: i % 4 == 0 ? [.phoneNotE164] : [],
                                          customer: customer,
                                          raw: [RawRecord.json(Array("{\"id\":\"\(i)\"}".utf8)), .fields(["a", "", "c\nd"]),
                                                .rows([["1", "2"], ["3"]]), .tree(generator.next()), nil][i % 5])
                var e = SpillEncoder()
                var text = JSONTextWriter()
                staged.encoded(into: &e, text: &text)
                var d = SpillDecoder(e.bytes)
                let back = StagedRecord(decoding: &d)
                #expect(d.offset == e.bytes.count, "the whole frame is read")
                #expect(back.customer == staged.customer)
                #expect((back.seq, back.fileIndex, back.line, back.recordNumber) == (staged.seq, 3, staged.line, staged.recordNumber))
                #expect(back.sourceID == staged.sourceID)
                #expect(back.raw == staged.raw)
                #expect(back.username == staged.username && back.warnings == staged.warnings)
                var h = SpillDecoder(e.bytes)
                let header = StagedRecord.Header(decoding: &h)
                text.removeAll()
                customer.writeJSON(into: &text)
                #expect(Array(e.bytes[header.json]) == text.bytes, "the header carries the customer's final JSON text")
                #expect(header.email == customer.email?.value && header.ref == customer.ref?.value && header.seq == i + 1)
            }
        }
    }

    @Test(arguments: [0, 1, -1, 63, -64, 127, 128, 300, Int(Int32.max), Int.max, Int.min])
    func integersRoundTrip(_ n: Int) {
        var e = SpillEncoder()
        e.int(n)
        var d = SpillDecoder(e.bytes)
        #expect(d.int() == n)
    }

    @Test func aTreeOfEveryKindOfValueRoundTrips() {
        let tree = JSONValue.object([
            JSONMember("id", .string("7")), JSONMember("n", .number("-1.50e2")), JSONMember("t", .bool(true)),
            JSONMember("f", .bool(false)), JSONMember("z", .null), JSONMember("", .string("")),
            JSONMember("list", .array([.array([]), .object([]), .string("é\u{0}\n"), .number("0")])),
            JSONMember("id", .string("dup")),
        ])
        var e = SpillEncoder()
        RawRecord.tree(tree).encoded(into: &e)
        var d = SpillDecoder(e.bytes)
        #expect(RawRecord(decoding: &d) == .tree(tree))
        #expect(d.offset == e.bytes.count)
        #expect(RawRecord.tree(tree).value(columns: []) == tree)
    }
}
