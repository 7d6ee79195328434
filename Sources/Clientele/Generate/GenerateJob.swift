import ClienteleFormats
import ClienteleIO
import ClienteleModel

/// `clientele generate`: writes `count` generated records as CSV, JSON Lines or XML, optionally gzipped.
///
/// The three formats hold the same accounts (the same generator output), so importing any of them
/// gives the same customers but for provenance.
public struct GenerateJob {
    public enum Format: String, Sendable, CaseIterable {
        case csv
        case jsonl
        case xml
    }

    public var count: Int
    public var format: Format
    public var seed: UInt64
    public var output: String
    public var gzip: Bool

    public init(count: Int, format: Format, seed: UInt64, output: String, gzip: Bool) {
        self.count = count
        self.format = format
        self.seed = seed
        self.output = output
        self.gzip = gzip
    }

    public func run() throws(ClienteleError) {
        var generator = CustomerGenerator(seed: seed)
        do {
            let file = try FileByteSink(path: output)
            let sink: ByteSink = gzip ? try GzipByteSink(wrapping: file, level: 1) : file
            switch format {
            case .csv:
                var csv = CSVWriter(sink: sink)
                try csv.writeRecord(CustomerGenerator.csvColumns)
                for _ in 0..<count {
                    var byColumn: [String: String] = [:]
                    for (column, value) in FlatColumns.flatten(generator.next()) { byColumn[column] = value }
                    try csv.writeRecord(CustomerGenerator.csvColumns.map { byColumn[$0] ?? "" })
                }
                try csv.flush()
            case .jsonl:
                var json = JSONTextWriter(capacity: 1 << 16)
                for _ in 0..<count {
                    json.write(generator.next())
                    json.writeRaw("\n")
                    if json.count > 60_000 {
                        try sink.write(json)
                        json.removeAll()
                    }
                }
                try sink.write(json)
            case .xml:
                let layout = XMLRecordLayout.customers
                var xml = XMLTextWriter(capacity: 1 << 16)
                xml.writeDeclaration()
                xml.startElement(layout.rootName)
                xml.writeRaw("\n")
                for _ in 0..<count {
                    xml.writeRaw("  ")
                    xml.write(generator.next(), as: layout.recordName, layout: layout)
                    xml.writeRaw("\n")
                    if xml.bytes.count > 60_000 {
                        try sink.write(xml.bytes)
                        xml.removeAll()
                    }
                }
                xml.endElement(layout.rootName)
                xml.writeRaw("\n")
                try sink.write(xml.bytes)
            }
            try sink.close()
        } catch {
            throw .io(error)
        }
    }
}
