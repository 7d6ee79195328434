import ClienteleFormats
import ClienteleIO
import ClienteleModel
import Logging

/// What `clientele subject` is told: the access request (SPEC §7).
public struct SubjectOptions: Sendable {
    /// The document's format.
    public enum Format: String, Sendable, CaseIterable {
        case json
        case xml
    }

    /// The archive directory (or a customers file: then there are no crosswalk rows or rejects).
    public var archive: String
    public var query: SubjectQuery
    /// The file to write; `-` is standard output.
    public var output: String
    public var format: Format = .json

    public init(archive: String, query: SubjectQuery, output: String) {
        self.archive = archive
        self.query = query
        self.output = output
    }
}

/// What an access request found.
public struct SubjectSummary: Sendable {
    /// The refs of the customers in the document.
    public var refs: [String] = []
    public var crosswalkRows = 0
    public var rejects = 0
    /// Customers read from the archive.
    public var scanned = 0

    /// The line printed at the end (no personal value: refs and counts only).
    public var line: String {
        "subject: \(refs.count) customer\(refs.count == 1 ? "" : "s")" + (refs.isEmpty ? "" : " (\(refs.joined(separator: ", ")))")
            + ", \(crosswalkRows) crosswalk row\(crosswalkRows == 1 ? "" : "s"), \(rejects) rejected record\(rejects == 1 ? "" : "s")"
            + " of \(scanned) customers"
    }
}

/// An access request: one document with everything an archive holds about one person (SPEC §7).
///
/// The document holds every customer matching the email or ref with all its fields, notes and
/// sources (guests merged into it are among its sources), the crosswalk rows of those customers,
/// and the person's rejected records (their data is held too, in `rejects.jsonl`), and nothing
/// about anyone else. The archive is streamed, one customer at a time: only the matches are kept.
///
/// ```swift
/// let options = SubjectOptions(archive: "archive", query: try SubjectQuery(email: "ann@example.com", ref: nil),
///                              output: "ann.json")
/// let summary = try SubjectJob(options: options).run()
/// print(summary.line)     // subject: 1 customer (C06Z…), 3 crosswalk rows, 1 rejected record of 9 customers
/// ```
///
/// The JSON document:
/// `{"request": {"type": "access", "email"|"ref": …}, "archive": …, "customers": [canonical records],
/// "crosswalk": [{system, source_id, file, line, ref, disposition}], "rejects": [lines of rejects.jsonl]}`.
public final class SubjectJob {
    public let options: SubjectOptions
    /// Where progress goes; never given a record value.
    public var logger = Logger(label: "clientele", factory: { _ in SwiftLogNoOpLogHandler() })

    public init(options: SubjectOptions) {
        self.options = options
    }

    /// Runs the request and writes the document (renamed into place when complete).
    ///
    /// - Throws: ``ClienteleError`` (66 archive missing, 65 archive unreadable, 73 output).
    public func run() throws(ClienteleError) -> SubjectSummary {
        let location = try ArchiveLocation(path: options.archive)
        logger.info("access request started", metadata: ["archive": "\(options.archive)", "by": "\(options.query)"])
        var summary = SubjectSummary()
        var customers: [JSONValue] = []
        var traces = SubjectTraces(query: options.query)

        let reader = try ArchiveReader(path: location.customersPath)
        while let customer = try reader.next() {
            guard options.query.matches(customer) else { continue }
            let record = try customer.record()
            traces.add(record)
            customers.append(try customer.canonical())
            summary.refs.append(customer.ref)
            logger.debug("customer matched", metadata: ["ref": "\(customer.ref)", "line": "\(customer.position.line)"])
        }
        summary.scanned = reader.count

        let crosswalk = try Self.crosswalkRows(of: Set(summary.refs), in: location)
        summary.crosswalkRows = crosswalk.count
        var rejects: [JSONValue] = []
        if let path = location.rejectsPath {
            try Self.forEachReject(in: path) { entry in
                if traces.concerns(reject: entry) { rejects.append(entry) }
            }
        }
        summary.rejects = rejects.count

        var request: [JSONMember] = [JSONMember("type", .string("access"))]
        switch options.query {
        case let .email(e): request.append(JSONMember("email", .string(e.value)))
        case let .ref(r): request.append(JSONMember("ref", .string(r.value)))
        }
        let document = JSONValue.object([
            JSONMember("request", .object(request)),
            JSONMember("archive", .string(options.archive)),
            JSONMember("customers", .array(customers)),
            JSONMember("crosswalk", .array(crosswalk)),
            JSONMember("rejects", .array(rejects)),
        ])
        let bytes: [UInt8]
        switch options.format {
        case .json:
            var writer = JSONPrettyWriter()
            writer.write(document)
            bytes = writer.bytes + [10]
        case .xml:
            var writer = SubjectXMLWriter()
            writer.writeDocument(document)
            bytes = writer.bytes
        }
        do {
            let file = try StagedFile(finalPath: options.output)
            try file.sink.write(bytes)
            try file.commit()
        } catch {
            throw .io(error)
        }
        logger.info("access request written", metadata: ["customers": "\(summary.refs.count)", "crosswalkRows": "\(summary.crosswalkRows)",
                                                        "rejects": "\(summary.rejects)", "output": "\(options.output)"])
        return summary
    }

    /// The crosswalk rows of `refs`, as objects (one pass over `crosswalk.csv`).
    static func crosswalkRows(of refs: Set<String>, in location: ArchiveLocation) throws(ClienteleError) -> [JSONValue] {
        guard !refs.isEmpty, let path = location.crosswalkPath else { return [] }
        var rows: [JSONValue] = []
        try CrosswalkFile.forEachRow(in: path) { row in
            guard refs.contains(row.ref) else { return }
            rows.append(.object([
                JSONMember("system", .string(row.fields[0])), JSONMember("source_id", .string(row.fields[1])),
                JSONMember("file", .string(row.fields[2])), JSONMember("line", Int(row.fields[3]).map { .number(String($0)) } ?? .string(row.fields[3])),
                JSONMember("ref", .string(row.ref)), JSONMember("disposition", .string(row.fields[5])),
            ]))
        }
        return rows
    }

    /// Calls `body` with each line of a `rejects.jsonl`, streaming.
    static func forEachReject(in path: String, _ body: (JSONValue) throws(ClienteleError) -> Void) throws(ClienteleError) {
        do {
            let opened = try OpenedInput.open(path: path)
            guard opened.format != .empty else { return }
            let reader = try JSONRecordReader(source: opened.source, maxRecordBytes: ArchiveReader.maxRecordBytes)
            while let record = try reader.next() {
                if let defect = record.defect {
                    throw ClienteleError.format(.malformed(file: path, line: record.position.line, byteOffset: record.position.byteOffset,
                                                           detail: defect.description))
                }
                try body(record.value)
            }
        } catch {
            throw ClienteleError(wrapping: error, file: path)
        }
    }
}
