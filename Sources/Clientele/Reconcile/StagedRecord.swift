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
    /// The input's own record, kept only where reconciliation may still reject it (registered accounts).
    var raw: JSONValue?

    var envelope: JSONValue {
        var m = [JSONMember("s", .number(String(seq))), JSONMember("f", .number(String(fileIndex))),
                 JSONMember("l", .number(String(line))), JSONMember("r", .number(String(recordNumber))),
                 JSONMember("sys", .string(system)), JSONMember("id", .string(sourceID)),
                 JSONMember("c", customer.jsonValue)]
        if let raw { m.append(JSONMember("raw", raw)) }
        return .object(m)
    }

    init(seq: Int, fileIndex: Int, line: Int, recordNumber: Int, system: String, sourceID: String,
         customer: CustomerRecord, raw: JSONValue?) {
        self.seq = seq
        self.fileIndex = fileIndex
        self.line = line
        self.recordNumber = recordNumber
        self.system = system
        self.sourceID = sourceID
        self.customer = customer
        self.raw = raw
    }

    /// Reads an envelope back; the customer is mapped again (normalization is idempotent).
    init(envelope v: JSONValue, mapper: CanonicalMapper) {
        seq = v["s"]?.intValue ?? 0
        fileIndex = v["f"]?.intValue ?? 0
        line = v["l"]?.intValue ?? 0
        recordNumber = v["r"]?.intValue ?? 0
        system = v["sys"]?.stringValue ?? ""
        sourceID = v["id"]?.stringValue ?? ""
        customer = mapper.map(v["c"] ?? .null).customer
        raw = v["raw"]
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
