import ClienteleFormats
import ClienteleIO
import ClienteleModel

/// One record as read from an input, before mapping.
struct InputRecord: @unchecked Sendable {
    enum Content {
        /// A CSV row's cells, with the plan that folds them into a tree.
        case csv(fields: [String], header: [String], plan: CSVColumnPlan)
        /// A JSON (or XML) record, already a tree; a JSON Lines record's own text too.
        case tree(JSONValue, text: [UInt8]?)
        /// The rows of one record of a profile's CSV layout (one row, or several where the
        /// platform spreads a record over rows).
        case rows(CSVRowGroup)
    }

    var position: SourcePosition
    var content: Content
    var defect: RecordDefect?

    /// The record in the nested shape the mappers read (built here, on the thread that maps it).
    var tree: JSONValue {
        switch content {
        case let .csv(fields, _, plan): return plan.tree(for: fields)
        case let .tree(value, _): return value
        case let .rows(group): return CSVColumnPlan(header: group.columns.names).tree(for: group.rows[0])
        }
    }

    /// The record as a profile reads it.
    var profileRecord: ProfileRecord {
        switch content {
        case let .csv(fields, header, _): return .rows(CSVRowGroup(columns: CSVColumns(header), rows: [fields]))
        case let .tree(value, _): return .tree(value)
        case let .rows(group): return .rows(group)
        }
    }

    /// The record in the form kept for the rejects file while it waits for reconciliation: cells
    /// and a JSON line's text as they are, else the tree (an XML record has no text at hand).
    func kept() -> RawRecord {
        switch content {
        case let .csv(fields, _, _): return .fields(fields)
        case let .rows(group): return .rows(group.rows)
        case let .tree(_, original?): return .json(original)
        case let .tree(value, nil): return .tree(value)
        }
    }

    /// The record as the input had it (a CSV row's own columns, a JSON object), for the rejects
    /// file. Built only when asked: most records never need it.
    func raw() -> JSONValue {
        switch content {
        case let .csv(fields, header, _): return RawRecord.fields(fields).value(columns: header)
        case let .tree(value, _): return value
        case let .rows(group): return RawRecord.rows(group.rows).value(columns: group.columns.names)
        }
    }
}

/// Opens one input (file or `-`), detects gzip and the format from its content, and hands out its
/// records in one shape whatever the format.
final class InputRecordStream {
    enum Reader {
        case csv(CSVReader, CSVColumnPlan)
        /// CSV in a profile's layout: rows are grouped into records by the profile.
        case profileCSV(CSVReader, CSVColumns, any CustomerProfile)
        case json(JSONRecordReader)
        case xml(XMLRecordReader)
    }

    let path: String
    let opened: OpenedInput
    private let reader: Reader

    /// The CSV header, for CSV inputs (the rejects CSV repeats the input's own columns).
    var csvHeader: [String]? {
        switch reader {
        case let .csv(r, _), let .profileCSV(r, _, _): return r.header
        default: return nil
        }
    }

    /// Columns of a profile's CSV header that the profile does not read.
    var unknownProfileColumns: [String] {
        if case let .profileCSV(_, columns, profile) = reader { return profile.unknownColumns(columns).filter { !Self.rejectsOnlyColumns.contains($0) } }
        return []
    }

    /// A row read ahead while looking for the end of a record that spans rows.
    private var pendingRow: CSVRecord?

    var formatName: String {
        switch reader {
        case .csv, .profileCSV: return "csv"
        case let .json(r): return r.layout == .lines ? "jsonl" : "json"
        case .xml: return "xml"
        }
    }

    private let maxRecordBytes: Int

