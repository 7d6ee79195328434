import ClienteleFormats
import ClienteleIO
import ClienteleModel

/// Writes the customers file of an archive in the chosen format, one canonical record at a time.
final class CustomerFileWriter {
    private let sink: ByteSink
    private var json = JSONTextWriter(capacity: 64 * 1024)
    private var csv: CSVWriter?
    private var xml: XMLTextWriter?
    private let columns: [String]

    /// - Parameters:
    ///   - columns: for CSV, the header (every flat column any customer has, canonical order).
    init(path: String, format: ImportOptions.OutputFormat, gzip: Bool, gzipLevel: Int32, columns: [String]) throws(IOError) {
        let file = try FileByteSink(path: path)
        sink = gzip ? try ParallelGzipByteSink(wrapping: file, level: gzipLevel) : file
        self.columns = columns
        if format == .csv {
            var writer = CSVWriter(sink: sink)
            try writer.writeRecord(columns)
            csv = writer
        } else if format == .xml {
            // One <customer> per line, so a record's line is easy to find (and to diff).
            var writer = XMLTextWriter(capacity: 64 * 1024)
            writer.writeDeclaration()
            writer.startElement(XMLRecordLayout.customers.rootName)
            writer.writeRaw("\n")
            xml = writer
        }
    }

    func write(_ customer: JSONValue) throws(IOError) {
        if csv != nil {
            var byColumn: [String: String] = [:]
            for (column, value) in FlatColumns.flatten(customer) { byColumn[column] = value }
            try csv!.writeRecord(columns.map { byColumn[$0] ?? "" })
        } else if xml != nil {
            xml!.writeRaw("  ")
            xml!.write(customer, as: XMLRecordLayout.customers.recordName, layout: .customers)
            xml!.writeRaw("\n")
            if xml!.bytes.count >= 60 * 1024 {
                try sink.write(xml!.bytes)
                xml!.removeAll()
            }
        } else {
            json.write(customer)
            json.writeRaw("\n")
            if json.count >= 60 * 1024 {
                try sink.write(json)
                json.removeAll()
            }
        }
    }

    /// Writes a customer given as its canonical JSON text (as the ref buckets hold it).
    func write(text: ArraySlice<UInt8>) throws(IOError) {
        if csv != nil || xml != nil {
            guard let value = try? JSONDocument.parse(Array(text)) else { return }
            try write(value)
        } else {
            json.buffer.append(contentsOf: text)
            json.buffer.append(10)
            if json.count >= 60 * 1024 {
                try sink.write(json)
                json.removeAll()
            }
        }
    }

    func close() throws(IOError) {
        if csv != nil { try csv!.flush() }
        if xml != nil {
            xml!.endElement(XMLRecordLayout.customers.rootName)
            xml!.writeRaw("\n")
            try sink.write(xml!.bytes)
            xml!.removeAll()
        }
        if !json.isEmpty {
            try sink.write(json)
            json.removeAll()
        }
        try sink.close()
    }
}
