import ClienteleFormats
import ClienteleModel

/// One customer as read back from an archive's customers file by ``ArchiveReader``.
///
/// `ref` and `email` are at hand at once (what matching and merge-joins need); the typed canonical
/// record is made only when asked for, since a CSV row must be mapped to get it.
///
/// ```swift
/// while let customer = try reader.next() {
///     if customer.email == "ann@example.com" { print(try customer.canonical()) }
/// }
/// ```
public struct ArchiveCustomer {
    /// Where the customer's line (or row) starts in the customers file.
    public let position: SourcePosition
    /// The customer's ref.
    public let ref: String
    /// The normalized email, when the customer has one.
    public let email: String?
    /// The CSV row's cells in header order (`nil` for JSON Lines).
    public let csvFields: [String]?
    /// JSON Lines: the canonical value as read.
    private let value: JSONValue?
    /// CSV: folds the row into a tree when it is asked for.
    private let plan: CSVColumnPlan?
    let file: String

    init(position: SourcePosition, ref: String, email: String?, value: JSONValue, file: String) {
        self.position = position
        self.ref = ref
        self.email = email
        self.value = value
        self.csvFields = nil
        self.plan = nil
        self.file = file
    }

    init(position: SourcePosition, ref: String, email: String?, fields: [String], plan: CSVColumnPlan, file: String) {
        self.position = position
        self.ref = ref
        self.email = email
        self.value = nil
        self.csvFields = fields
        self.plan = plan
        self.file = file
    }

    /// The record as read: for JSON Lines the canonical value itself; for CSV the row folded into
    /// a tree of strings (``CSVColumnPlan``), built on each call.
    public var tree: JSONValue { value ?? plan!.tree(for: csvFields!) }

    /// The canonical JSON value (SPEC §2), typed, members in canonical order.
    ///
    /// - Throws: ``ClienteleError/format(_:)`` (exit 65) when a CSV row is not a valid customer.
    public func canonical() throws(ClienteleError) -> JSONValue {
        if let value { return value }
        return try record().jsonValue
    }

    /// The customer as a typed record (mapped and checked as `import` would).
    ///
    /// - Throws: ``ClienteleError/format(_:)`` (exit 65) when the record is not a valid customer.
    public func record() throws(ClienteleError) -> CustomerRecord {
        let mapped = CanonicalMapper().map(tree)
        if let problem = mapped.errors.first {
            throw .format(.malformed(file: file, line: position.line, byteOffset: position.byteOffset,
                                     detail: "not a valid archive customer: \(problem.field): \(problem.code.rawValue)"))
        }
        return mapped.customer
    }
}
