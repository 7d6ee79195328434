import ClienteleFormats
import ClienteleIO
import ClienteleModel

/// One record as read from an input, before mapping.
struct InputRecord: @unchecked Sendable {
    enum Content {
        /// A CSV row's cells, with the plan that folds them into a tree.
        case csv(fields: [String], header: [String], plan: CSVColumnPlan)
        /// A JSON (or XML) record, already a tree.
        case tree(JSONValue)
    }

    var position: SourcePosition
    var content: Content
    var defect: RecordDefect?

    /// The record in the nested shape the mappers read (built here, on the thread that maps it).
    var tree: JSONValue {
        switch content {
        case let .csv(fields, _, plan): return plan.tree(for: fields)
        case let .tree(value): return value
        }
    }

    /// The record as the input had it (a CSV row's own columns, a JSON object), for the rejects
    /// file. Built only when asked: most records never need it.
    func raw() -> JSONValue {
        switch content {
        case let .csv(fields, header, _): return .object(zip(header, fields).map { JSONMember($0, .string($1)) })
        case let .tree(value): return value
        }
    }
}

/// Opens one input (file or `-`), detects gzip and the format from its content, and hands out its
/// records in one shape whatever the format.
final class InputRecordStream {
    enum Reader {
        case csv(CSVReader, CSVColumnPlan)
        case json(JSONRecordReader)
        case xml(XMLRecordReader)
    }

    let path: String
    let opened: OpenedInput
    private let reader: Reader

    /// The CSV header, for CSV inputs (the rejects CSV repeats the input's own columns).
    var csvHeader: [String]? {
        if case let .csv(r, _) = reader { return r.header }
        return nil
    }

    var formatName: String {
        switch reader {
        case .csv: return "csv"
        case let .json(r): return r.layout == .lines ? "jsonl" : "json"
        case .xml: return "xml"
        }
    }

    init(path: String, options: ImportOptions) throws(ClienteleError) {
        self.path = path
        do {
            opened = try OpenedInput.open(path: path)
        } catch {
            throw .io(error)
        }
        do throws(FormatError) {
            switch opened.format {
            case .csv, .empty:
                let csv = try CSVReader(
                    source: opened.source,
                    options: CSVOptions(delimiter: options.delimiter, encoding: options.encoding, maxRecordBytes: options.maxRecordBytes))
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
                    source: opened.source, layout: .customers,
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
            case let .json(r):
                guard let rec = try r.next() else { return nil }
                return InputRecord(position: rec.position, content: .tree(rec.value), defect: rec.defect)
            case let .xml(r):
                guard let rec = try r.next() else { return nil }
                return InputRecord(position: rec.position, content: .tree(rec.value), defect: rec.defect)
            }
        } catch {
            throw .format(error)
        }
    }
}
