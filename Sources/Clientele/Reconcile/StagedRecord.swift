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

    /// The record as one spill frame: a ``Header`` (what reconciliation needs to group the record
    /// and, if nothing folds into it, to write it: its customer's final JSON text), then the full
    /// customer, which only records of an email shared with others are decoded back into.
    ///
    /// - Parameter text: scratch for the JSON text (reused from record to record).
    func encoded(into e: inout SpillEncoder, text: inout JSONTextWriter) {
        e.int(seq)
        e.int(fileIndex)
        e.int(line)
        e.int(recordNumber)
        e.string(system)
        e.string(sourceID)
        e.string(customer.email?.value)
        e.string(customer.ref?.value ?? "")
        text.removeAll()
        customer.writeJSON(into: &text)
        e.int(text.bytes.count)
        e.bytes.append(contentsOf: text.bytes)
        e.customer(customer)
        e.optional(rawJSON) { e, bytes in
            e.int(bytes.count)
            e.bytes.append(contentsOf: bytes)
        }
    }

    /// Reads a frame written by ``encoded(into:text:)``.
    init(decoding d: inout SpillDecoder) {
        let header = Header(decoding: &d)
        self.init(header: header, decodingBodyOf: &d)
    }

    /// Reads the rest of a frame whose header `d` has just read.
    init(header: Header, decodingBodyOf d: inout SpillDecoder) {
        seq = header.seq
        fileIndex = header.fileIndex
        line = header.line
        recordNumber = header.recordNumber
        system = header.system
        sourceID = header.sourceID
        customer = d.customer()
        if d.bool() {
            let n = d.int()
            rawJSON = Array(d.bytes[d.offset..<(d.offset + n)])
            d.offset += n
        }
    }

    /// The start of a frame: enough to group the record by email and, when it is the only record
    /// with its email (most are), to write it and its crosswalk row without decoding the rest.
    /// Decoding whole records (every string, timestamps parsed again) was over half of reconciliation.
    struct Header {
        var seq: Int
        var fileIndex: Int
        var line: Int
        var recordNumber: Int
        var system: String
        var sourceID: String
        /// The normalized email: the group key.
        var email: String?
        var ref: String
        /// Where the customer's JSON text is in the frame.
        var json: Range<Int>

        /// Reads a header; `d` is left at the body.
        init(decoding d: inout SpillDecoder) {
            seq = d.int()
            fileIndex = d.int()
            line = d.int()
            recordNumber = d.int()
            system = d.string()
            sourceID = d.string()
            email = d.optionalString()
            ref = d.string()
            let n = d.int()
            json = d.offset..<(d.offset + n)
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
