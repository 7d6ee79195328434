#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ClienteleFormats
import ClienteleIO
import ClienteleModel
import Logging

/// What `clientele erase` is told: the erasure request (SPEC §7).
public struct EraseOptions: Sendable {
    /// The archive directory to erase from (it is read, never changed).
    public var archive: String
    public var query: SubjectQuery
    /// The new archive; it may be `archive` itself, which is then replaced whole when complete.
    public var outputDirectory: String
    /// The `anonymizedAt` of newly erased customers; `nil` is now.
    public var anonymizedAt: Timestamp?
    /// zlib level when the customers file is gzipped.
    public var gzipLevel: Int32 = 6

    public init(archive: String, query: SubjectQuery, outputDirectory: String) {
        self.archive = archive
        self.query = query
        self.outputDirectory = outputDirectory
    }
}

/// What an erasure did.
public struct EraseSummary: Sendable {
    /// The refs of the customers anonymized (also listed in the report).
    public var erasedRefs: [String] = []
    /// Rejected records of the person dropped from `rejects.jsonl` (and `rejects.csv`).
    public var rejectsRemoved = 0
    /// Customers in the archive.
    public var customers = 0
    public var wallSeconds: Double = 0

    /// The line printed at the end (refs and counts only, never the person's data).
    public var line: String {
        let who = erasedRefs.isEmpty ? "no customer matched" : "erased \(erasedRefs.count) customer\(erasedRefs.count == 1 ? "" : "s") (\(erasedRefs.joined(separator: ", ")))"
        return who + ", \(rejectsRemoved) rejected record\(rejectsRemoved == 1 ? "" : "s") removed, \(customers) customers"
    }
}

// Invariants:
// - The source archive is only read. The new one is staged beside --out and moved into place
//   whole; on any error nothing appears there (or the archive there stays as it was).
// - Customers that do not match are written back unchanged: for JSON Lines as the same text, for
//   CSV as the same cells (the same bytes too, unless an erased customer needs a column the header
//   lacks, such as `anonymizedAt`; the other rows then get an empty cell there).
// - Memory holds the matched customers only: both passes over the customers file stream.

/// An erasure request: a new archive in which the customers matching an email or ref are
/// anonymized (see ``Anonymizer`` for exactly what is removed and kept).
///
/// Besides the customers file, the new archive's `crosswalk.csv` keeps the erased customers' rows
/// (ref, system, file, line and disposition) with the source id replaced by `erased`; the person's
/// rejected records are dropped from `rejects.jsonl` and `rejects.csv` (a rejected record is their
/// data too) and taken out of the report's counts; `report.json` gets `"command": "erase"` and an
/// `erasures` entry listing the refs erased, when, and how many rejects went. Idempotent: erasing an
/// erased customer changes nothing, and by `--email` it no longer matches at all.
///
/// ```swift
/// var options = EraseOptions(archive: "archive", query: try SubjectQuery(email: "ann@example.com", ref: nil),
///                            outputDirectory: "archive-erased")
/// let summary = try EraseJob(options: options).run()
/// print(summary.line)    // erased 1 customer (C06Z…), 1 rejected record removed, 9 customers
/// ```
public final class EraseJob {
    public let options: EraseOptions
    /// Where progress goes; never given a record value.
    public var logger = Logger(label: "clientele", factory: { _ in SwiftLogNoOpLogHandler() })
    private let clock = ContinuousClock()

    public init(options: EraseOptions) {
        self.options = options
    }

