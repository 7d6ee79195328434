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
    /// The record as read: for JSON Lines the canonical value itself; for CSV the row folded into
    /// a tree of strings (``CSVColumnPlan``).
    public let tree: JSONValue
    /// The CSV row's cells in header order (`nil` for JSON Lines).
    public let csvFields: [String]?
    let isCanonical: Bool
    let file: String

    /// The normalized email, when the customer has one.
    public var email: String? { tree["email"]?.stringValue }

    /// The canonical JSON value (SPEC §2), typed, members in canonical order.
    ///
    /// - Throws: ``ClienteleError/format(_:)`` (exit 65) when a CSV row is not a valid customer.
    public func canonical() throws(ClienteleError) -> JSONValue {
        if isCanonical { return tree }
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
