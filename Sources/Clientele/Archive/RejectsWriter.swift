import ClienteleFormats
import ClienteleIO

/// Writes `rejects.jsonl` (every rejected record with its reasons) and, when any input was CSV,
/// `rejects.csv`: the input's own columns plus `error_codes` and `error_messages`, fixable and
/// fed back to `import` as it is. Spreadsheet formulas are neutralized (SPEC §7); the reader
/// undoes that guard on the way back in.
final class RejectsWriter {
    private let jsonl: FileByteSink
    private var json = JSONTextWriter(capacity: 64 * 1024)
    private let csvSink: FileByteSink?
    private var csv: CSVWriter?
    private let csvColumns: [String]
    private let inputs: [String]

    init(directory: String, csvColumns: [String]?, inputs: [String], delimiter: UInt8 = UInt8(ascii: ",")) throws(IOError) {
        jsonl = try FileByteSink(path: directory + "/" + ArchiveLayout.rejectsJSONL)
        self.inputs = inputs
        self.csvColumns = csvColumns ?? []
        if let csvColumns {
            let sink = try FileByteSink(path: directory + "/" + ArchiveLayout.rejectsCSV)
            csvSink = sink
            var writer = CSVWriter(sink: sink, delimiter: delimiter, guardFormulas: true)
            try writer.writeRecord(csvColumns + ["error_codes", "error_messages"])
            csv = writer
        } else {
            csvSink = nil
        }
    }

    func write(_ entry: RejectEntry) throws(IOError) {
        let errors: JSONValue = .array(entry.issues.map {
            .object([JSONMember("code", .string($0.code.rawValue)), JSONMember("field", .string($0.field)),
                     JSONMember("message", .string($0.message))])
        })
        let source: JSONValue = .object([JSONMember("file", .string(inputs[entry.fileIndex])),
                                         JSONMember("line", .number(String(entry.line))),
                                         JSONMember("record", .number(String(entry.record)))])
        json.write(.object([JSONMember("source", source), JSONMember("errors", errors), JSONMember("raw", entry.raw)]))
        json.writeRaw("\n")
        if json.count > 60 * 1024 {
            try jsonl.write(json)
            json.removeAll()
        }
        guard entry.isCSV, csv != nil else { return }
        // A record that spans rows (Magento's extra address rows) comes back as all its rows, the
        // reasons on the first: the rows feed back to `import` as one record again.
        let rows: [JSONValue]
        switch entry.raw {
        case .object: rows = [entry.raw]
        case let .array(items): rows = items
        default: return
        }
        let codes = entry.issues.map(\.code.rawValue).joined(separator: ";")
        let messages = entry.issues.map { $0.field.isEmpty ? $0.message : "\($0.field): \($0.message)" }.joined(separator: "; ")
        for (k, row) in rows.enumerated() {
            guard case let .object(members) = row else { continue }
            var byColumn: [String: String] = [:]
            for m in members { if case let .string(s) = m.value { byColumn[m.key] = s } }
            try csv!.writeRecord(csvColumns.map { byColumn[$0] ?? "" } + (k == 0 ? [codes, messages] : ["", ""]))
        }
    }

    func close() throws(IOError) {
        try jsonl.write(json)
        json.removeAll()
        try jsonl.close()
        if csv != nil { try csv!.flush() }
        try csvSink?.close()
    }
}
