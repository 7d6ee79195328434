import ClienteleFormats

/// A platform's customer export layout and value conventions, both ways: its records into the
/// canonical record (`import --from NAME`) and canonical customers into its import layout
/// (`export --to NAME`).
///
/// A profile only moves values between layouts and reads the platform's spellings (dates in its
/// pattern, `yes`/`no`, a leading `'`): validation and normalization stay in ``CanonicalMapper``,
/// which reads the ``CanonicalDraft`` a profile fills. A profile is a value with no state, used
/// from several threads at once.
///
/// ```swift
/// let profile = ProfileCatalog.profile(named: "shopify")!
/// let draft = profile.draft(from: .rows(group))          // a CSV row of Shopify's export
/// let mapped = CanonicalMapper().map(draft.tree)          // validated like any canonical record
/// let row = profile.exportRecord(mapped.customer)         // back in Shopify's columns
/// ```
public protocol CustomerProfile: Sendable {
    /// The name given to `--from` and `--to`; also the default source system.
    var name: String { get }
    /// One line for `--help` and errors: what the profile reads.
    var summary: String { get }
    /// How the platform's files are read.
    var input: ProfileInput { get }
    /// For CSV layouts where a record spans several rows (Magento's composite file: an extra
    /// address is a following row with blank customer columns): whether `row` begins a new record.
    func startsRecord(_ row: CSVRow) -> Bool
    /// Columns of a CSV header that the profile does not read (reported once per file).
    func unknownColumns(_ columns: CSVColumns) -> [String]
    /// Why a CSV header cannot be read with this profile (a column it needs is missing), or `nil`.
    func headerProblem(_ columns: CSVColumns) -> String?
    /// The platform's record as a canonical draft.
    func draft(from record: ProfileRecord) -> CanonicalDraft
    /// The layout `export` writes.
    var export: ProfileExport { get }
    /// One customer in the platform's import layout; no rows, `.json(.null)` or `.xml("")` when the
    /// platform cannot hold the customer (nothing is written for it).
    func exportRecord(_ customer: CustomerRecord) -> ExportedRecord
}

extension CustomerProfile {
    public func startsRecord(_ row: CSVRow) -> Bool { true }
    public func unknownColumns(_ columns: CSVColumns) -> [String] { [] }
    public func headerProblem(_ columns: CSVColumns) -> String? { nil }
}

/// How a profile's files are read.
public struct ProfileInput: Sendable {
    public enum Format: Sendable, Equatable {
        /// Whatever the content is (detected).
        case any
        case csv
        case json
        case xml
    }

    public var format: Format
    /// The CSV delimiter the platform writes (`nil`: detected); `--delimiter` overrides it.
    public var delimiter: UInt8?
    /// The text encoding of the platform's CSV files (`nil`: UTF-8); `--encoding` overrides it.
    public var encoding: TextEncoding?
    /// The layout of the platform's XML documents.
    public var xmlLayout: XMLRecordLayout?

    public init(format: Format, delimiter: UInt8? = nil, encoding: TextEncoding? = nil, xmlLayout: XMLRecordLayout? = nil) {
        self.format = format
        self.delimiter = delimiter
        self.encoding = encoding
        self.xmlLayout = xmlLayout
    }
}

/// One platform record as read.
public enum ProfileRecord: Sendable {
    /// A CSV row, or the consecutive rows of one record.
    case rows(CSVRowGroup)
    /// A JSON object, or an XML record read with the profile's layout.
    case tree(JSONValue)
}

/// The file `export` writes for a profile.
public enum ProfileExport: Sendable {
    /// CSV with this header and delimiter; cells are formula-guarded (SPEC §7).
    case csv(header: [String], delimiter: UInt8)
    /// One JSON object per line.
    case jsonLines
    /// One JSON array of objects.
    case jsonArray
    /// An XML document: `prologue`, the records, `epilogue`.
    case xml(prologue: String, epilogue: String)
}

/// One customer written in a platform's layout.
public enum ExportedRecord: Sendable {
    /// CSV rows (several where the platform spreads a customer over rows).
    case rows([[String]])
    case json(JSONValue)
    /// XML text of one record element.
    case xml(String)
}

extension ProfileRecord {
    /// The rows of a CSV layout's record; for a tree (which only a misrouted input could give a CSV
    /// layout) `nil`, with `record.malformed` and `message` recorded in `draft`.
    public func csvRows(else message: String, _ draft: inout CanonicalDraft) -> CSVRowGroup? {
        if case let .rows(group) = self { return group }
        draft.issue(.recordMalformed, "", message)
        return nil
    }
}
