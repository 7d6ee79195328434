import ClienteleFormats
import ClienteleModel

/// An accepted input record waiting for reconciliation, as it travels through the spill files.
struct StagedRecord {
    /// Position in the whole run's input (1-based): input order, for every "first" in SPEC §3.
    var seq: Int
    var fileIndex: Int
    var line: Int
    var recordNumber: Int
    /// The system and id the crosswalk names this record by.
    var system: String
    var sourceID: String
    var customer: CustomerRecord
    /// The input's own record as JSON text, kept only where reconciliation may still reject it
    /// (registered accounts); parsed only if it is.
    var rawJSON: [UInt8]?

    /// The input's own record, for the rejects file.
    var raw: JSONValue? { rawJSON.flatMap { try? JSONDocument.parse($0) } }

    init(seq: Int, fileIndex: Int, line: Int, recordNumber: Int, system: String, sourceID: String,
         customer: CustomerRecord, rawJSON: [UInt8]?) {
        self.seq = seq
        self.fileIndex = fileIndex
        self.line = line
        self.recordNumber = recordNumber
        self.system = system
        self.sourceID = sourceID
        self.customer = customer
        self.rawJSON = rawJSON
    }

    /// The record as one spill frame.
    func encoded(into e: inout SpillEncoder) {
        e.int(seq)
        e.int(fileIndex)
        e.int(line)
        e.int(recordNumber)
        e.string(system)
        e.string(sourceID)
        e.customer(customer)
        e.optional(rawJSON) { e, bytes in
            e.int(bytes.count)
            e.bytes.append(contentsOf: bytes)
        }
    }

    /// Reads a frame written by ``encoded(into:)``.
    init(decoding d: inout SpillDecoder) {
        seq = d.int()
        fileIndex = d.int()
        line = d.int()
        recordNumber = d.int()
        system = d.string()
        sourceID = d.string()
        customer = d.customer()
        if d.bool() {
            let n = d.int()
            rawJSON = Array(d.bytes[d.offset..<(d.offset + n)])
            d.offset += n
        }
    }
}

extension JSONValue {
    var intValue: Int? {
        switch self {
        case let .number(n): return Int(n)
        case let .string(s): return Int(s)
        default: return nil
        }
    }

    var stringValue: String? {
        if case let .string(s) = self { return s }
        return nil
    }
}
