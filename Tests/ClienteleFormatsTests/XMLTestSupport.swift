import Testing
import ClienteleIO
import ClienteleTestSupport
@testable import ClienteleFormats

/// The customers layout of SPEC §5 (ClienteleModel has the real one; this target cannot see it).
let customersLayout = XMLRecordLayout(
    rootName: "customers", recordName: "customer",
    lists: ["groups": "group", "sites": "site", "addresses": "address", "notes": "note", "totals": "total",
            "wishlist": "sku", "sources": "source"],
    maps: ["attributes": XMLKeyedItems(item: "attribute", keyAttribute: "name")])

/// What an XML reader produced from one input: comparable across chunkings.
struct XMLReadOutcome: Equatable, CustomStringConvertible {
    struct Row: Equatable {
        var value: JSONValue
        var position: SourcePosition
        var defect: RecordDefect?
    }
    var rows: [Row] = []
    var error: FormatError?
    var bytesConsumed: Int64 = 0

    var description: String {
        "\(rows.count) rows \(rows.map { "\($0.position.line):\($0.defect.map { "\($0)" } ?? "ok")" }), error \(String(describing: error))"
    }

    var values: [JSONValue] { rows.map(\.value) }
    var defects: [RecordDefect?] { rows.map(\.defect) }

    static func read(_ source: ByteSource, options: XMLRecordReader.Options = .init(),
                     layout: XMLRecordLayout = customersLayout) -> XMLReadOutcome {
        var outcome = XMLReadOutcome()
        do {
            let reader = try XMLRecordReader(source: source, layout: layout, options: options)
            while let record = try reader.next() {
                outcome.rows.append(Row(value: record.value, position: record.position, defect: record.defect))
            }
            outcome.bytesConsumed = reader.bytesConsumed
        } catch {
            outcome.error = error
        }
        return outcome
    }

    /// Reads `bytes` whole, drip-fed one byte at a time, and in random chunks (several seeds, and
    /// libxml2 fed in small pieces too), expects the same outcome every time and returns it.
    static func verified(_ bytes: [UInt8], options: XMLRecordReader.Options = .init(), layout: XMLRecordLayout = customersLayout,
                         sourceLocation: SourceLocation = #_sourceLocation) -> XMLReadOutcome {
        let whole = read(ChunkedByteSource(bytes, name: "in.xml"), options: options, layout: layout)
        let drip = read(ChunkedByteSource(bytes, chunkSizes: [1], name: "in.xml"), options: options, layout: layout)
        #expect(drip == whole, "drip-fed: \(drip) vs \(whole)", sourceLocation: sourceLocation)
        for seed in UInt64(1)...4 {
            var small = options
            small.chunkSize = Int(seed) * 7
            let chunked = read(ChunkedByteSource(bytes, randomChunksUpTo: 64, seed: seed, name: "in.xml"), options: small, layout: layout)
            #expect(chunked == whole, "random chunks, seed \(seed): \(chunked) vs \(whole)", sourceLocation: sourceLocation)
        }
        return whole
    }

    static func verified(_ text: String, options: XMLRecordReader.Options = .init(), layout: XMLRecordLayout = customersLayout,
                         sourceLocation: SourceLocation = #_sourceLocation) -> XMLReadOutcome {
        verified(Array(text.utf8), options: options, layout: layout, sourceLocation: sourceLocation)
    }
}

func tree(_ members: (String, JSONValue)...) -> JSONValue {
    .object(members.map { JSONMember($0.0, $0.1) })
}

/// The `detail` of a `.malformed` defect or error, for `contains` checks.
extension RecordDefect {
    var detail: String { if case let .malformed(detail) = self { return detail } else { return description } }
}
