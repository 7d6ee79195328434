/// What mapping one input record gave: the canonical customer (normalized), the account's id in
/// its source system, and every problem found. A record with any error is rejected whole.
public struct MappedRecord: Sendable {
    public var customer: CustomerRecord
    /// `id` of the input (input only: it goes into `sources`), `nil` when absent.
    public var sourceID: String?
    public var issues: [ValidationIssue]
    /// Input fields the mapping does not know (reported once per file, never an error).
    public var unknownFields: [String]

    public init(customer: CustomerRecord = CustomerRecord(), sourceID: String? = nil,
                issues: [ValidationIssue] = [], unknownFields: [String] = []) {
        self.customer = customer
        self.sourceID = sourceID
        self.issues = issues
        self.unknownFields = unknownFields
    }

    /// Whether the record must be rejected.
    public var hasErrors: Bool { issues.contains { !$0.code.isWarning } }

    /// The errors only, in the order found.
    public var errors: [ValidationIssue] { issues.filter { !$0.code.isWarning } }

    /// The warnings only.
    public var warnings: [ValidationIssue] { issues.filter { $0.code.isWarning } }
}