    /// Runs the erasure.
    ///
    /// - Throws: ``ClienteleError``: 66 when the archive or its report is missing, 65 when it cannot
    ///   be read, 73 when the new archive cannot be written.
    public func run() throws(ClienteleError) -> EraseSummary {
        let started = clock.now
        let location = try ArchiveLocation(path: options.archive)
        guard let directory = location.directory else {
            throw .usage("erase needs an archive directory, not a customers file: the crosswalk, rejects and report change too")
        }
        guard let reportPath = location.reportPath else {
            throw .io(.cannotOpen(path: directory + "/" + ArchiveLayout.report, errno: ENOENT))
        }
        let out = options.outputDirectory
        if FileSystem.exists(out), !FileSystem.isDirectory(out) {
            throw .outputInUse(path: out, detail: "exists and is not a directory")
        }
        if FileSystem.isDirectory(out), !FileSystem.exists(out + "/" + ArchiveLayout.report), !FileSystem.isEmptyDirectory(out) {
            throw .outputInUse(path: out, detail: "exists and is not a Clientele archive; refusing to replace it")
        }
        logger.info("erasure started", metadata: ["archive": "\(directory)", "by": "\(options.query)"])
        var report = try ArchiveReportEditor(path: reportPath)
        let time = options.anonymizedAt ?? UTCTime.now()

        // Pass 1: find the person, anonymize them, learn what else identifies them.
        var erased: [String: JSONValue] = [:]
        var summary = EraseSummary()
        var traces = SubjectTraces(query: options.query)
        var erasedColumns = Set<String>()
        let first = try ArchiveReader(path: location.customersPath)
        while let customer = try first.next() {
            guard options.query.matches(customer) else { continue }
            let record = try customer.record()
            traces.add(record)
            let anonymized = Anonymizer.anonymize(record, at: time).jsonValue
            erased[customer.ref] = anonymized
            summary.erasedRefs.append(customer.ref)
            for (column, _) in FlatColumns.flatten(anonymized) { erasedColumns.insert(column) }
            logger.debug("customer erased", metadata: ["ref": "\(customer.ref)", "line": "\(customer.position.line)"])
        }
        summary.customers = first.count

        let staging: StagingDirectory
        do { staging = try StagingDirectory(finalPath: out) } catch { throw .io(error) }
        do throws(ClienteleError) {
            var outputs = [location.customersFileName]
            try writeCustomers(location, erased: erased, columns: erasedColumns, to: staging.path + "/" + location.customersFileName)
            if let crosswalk = location.crosswalkPath {
                try copyCrosswalk(crosswalk, erased: erased, to: staging.path + "/" + ArchiveLayout.crosswalk)
                outputs.append(ArchiveLayout.crosswalk)
            }
            var droppedCSVRows = Set<Int>()
            if let rejects = location.rejectsPath {
                try filterRejects(rejects, traces: traces, csvInputs: report.csvInputs, report: &report, summary: &summary,
                                  droppedCSVRows: &droppedCSVRows, to: staging.path + "/" + ArchiveLayout.rejectsJSONL)
                outputs.append(ArchiveLayout.rejectsJSONL)
            }
            if let rejectsCSV = location.rejectsCSVPath {
                try filterRejectsCSV(rejectsCSV, dropping: droppedCSVRows, to: staging.path + "/" + ArchiveLayout.rejectsCSV)
                outputs.append(ArchiveLayout.rejectsCSV)
            }
            var by: [JSONMember] = [JSONMember("at", .string(time.description)), JSONMember("by", .string(options.query.description)),
                                    JSONMember("refs", .array(summary.erasedRefs.map { .string($0) })),
                                    JSONMember("rejectsRemoved", .number(String(summary.rejectsRemoved)))]
            if directory != out { by.append(JSONMember("from", .string(directory))) }
            report.append(to: "erasures", .object(by))
            summary.wallSeconds = seconds(since: started)
            let rate = summary.wallSeconds > 0 ? (Double(summary.customers) / summary.wallSeconds * 10).rounded() / 10 : 0
            let timing = JSONValue.object([JSONMember("wallSeconds", .number(String((summary.wallSeconds * 1000).rounded() / 1000))),
                                           JSONMember("recordsPerSecond", .number(String(rate)))])
            do {
                try report.write(to: staging.path + "/" + ArchiveLayout.report, command: "erase", directory: staging.path,
                                 outputNames: outputs, timing: timing)
                try staging.commit()
            } catch {
                throw ClienteleError.io(error)
            }
        } catch {
            staging.discard()
            throw error
        }
        logger.info("erasure finished", metadata: ["erased": "\(summary.erasedRefs.count)", "rejectsRemoved": "\(summary.rejectsRemoved)",
                                                  "customers": "\(summary.customers)", "out": "\(out)"])
        return summary
    }

    // MARK: - Files

