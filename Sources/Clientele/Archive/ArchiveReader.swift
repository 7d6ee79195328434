import ClienteleFormats
import ClienteleIO
import ClienteleModel

/// Streams the customers of an archive in file order, whatever the customers file's format
/// (JSON Lines, CSV or XML, gzipped or not; the format and gzip are detected from the content).
///
/// Holds one record at a time: memory does not grow with the archive (SPEC §3). With
/// `checkingOrder`, it also verifies what merge-joins rely on: refs strictly ascending (as
/// `import` writes them), and stops with a clear error where they are not.
///
/// ```swift
/// let reader = try ArchiveReader(path: try ArchiveLocation(path: "archive").customersPath)
/// while let customer = try reader.next() { print(customer.ref) }
/// ```
public final class ArchiveReader {
    private enum Source {
        case json(JSONRecordReader)
        case xml(XMLRecordReader)
        /// The reader, the header's plan, and the columns of `ref` and `email`.
        case csv(CSVReader, CSVColumnPlan, ref: Int?, email: Int?)
        case empty
    }

    /// The customers file.
    public let path: String
    /// Whether it was gzipped.
    public let isGzip: Bool
    /// `jsonl`, `csv` or `xml` (by content).
    public let format: String
    /// The header of a CSV customers file.
    public var csvHeader: [String]? {
        if case let .csv(reader, _, _, _) = source { return reader.header }
        return nil
    }
    /// Customers read so far.
    public private(set) var count = 0
    private let source: Source
    private let checkingOrder: Bool
    private var lastRef: [UInt8] = []

    /// The largest customer line accepted: a customer with many folded guests outgrows one input record.
    static let maxRecordBytes = 16 << 20

    /// Opens the customers file at `path`.
    ///
    /// - Throws: ``ClienteleError/io(_:)`` when it cannot be opened or read (66; a corrupt gzip
    ///   stream 65) and ``ClienteleError/format(_:)`` when it is not a customers file.
    public init(path: String, checkingOrder: Bool = false) throws(ClienteleError) {
        self.path = path
        self.checkingOrder = checkingOrder
        let opened: OpenedInput
        do { opened = try OpenedInput.open(path: path) } catch { throw .io(error) }
        isGzip = opened.isGzip
        do throws(FormatError) {
            switch opened.format {
            case .json:
                source = .json(try JSONRecordReader(source: opened.source, maxRecordBytes: ArchiveReader.maxRecordBytes))
                format = "jsonl"
            case .csv:
                let csv = try CSVReader(source: opened.source,
                                        options: CSVOptions(delimiter: UInt8(ascii: ","), maxRecordBytes: ArchiveReader.maxRecordBytes))
                source = .csv(csv, CSVColumnPlan(header: csv.header), ref: csv.header.firstIndex(of: "ref"),
                              email: csv.header.firstIndex(of: "email"))
                format = "csv"
            case .empty:
                source = .empty
                format = path.contains(".csv") ? "csv" : "jsonl"
            case .xml:
                source = .xml(try XMLRecordReader(source: opened.source, layout: .customers,
                                                  options: XMLRecordReader.Options(maxRecordBytes: ArchiveReader.maxRecordBytes)))
                format = "xml"
            }
        } catch {
            throw .format(error)
        }
    }

    /// The next customer, or `nil` at the end of the file.
    ///
    /// - Throws: ``ClienteleError/format(_:)`` (exit 65) for a line that is not a customer with a
    ///   ref, or, when checking order, a ref that is not greater than the one before it.
    public func next() throws(ClienteleError) -> ArchiveCustomer? {
        let customer: ArchiveCustomer
        do {
            switch source {
            case .empty:
                return nil
            case let .json(reader):
                guard let record = try reader.next() else { return nil }
                if let defect = record.defect { throw corrupt(record.position, defect.description) }
                guard case .object = record.value, let ref = record.value["ref"]?.stringValue else { throw noRef(record.position) }
                customer = ArchiveCustomer(position: record.position, ref: try checked(ref, record.position),
                                           email: record.value["email"]?.stringValue, value: record.value, file: path)
            case let .xml(reader):
                guard let record = try reader.next() else { return nil }
                if let defect = record.defect { throw corrupt(record.position, defect.description) }
                guard case .object = record.value, let ref = record.value["ref"]?.stringValue else { throw noRef(record.position) }
                // XML holds text only: the canonical mapper gives back the typed record the JSON form
                // holds (normalization is idempotent on an archive's own output).
                let mapped = CanonicalMapper().map(record.value)
                if mapped.hasErrors { throw corrupt(record.position, mapped.errors.map(\.message).joined(separator: "; ")) }
                let value = mapped.customer.jsonValue
                customer = ArchiveCustomer(position: record.position, ref: try checked(ref, record.position),
                                           email: value["email"]?.stringValue, value: value, file: path)
            case let .csv(reader, plan, refColumn, emailColumn):
                guard let row = try reader.next() else { return nil }
                if let defect = row.defect { throw corrupt(row.position, defect.description) }
                // ref and email straight from their cells: the tree is built only if the record is needed.
                guard let refColumn else { throw noRef(row.position) }
                let email = emailColumn.map { row.fields[$0] }.flatMap { $0.isEmpty ? nil : $0 }
                customer = ArchiveCustomer(position: row.position, ref: try checked(row.fields[refColumn], row.position),
                                           email: email, fields: row.fields, plan: plan, file: path)
            }
        } catch let error as FormatError {
            throw .format(error)
        } catch let error as ClienteleError {
            throw error
        } catch {
            throw .unsupportedInput(file: path, detail: "\(error)")
        }
        count += 1
        if checkingOrder {
            let ref = Array(customer.ref.utf8)
            if count > 1 && !lastRef.lexicographicallyPrecedes(ref) {
                throw corrupt(customer.position, "refs are not in ascending order ('\(customer.ref)' after '\(String(decoding: lastRef, as: UTF8.self))'); "
                              + "an archive's customers file is sorted by ref, as import writes it")
            }
            lastRef = ref
        }
        return customer
    }

    private func checked(_ ref: String, _ position: SourcePosition) throws(ClienteleError) -> String {
        guard CustomerRef(validating: ref)?.value == ref else { throw noRef(position) }
        return ref
    }

    private func noRef(_ position: SourcePosition) -> ClienteleError {
        corrupt(position, "not a customer with a valid ref; is this an archive's customers file?")
    }

    private func corrupt(_ position: SourcePosition, _ detail: String) -> ClienteleError {
        .format(.malformed(file: path, line: position.line, byteOffset: position.byteOffset, detail: detail))
    }
}
