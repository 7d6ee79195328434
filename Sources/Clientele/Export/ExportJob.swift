import ClienteleFormats
import ClienteleIO
import ClienteleModel
import Logging

/// What `clientele export` is told.
public struct ExportOptions: Sendable {
    /// The archive directory (or its customers file).
    public var archive: String
    /// The platform whose import layout is written.
    public var profile: any CustomerProfile
    /// The file to write; `-` is standard output.
    public var output: String
    public var gzip = false

    public init(archive: String, profile: any CustomerProfile, output: String) {
        self.archive = archive
        self.profile = profile
        self.output = output
    }
}

/// What an export wrote.
public struct ExportSummary: Sendable {
    public var customers = 0
    /// Records written: CSV rows (a customer may take several), JSON objects or XML elements.
    public var records = 0
    public var profile: String
    /// Customers the platform cannot hold (guests where it keeps registered accounts only): not written.
    public var skipped = 0
    /// Characters the layout's encoding cannot hold, written as `?`.
    public var unrepresentable = 0

    /// The line printed on standard error.
    public var line: String {
        "exported \(customers) customer\(customers == 1 ? "" : "s") as \(profile) (\(records) record\(records == 1 ? "" : "s"))"
            + (skipped > 0 ? "; \(skipped) skipped (guests: \(profile) keeps registered accounts only)" : "")
            + (unrepresentable > 0 ? "; \(unrepresentable) character\(unrepresentable == 1 ? "" : "s") the encoding lacks written as ?" : "")
    }
}

/// Writes an archive's customers in a platform's own import layout (`export ARCHIVE --to PROFILE`).
///
/// The archive is streamed one customer at a time (memory does not grow with it); the file is
/// written beside `--out`, mode 0600, and renamed into place only when complete. CSV cells that a
/// spreadsheet would run as a formula get a leading `'` (SPEC §7).
///
/// ```swift
/// var options = ExportOptions(archive: "archive", profile: ProfileCatalog.profile(named: "shopify")!, output: "shopify.csv")
/// let summary = try ExportJob(options: options).run()
/// print(summary.line)   // exported 9 customers as shopify (9 records)
/// ```
public final class ExportJob {
    public let options: ExportOptions
    public var logger = Logger(label: "clientele.export")

    public init(options: ExportOptions) {
        self.options = options
    }

    public func run() throws(ClienteleError) -> ExportSummary {
        let location = try ArchiveLocation(path: options.archive)
        let reader = try ArchiveReader(path: location.customersPath)
        var summary = ExportSummary(profile: options.profile.name)
        let file: StagedFile
        do { file = try StagedFile(finalPath: options.output) } catch { throw .io(error) }
        defer { file.discard() }
        let sink: ByteSink
        do { sink = options.gzip ? try GzipByteSink(wrapping: file.sink) : file.sink } catch { throw .io(error) }
        var buffer: [UInt8] = []
        buffer.reserveCapacity(1 << 17)
        // A layout in a legacy single-byte encoding is written in it (the platform reads it so).
        let encoding = options.profile.input.encoding ?? .utf8
        func flush(force: Bool = false) throws(ClienteleError) {
            guard force || buffer.count >= 1 << 16 else { return }
            let encoded = encoding.encode(utf8: buffer)
            summary.unrepresentable += encoded.unrepresentable
            do { try sink.write(encoded.bytes) } catch { throw .io(error) }
            buffer.removeAll(keepingCapacity: true)
        }

        var csv: CSVRecordEncoder?
        var json = JSONTextWriter(capacity: 16 * 1024)
        var first = true
        switch options.profile.export {
        case let .csv(header, delimiter):
            var encoder = CSVRecordEncoder(delimiter: delimiter, guardFormulas: true)
            encoder.appendRecord(header)
            buffer += encoder.bytes
            encoder.bytes.removeAll(keepingCapacity: true)
            csv = encoder
        case .jsonArray: buffer += Array("[\n".utf8)
        case .jsonLines: break
        case let .xml(prologue, _): buffer += Array(prologue.utf8)
        }
        while let archived = try reader.next() {
            let customer = try archived.record()
            let exported = options.profile.exportRecord(customer)
            // Nothing to write: a customer the platform cannot hold (e.g. a guest where it keeps accounts only).
            var nothing = false
            if case .rows([]) = exported { nothing = true }
            if case .json(.null) = exported { nothing = true }
            if case .xml("") = exported { nothing = true }
            if nothing {
                summary.skipped += 1
                continue
            }
            summary.customers += 1
            switch exported {
            case let .rows(rows):
                guard csv != nil else { throw .usage("the \(options.profile.name) profile wrote CSV rows for a non-CSV layout") }
                for row in rows { csv!.appendRecord(row) }
                buffer += csv!.bytes
                csv!.bytes.removeAll(keepingCapacity: true)
                summary.records += rows.count
            case let .json(value):
                json.removeAll()
                if case .jsonArray = options.profile.export, !first { buffer += Array(",\n".utf8) }
                json.write(value)
                buffer += json.bytes
                if case .jsonLines = options.profile.export { buffer.append(10) }
                summary.records += 1
            case let .xml(text):
                buffer += Array(text.utf8)
                summary.records += 1
            }
            first = false
            try flush()
        }
        switch options.profile.export {
        case .jsonArray: buffer += Array((first ? "]\n" : "\n]\n").utf8)
        case let .xml(_, epilogue): buffer += Array(epilogue.utf8)
        case .csv, .jsonLines: break
        }
        try flush(force: true)
        do {
            if options.gzip { try sink.close() }
            try file.commit()
        } catch {
            throw .io(error)
        }
        logger.info("export written", metadata: ["customers": "\(summary.customers)", "profile": "\(summary.profile)", "output": "\(options.output)"])
        return summary
    }
}
