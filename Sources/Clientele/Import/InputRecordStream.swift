import ClienteleFormats
import ClienteleIO
import ClienteleModel

/// One record as read from an input, before mapping.
struct InputRecord {
    var position: SourcePosition
    /// The record in the nested shape the mappers read.
    var tree: JSONValue
    var defect: RecordDefect?
    /// A CSV row's fields and header; `nil` for JSON, whose tree is its raw form.
    var csvRow: (header: [String], fields: [String])?

    /// The record as the input had it (a CSV row's own columns, a JSON object), for the rejects
    /// file. Built only when asked: most records never need it.
    func raw() -> JSONValue {
        guard let (header, fields) = csvRow else { return tree }
        return .object(zip(header, fields).map { JSONMember($0, .string($1)) })
    }
}

/// Opens one input (file or `-`), detects gzip and the format from its content, and hands out its
/// records in one shape whatever the format.
final class InputRecordStream {
    enum Reader {
        case csv(CSVReader, CSVColumnPlan)
        case json(JSONRecordReader)
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
        }
    }

    init(path: String, options: ImportOptions) throws(ClienteleError) {
        self.path = path
        do {
            opened = try OpenedInput.open(path: path)
        } catch {
            throw .io(error)
        }
        do {
            switch opened.format {
            case .csv, .empty:
                let csv = try CSVReader(
                    source: opened.source,
                    options: CSVOptions(delimiter: options.delimiter, encoding: options.encoding, maxRecordBytes: options.maxRecordBytes))
                if csv.header.contains(where: { InputRecordStream.nesting(ofColumn: $0) > InputRecordStream.maxNesting }) {
                    throw ClienteleError.format(.tooDeep(file: path, line: 1, limit: InputRecordStream.maxNesting))
                }
                // The rejects file's extra columns are not data: a fixed rejects file imports as it is.
                reader = .csv(csv, CSVColumnPlan(header: csv.header.map { InputRecordStream.rejectsOnlyColumns.contains($0) ? "" : $0 }))
            case .json:
                reader = .json(try JSONRecordReader(
                    source: opened.source, maxRecordBytes: options.maxRecordBytes, maxDepth: InputRecordStream.maxNesting))
            case .xml:
                throw ClienteleError.unsupportedInput(file: path, detail: "XML input is not supported yet")
            }
        } catch let error as FormatError {
            throw .format(error)
        } catch let error as ClienteleError {
            throw error
        } catch {
            throw .unsupportedInput(file: path, detail: "\(error)")
        }
    }

    static let rejectsOnlyColumns: Set<String> = ["error_codes", "error_messages"]

    /// The deepest nesting a record may have, whatever the format: objects and arrays in a JSON
    /// record (the record itself is level 1), or the dotted parts of a CSV column name
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
                return InputRecord(position: row.position, tree: plan.tree(for: row.fields), defect: row.defect,
                                   csvRow: (r.header, row.fields))
            case let .json(r):
                guard let rec = try r.next() else { return nil }
                return InputRecord(position: rec.position, tree: rec.value, defect: rec.defect)
            }
        } catch {
            throw .format(error)
        }
    }
}