    private func writeCustomers(_ location: ArchiveLocation, erased: [String: JSONValue], columns erasedColumns: Set<String>,
                                to path: String) throws(ClienteleError) {
        let reader = try ArchiveReader(path: location.customersPath)
        do {
            let file = try FileByteSink(path: path)
            let sink: ByteSink = reader.isGzip ? try GzipByteSink(wrapping: file, level: options.gzipLevel) : file
            if let header = reader.csvHeader {
                let union = Set(header).union(erasedColumns)
                let columns = union.count == header.count ? header : FlatColumns.canonicalOrder(union)
                let sameHeader = columns == header
                // Where each output column comes from in the input row (once, not per row).
                let position = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
                let sourceIndex = columns.map { position[$0] }
                var csv = CSVWriter(sink: sink)
                try csv.writeRecord(columns)
                while let customer = try reader.next() {
                    if let anonymized = erased[customer.ref] {
                        let cells = Dictionary(FlatColumns.flatten(anonymized), uniquingKeysWith: { $1 })
                        try csv.writeRecord(columns.map { cells[$0] ?? "" })
                    } else if sameHeader, let fields = customer.csvFields {
                        try csv.writeRecord(fields)
                    } else if let fields = customer.csvFields {
                        try csv.writeRecord(sourceIndex.map { $0.map { fields[$0] } ?? "" })
                    }
                }
                try csv.flush()
            } else if reader.format == "xml" {
                let layout = XMLRecordLayout.customers
                var xml = XMLTextWriter(capacity: 64 * 1024)
                xml.writeDeclaration()
                xml.startElement(layout.rootName)
                xml.writeRaw("\n")
                while let customer = try reader.next() {
                    xml.writeRaw("  ")
                    xml.write(erased[customer.ref] ?? customer.tree, as: layout.recordName, layout: layout)
                    xml.writeRaw("\n")
                    if xml.bytes.count >= 60 * 1024 {
                        try sink.write(xml.bytes)
                        xml.removeAll()
                    }
                }
                xml.endElement(layout.rootName)
                xml.writeRaw("\n")
                try sink.write(xml.bytes)
            } else {
                // JSON Lines (written by the same writer as import's, so unchanged customers keep their bytes).
                var json = JSONTextWriter(capacity: 64 * 1024)
                if reader.format == "csv" { json.writeRaw("\n") }  // a CSV archive of no customers: an empty header line
                while let customer = try reader.next() {
                    json.write(erased[customer.ref] ?? customer.tree)
                    json.writeRaw("\n")
                    if json.count >= 60 * 1024 {
                        try sink.write(json)
                        json.removeAll()
                    }
                }
                try sink.write(json)
            }
            try sink.close()
        } catch {
            throw ClienteleError(wrapping: error, file: location.customersPath)
        }
    }

    private func copyCrosswalk(_ path: String, erased: [String: JSONValue], to output: String) throws(ClienteleError) {
        let sink = try mapIO { () throws(IOError) in try FileByteSink(path: output) }
        var csv = CSVWriter(sink: sink)
        try mapIO { () throws(IOError) in try csv.writeRecord(CrosswalkFile.header) }
        try CrosswalkFile.forEachRow(in: path) { row throws(ClienteleError) in
            var fields = row.fields
            if erased[row.ref] != nil { fields[1] = Anonymizer.erasedSourceID }
            try mapIO { () throws(IOError) in try csv.writeRecord(fields) }
        }
        try mapIO { () throws(IOError) in
            try csv.flush()
            try sink.close()
        }
    }

    /// Copies `rejects.jsonl` without the person's records, taking them out of the report's counts,
    /// and notes which `rejects.csv` rows they were: the k-th reject from a CSV input is row k there.
    private func filterRejects(_ path: String, traces: SubjectTraces, csvInputs: Set<String>, report: inout ArchiveReportEditor,
                               summary: inout EraseSummary, droppedCSVRows: inout Set<Int>, to output: String) throws(ClienteleError) {
        let sink: FileByteSink
        do { sink = try FileByteSink(path: output) } catch { throw .io(error) }
        var json = JSONTextWriter(capacity: 64 * 1024)
        var csvRow = 0
        try SubjectJob.forEachReject(in: path) { entry throws(ClienteleError) in
            let file = entry["source"]?["file"]?.stringValue ?? ""
            let fromCSV = csvInputs.contains(file)
            defer { if fromCSV { csvRow += 1 } }
            if traces.concerns(reject: entry) {
                var codes: [String] = []
                if case let .array(errors)? = entry["errors"] { codes = errors.compactMap { $0["code"]?.stringValue } }
                report.removeRejected(file: file, codes: codes)
                summary.rejectsRemoved += 1
                if fromCSV { droppedCSVRows.insert(csvRow) }
                logger.debug("rejected record removed", metadata: ["file": "\(file)", "line": "\(entry["source"]?["line"]?.intValue ?? 0)"])
                return
            }
            json.write(entry)
            json.writeRaw("\n")
            if json.count >= 60 * 1024 {
                try mapIO { () throws(IOError) in try sink.write(json) }
                json.removeAll()
            }
        }
        do {
            try sink.write(json)
            try sink.close()
        } catch {
            throw .io(error)
        }
    }

    private func filterRejectsCSV(_ path: String, dropping rows: Set<Int>, to output: String) throws(ClienteleError) {
        do {
            let reader = try CSVReader(source: try FileByteSource(path: path),
                                       options: CSVOptions(delimiter: UInt8(ascii: ","), maxRecordBytes: ArchiveReader.maxRecordBytes))
            let sink = try FileByteSink(path: output)
            // Rows are copied as read: cells already carry their formula guard, and guarding again changes nothing.
            var csv = CSVWriter(sink: sink, guardFormulas: true)
            try csv.writeRecord(reader.header)
            var index = 0
            while let row = try reader.next() {
                if !rows.contains(index) { try csv.writeRecord(row.fields) }
                index += 1
            }
            try csv.flush()
            try sink.close()
        } catch {
            throw ClienteleError(wrapping: error, file: path)
        }
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = clock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }
}
