import ClienteleFormats
import ClienteleIO
import ClienteleModel
import ClienteleTestSupport
import Testing

/// Reads a platform sample the way the import pipeline does (CSV rows grouped by the profile, JSON
/// records, XML records with the profile's layout) and maps each record through the profile and
/// the canonical mapper, giving it the `sources` and `ref` the pipeline would.
enum PlatformSample {
    /// One input record of a sample and what it mapped to.
    struct Mapped {
        var line: Int
        var draft: CanonicalDraft
        var mapped: MappedRecord
        /// The profile's issues and the mapper's, as `code field`.
        var issueList: [String] { (draft.issues + mapped.issues).map { "\($0.code.rawValue) \($0.field)" } }
        var hasErrors: Bool { (draft.issues + mapped.issues).contains { !$0.code.isWarning } }
        var customer: CustomerRecord { mapped.customer }
    }

    static func path(_ relative: String) -> String { TestPaths.sampleData + "/profiles/" + relative }

    /// The records of a file in the profile's input format, with their lines (a defective XML
    /// record comes back as `nil`).
    static func records(_ file: String, profile: any CustomerProfile) throws -> [(record: ProfileRecord?, line: Int)] {
        try records(FileByteSource(path: file), profile: profile)
    }

    static func records(_ source: ByteSource, profile: any CustomerProfile) throws -> [(record: ProfileRecord?, line: Int)] {
        switch profile.input.format {
        case .csv:
            let reader = try CSVReader(source: source, options: CSVOptions(delimiter: profile.input.delimiter))
            let columns = CSVColumns(reader.header)
            var out: [(ProfileRecord?, Int)] = []
            var rows: [[String]] = []
            var line = 0
            func flush() {
                if !rows.isEmpty { out.append((.rows(CSVRowGroup(columns: columns, rows: rows)), line)) }
                rows = []
            }
            while let record = try reader.next() {
                if profile.startsRecord(CSVRow(columns: columns, fields: record.fields)) {
                    flush()
                    line = record.position.line
                }
                rows.append(record.fields)
            }
            flush()
            return out
        case .json:
            let reader = try JSONRecordReader(source: source)
            var out: [(ProfileRecord?, Int)] = []
            while let record = try reader.next() {
                out.append((record.defect == nil ? .tree(record.value) : nil, record.position.line))
            }
            return out
        case .xml, .any:
            let reader = try XMLRecordReader(source: source, layout: profile.input.xmlLayout ?? .customers)
            var out: [(ProfileRecord?, Int)] = []
            while let record = try reader.next() {
                out.append((record.defect == nil ? .tree(record.value) : nil, record.position.line))
            }
            return out
        }
    }

    /// Maps one platform record as the pipeline does.
    static func map(_ record: ProfileRecord, profile: any CustomerProfile, file: String = "sample", line: Int = 1) -> Mapped {
        let draft = profile.draft(from: record)
        var mapped = CanonicalMapper().map(draft.tree)
        if let id = mapped.sourceID {
            mapped.customer.sources = [SourceReference(system: profile.name, id: id, file: file, line: line)]
            mapped.customer.ref = CustomerRefKey.builtIn.ref(system: profile.name, sourceID: id)
        }
        return Mapped(line: line, draft: draft, mapped: mapped)
    }

    /// Every record of a sample, mapped; `nil` for a record the reader found defective.
    static func mapAll(_ relative: String, profile: any CustomerProfile) throws -> [Mapped?] {
        let file = path(relative)
        return try records(file, profile: profile).map { record, line in
            record.map { map($0, profile: profile, file: relative, line: line) }
        }
    }

    /// The mapped record whose source id is `id`.
    static func find(_ all: [Mapped?], _ id: String, sourceLocation: SourceLocation = #_sourceLocation) -> Mapped? {
        let hit = all.compactMap { $0 }.first { $0.mapped.sourceID == id }
        #expect(hit != nil, "no record \(id)", sourceLocation: sourceLocation)
        return hit
    }

    /// A customer written by `exportRecord` and read back through the profile: the bytes a file
    /// would hold, parsed again.
    static func reimport(_ customer: CustomerRecord, profile: any CustomerProfile) throws -> [Mapped] {
        let bytes = exportedBytes(customer, profile: profile)
        return try records(ChunkedByteSource(bytes, name: "export"), profile: profile).map { record, line in
            guard let record else { Issue.record("re-read record at line \(line) is defective"); return nil }
            return map(record, profile: profile, file: "export", line: line)
        }.compactMap { $0 }
    }

    static func exportedBytes(_ customer: CustomerRecord, profile: any CustomerProfile) -> [UInt8] {
        let exported = profile.exportRecord(customer)
        var bytes: [UInt8] = []
        switch (profile.export, exported) {
        case let (.csv(header, delimiter), .rows(rows)):
            var encoder = CSVRecordEncoder(delimiter: delimiter)
            encoder.appendRecord(header)
            for row in rows { encoder.appendRecord(row) }
            bytes = encoder.bytes
        case let (.jsonArray, .json(value)), let (.jsonLines, .json(value)):
            var writer = JSONTextWriter()
            if value != .null { writer.write(value) }
            bytes = writer.bytes
        case let (.xml(prologue, epilogue), .xml(text)):
            bytes = Array((prologue + text + epilogue).utf8)
        default:
            Issue.record("export layout and record do not match")
        }
        return bytes
    }

    /// The text `exportRecord` gives for one customer, as the file would hold it (with the header,
    /// prologue and epilogue).
    static func exportedText(_ customer: CustomerRecord, profile: any CustomerProfile) -> String {
        String(decoding: exportedBytes(customer, profile: profile), as: UTF8.self)
    }

    /// The customer as another platform record of the same person would be compared: without
    /// provenance (file, line) and the ref derived from it.
    static func comparable(_ c: CustomerRecord) -> CustomerRecord {
        var c = c
        c.sources = []
        c.ref = nil
        return c
    }
}

