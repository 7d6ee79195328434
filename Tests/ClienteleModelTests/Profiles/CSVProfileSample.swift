import ClienteleFormats
import ClienteleIO
import ClienteleModel
import ClienteleTestSupport

/// Reads CSV in a profile's layout the way the import pipeline does: rows grouped into records with
/// the profile's `startsRecord`, each drafted by the profile and mapped by ``CanonicalMapper``, the
/// draft's own issues first; a record that maps cleanly gets its ref and source as the pipeline
/// gives them (system = the profile's name).
struct CSVProfileSample {
    struct Record {
        /// The line of the record's first row.
        var line: Int
        var group: CSVRowGroup
        var mapped: MappedRecord

        var customer: CustomerRecord { mapped.customer }
        /// `code field` of every issue.
        var issueList: [String] { mapped.issueList }
    }

    let profile: any CustomerProfile
    let header: [String]
    let records: [Record]

    /// A sample file under `SampleData/profiles/`.
    init(_ relativePath: String, profile: any CustomerProfile) throws {
        let path = TestPaths.sampleData + "/profiles/" + relativePath
        try self.init(source: try FileByteSource(path: path), profile: profile, file: relativePath)
    }

    /// CSV text, e.g. an export written back out.
    init(text: [UInt8], profile: any CustomerProfile, file: String = "export.csv") throws {
        try self.init(source: ChunkedByteSource(text, randomChunksUpTo: 97, seed: 7), profile: profile, file: file)
    }

    private init(source: ByteSource, profile: any CustomerProfile, file: String) throws {
        self.profile = profile
        let reader = try CSVReader(source: source, options: CSVOptions(delimiter: profile.input.delimiter))
        header = reader.header
        let columns = CSVColumns(reader.header)
        var groups: [(Int, [[String]])] = []
        while let record = try reader.next() {
            precondition(record.defect == nil, "sample row at line \(record.position.line): \(record.defect!)")
            if groups.isEmpty || profile.startsRecord(CSVRow(columns: columns, fields: record.fields)) {
                groups.append((record.position.line, [record.fields]))
            } else {
                groups[groups.count - 1].1.append(record.fields)
            }
        }
        records = groups.map { line, rows in
            let group = CSVRowGroup(columns: columns, rows: rows)
            return Record(line: line, group: group, mapped: Self.map(group, profile: profile, file: file, line: line))
        }
    }

    static func map(_ group: CSVRowGroup, profile: any CustomerProfile, file: String, line: Int) -> MappedRecord {
        let draft = profile.draft(from: .rows(group))
        var mapped = CanonicalMapper().map(draft.tree)
        mapped.issues = draft.issues + mapped.issues
        if !mapped.hasErrors, mapped.customer.ref == nil, let id = mapped.sourceID {
            mapped.customer.ref = CustomerRefKey.builtIn.ref(system: profile.name, sourceID: id)
            mapped.customer.sources = [SourceReference(system: profile.name, id: id, file: file, line: line)]
        }
        return mapped
    }

    /// The record whose source id is `id`.
    func record(_ id: String) -> Record {
        guard let r = records.first(where: { $0.mapped.sourceID == id }) else { fatalError("no record \(id) in sample") }
        return r
    }

    /// The records that map without errors.
    var clean: [Record] { records.filter { !$0.mapped.hasErrors } }

    /// The customers written in the profile's export layout, as CSV text (formula-guarded, as
    /// `export` writes people's CSV).
    static func exportText(_ customers: [CustomerRecord], profile: any CustomerProfile) -> [UInt8] {
        guard case let .csv(header, delimiter) = profile.export else { fatalError("\(profile.name) does not export CSV") }
        var encoder = CSVRecordEncoder(delimiter: delimiter, guardFormulas: true)
        encoder.appendRecord(header)
        for customer in customers {
            guard case let .rows(rows) = profile.exportRecord(customer) else { fatalError("CSV profiles export rows") }
            for row in rows {
                precondition(row.count == header.count, "\(profile.name): a row of \(row.count) cells under \(header.count) columns")
                encoder.appendRecord(row)
            }
        }
        return encoder.bytes
    }

    /// The rows `profile` exports for one customer.
    static func exportRows(_ customer: CustomerRecord, profile: any CustomerProfile) -> [[String]] {
        guard case let .rows(rows) = profile.exportRecord(customer) else { fatalError("CSV profiles export rows") }
        return rows
    }

    /// Exports `customers`, reads the file back with the same profile: the customers again, in order.
    static func roundTrip(_ customers: [CustomerRecord], profile: any CustomerProfile) throws -> [CustomerRecord] {
        let again = try CSVProfileSample(text: exportText(customers, profile: profile), profile: profile)
        for r in again.records where r.mapped.hasErrors { fatalError("re-read record at line \(r.line): \(r.issueList)") }
        return again.records.map { r in
            var c = r.customer
            // Provenance differs by file and line only; keep the original's so the rest can be compared.
            if let original = customers.first(where: { $0.ref == c.ref }) { c.sources = original.sources }
            return c
        }
    }
}

extension Array where Element == [String] {
    /// One column's cells, by header name.
    func column(_ name: String, in header: [String]) -> [String] {
        let k = header.firstIndex(of: name)!
        return map { $0[k] }
    }
}