    init(path: String, options: ImportOptions) throws(ClienteleError) {
        self.path = path
        maxRecordBytes = options.maxRecordBytes
        do {
            opened = try OpenedInput.open(path: path)
        } catch {
            throw .io(error)
        }
        do throws(FormatError) {
            let profile = options.customerProfile
            if let profile {
                let expected: ProfileInput.Format
                switch opened.format {
                case .csv, .empty: expected = .csv
                case .json: expected = .json
                case .xml: expected = .xml
                }
                if profile.input.format != .any, profile.input.format != expected {
                    throw FormatError.malformed(file: path, line: 1, byteOffset: 0,
                        detail: "the \(profile.name) profile reads \(profile.input.format) files; this one is \(expected)")
                }
            }
            switch opened.format {
            case .csv, .empty:
                let csv = try CSVReader(
                    source: opened.source,
                    options: CSVOptions(delimiter: options.delimiter ?? options.customerProfile?.input.delimiter,
                                        encoding: options.encoding, maxRecordBytes: options.maxRecordBytes))
                if let profile, !(profile is CanonicalProfile) {
                    if let problem = profile.headerProblem(CSVColumns(csv.header)) {
                        throw FormatError.badHeader(file: path, detail: problem)
                    }
                    reader = .profileCSV(csv, CSVColumns(csv.header), profile)
                    return
                }
                if csv.header.contains(where: { InputRecordStream.nesting(ofColumn: $0) > InputRecordStream.maxNesting }) {
                    throw FormatError.tooDeep(file: path, line: 1, limit: InputRecordStream.maxNesting)
                }
                // The rejects file's extra columns are not data: a fixed rejects file imports as it is.
                reader = .csv(csv, CSVColumnPlan(header: csv.header.map { InputRecordStream.rejectsOnlyColumns.contains($0) ? "" : $0 }))
            case .json:
                reader = .json(try JSONRecordReader(
                    source: opened.source, maxRecordBytes: options.maxRecordBytes, maxDepth: InputRecordStream.maxNesting))
            case .xml:
                let schema = try options.xsdPath.map { path throws(FormatError) in try XMLSchema(path: path) }
                reader = .xml(try XMLRecordReader(
                    source: opened.source, layout: profile?.input.xmlLayout ?? .customers,
                    options: XMLRecordReader.Options(
                        maxRecordBytes: options.maxRecordBytes, maxDepth: InputRecordStream.maxNesting, schema: schema)))
            }
        } catch {
            throw .format(error)
        }
    }

    static let rejectsOnlyColumns: Set<String> = ["error_codes", "error_messages"]

    /// The deepest nesting a record may have, whatever the format: objects and arrays in a JSON
    /// record (the record itself is level 1), elements in an XML document, or the dotted parts of a CSV column name
    /// (`addresses.0.city` is 3). Deeper input stops the run (exit 65): the mapper and the writers
    /// walk records recursively, and a 300 000-part column name overflowed the stack.
    static let maxNesting = 64

    static func nesting(ofColumn name: String) -> Int {
        var parts = 1
        for b in name.utf8 where b == UInt8(ascii: ".") { parts += 1 }
        return parts
    }

    func next() throws(ClienteleError) -> InputRecord? {
        do {
            switch reader {
            case let .csv(r, plan):
                guard let row = try r.next() else { return nil }
                return InputRecord(position: row.position, content: .csv(fields: row.fields, header: r.header, plan: plan), defect: row.defect)
            case let .profileCSV(r, columns, profile):
                return try nextGroup(r, columns, profile)
            case let .json(r):
                guard let rec = try r.next() else { return nil }
                return InputRecord(position: rec.position, content: .tree(rec.value, text: rec.text), defect: rec.defect)
            case let .xml(r):
                guard let rec = try r.next() else { return nil }
                return InputRecord(position: rec.position, content: .tree(rec.value, text: nil), defect: rec.defect)
            }
        } catch {
            throw .format(error)
        }
    }

    /// The most rows one record may span; a longer run of continuation rows is cut into records
    /// (which the profile then rejects), so a hostile file cannot grow one record without bound.
    static let maxRowsPerRecord = 1000

    /// The next record of a profile's CSV: a row, and the rows after it that continue it.
    private func nextGroup(_ r: CSVReader, _ columns: CSVColumns, _ profile: any CustomerProfile) throws(FormatError) -> InputRecord? {
        let first: CSVRecord
        if let pending = pendingRow {
            first = pending
            pendingRow = nil
        } else {
            guard let row = try r.next() else { return nil }
            first = row
        }
        var rows = [first.fields]
        var defect = first.defect
        var bytes = first.fields.reduce(0) { $0 + $1.utf8.count }
        while first.defect == nil, rows.count < Self.maxRowsPerRecord, let row = try r.next() {
            if row.defect != nil || profile.startsRecord(CSVRow(columns: columns, fields: row.fields)) {
                pendingRow = row
                break
            }
            bytes += row.fields.reduce(0) { $0 + $1.utf8.count }
            if bytes > maxRecordBytes {
                defect = defect ?? .malformed(detail: "the record's rows are longer than --max-record-bytes (\(maxRecordBytes) bytes)")
            }
            rows.append(row.fields)
        }
        return InputRecord(position: first.position, content: .rows(CSVRowGroup(columns: columns, rows: rows)), defect: defect)
    }
}
