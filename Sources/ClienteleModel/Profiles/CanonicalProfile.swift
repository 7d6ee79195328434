import ClienteleFormats

/// The canonical layout itself (SPEC §2): what an archive's customers file holds. Importing reads
/// it with ``CanonicalMapper`` directly; exporting writes JSON Lines of canonical records.
public struct CanonicalProfile: CustomerProfile {
    public init() {}

    public var name: String { "canonical" }
    public var summary: String { "the canonical record (SPEC §2): CSV with dotted columns, JSON Lines, JSON arrays, XML" }
    public var input: ProfileInput { ProfileInput(format: .any) }

    public func draft(from record: ProfileRecord) -> CanonicalDraft {
        switch record {
        case let .rows(group): return CanonicalDraft(canonical: CSVColumnPlan(header: group.columns.names).tree(for: group.rows[0]))
        case let .tree(value): return CanonicalDraft(canonical: value)
        }
    }

    public var export: ProfileExport { .jsonLines }

    public func exportRecord(_ customer: CustomerRecord) -> ExportedRecord { .json(customer.jsonValue) }
}
