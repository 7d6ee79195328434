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
    /// The username a registered account claims (for the message if another account holds it).
    var username: String?
    /// Warnings the record was accepted with: counted only if it stays accepted.
    var warnings: [IssueCode]
    var customer: CustomerRecord
    /// The input's own record, for the rejects file: reconciliation may still reject any record
    /// (a repeated id or username, a second registered account with one email). Read back from a
    /// spill frame, it is decoded only when asked: few records are rejected, and decoding every
    /// grouped record's cells or tree cost more than the rest of its frame.
    var raw: RawRecord? {
        get {
            switch rawStorage {
            case let .decoded(raw): return raw
            case let .encoded(frame, offset):
                var d = SpillDecoder(frame, offset: offset)
                return RawRecord(decoding: &d)
            }
        }
        set { rawStorage = .decoded(newValue) }
    }
    private var rawStorage: RawStorage

    private enum RawStorage {
        case decoded(RawRecord?)
        /// The frame, and where the raw record starts in it.
        case encoded([UInt8], offset: Int)
    }

    init(seq: Int, fileIndex: Int, line: Int, recordNumber: Int, system: String, sourceID: String, username: String? = nil,
         warnings: [IssueCode] = [], customer: CustomerRecord, raw: RawRecord?) {
        self.seq = seq
        self.fileIndex = fileIndex
        self.line = line
        self.recordNumber = recordNumber
        self.system = system
        self.sourceID = sourceID
        self.username = username
        self.warnings = warnings
        self.customer = customer
        rawStorage = .decoded(raw)
    }

    /// The record as one spill frame: a ``Header`` (what reconciliation needs to group the record
    /// and, if nothing folds into it, to write it: its customer's final JSON text), then the full
    /// customer, which only records of an email shared with others are decoded back into.
    ///
    /// - Parameter text: scratch for the JSON text (reused from record to record).
    func encoded(into e: inout SpillEncoder, text: inout JSONTextWriter) {
        Self.encode(seq: seq, fileIndex: fileIndex, line: line, recordNumber: recordNumber, system: system, sourceID: sourceID,
                    username: username, warnings: warnings, customer: customer, raw: raw, into: &e, text: &text)
    }

    /// Encodes a record's frame from its parts, as ``encoded(into:text:)`` does: the intake encodes
    /// each record once, and building a ``StagedRecord`` only for that copied its customer twice.
    static func encode(seq: Int, fileIndex: Int, line: Int, recordNumber: Int, system: String, sourceID: String, username: String?,
                       warnings: [IssueCode], customer: borrowing CustomerRecord, raw: RawRecord?,
                       into e: inout SpillEncoder, text: inout JSONTextWriter) {
        e.int(seq)
        e.int(fileIndex)
        e.int(line)
        e.int(recordNumber)
        e.string(system)
        e.string(sourceID)
        e.string(username)
        e.list(warnings) { e, code in e.string(code.rawValue) }
        e.string(customer.email?.value)
        e.string(customer.ref?.value ?? "")
        text.removeAll()
        customer.writeJSON(into: &text)
        e.int(text.count)
        text.withUnsafeBytes { e.out.append(contentsOf: $0) }
        e.customer(customer)
        // The raw record's length first, so reading a frame can step over it (see `raw`).
        if let raw {
            e.bool(true)
            let lengthAt = e.count
            e.word32(0)
            raw.encoded(into: &e)
            e.patchWord32(UInt32(e.count - lengthAt - 4), at: lengthAt)
        } else {
            e.bool(false)
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
        username = header.username
        warnings = header.warnings
        customer = d.customer()
        if d.bool() {
            let length = Int(d.word32())
            rawStorage = .encoded(d.bytes, offset: d.offset)
            d.offset += length
        } else {
            rawStorage = .decoded(nil)
        }
    }

    /// The input's own record as the rejects file shows it.
    /// - Parameter columns: the header of the record's file, for CSV rows.
    func rawValue(columns: [String]?) -> JSONValue {
        raw?.value(columns: columns ?? []) ?? customer.jsonValue
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
        var username: String?
        var warnings: [IssueCode]
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
            username = d.optionalString()
            warnings = d.list { IssueCode(rawValue: $0.string())! }
            email = d.optionalString()
            ref = d.string()
            let n = d.int()
            json = d.offset..<(d.offset + n)
            d.offset += n
        }
    }
}

/// An input record as read, kept for the rejects file in the cheapest form to keep: a CSV row's
/// cells (its file's header names them again when it is rejected), a JSON line's own text, else
/// the record's tree.
enum RawRecord: Equatable {
    /// One CSV row's cells.
    case fields([String])
    /// The rows of a record a platform spreads over several rows.
    case rows([[String]])
    /// A JSON record's text (a JSON Lines line).
    case json([UInt8])
    /// An XML record or a JSON array's element, as read (nothing else holds its text).
    case tree(JSONValue)

    func encoded(into e: inout SpillEncoder) {
        switch self {
        case let .fields(cells):
            e.int(0)
            e.list(cells) { $0.string($1) }
        case let .rows(rows):
            e.int(1)
            e.list(rows) { e, row in e.list(row) { $0.string($1) } }
        case let .json(bytes):
            e.int(2)
            e.int(bytes.count)
            e.out.append(contentsOf: bytes)
        case let .tree(value):
            e.int(3)
            e.jsonValue(value)
        }
    }

    init(decoding d: inout SpillDecoder) {
        switch d.int() {
        case 0: self = .fields(d.list { $0.string() })
        case 1: self = .rows(d.list { d in d.list { $0.string() } })
        case 2:
            let n = d.int()
            self = .json(Array(d.bytes[d.offset..<(d.offset + n)]))
            d.offset += n
        default: self = .tree(d.jsonValue())
        }
    }

    /// The record as the rejects file shows it: a row as an object of its columns (several rows as
    /// a list of them), JSON as parsed.
    func value(columns: [String]) -> JSONValue {
        switch self {
        case let .fields(cells): return .object(zip(columns, cells).map { JSONMember($0, .string($1)) })
        case let .rows(rows):
            let objects = rows.map { row in JSONValue.object(zip(columns, row).map { JSONMember($0, .string($1)) }) }
            return objects.count == 1 ? objects[0] : .array(objects)
        case let .json(bytes): return (try? JSONDocument.parse(bytes)) ?? .null
        case let .tree(value): return value
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
