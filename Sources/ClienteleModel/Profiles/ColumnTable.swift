import ClienteleFormats

/// How a platform spells the values of one column.
public enum ValueConvention: Sendable {
    /// Text as it is.
    case text
    /// A date in the platform's pattern, canonical `YYYY-MM-DD`.
    case date(DatePattern)
    /// A time in the platform's pattern, canonical RFC 3339 UTC.
    case timestamp(DatePattern)
    /// A flag in the platform's words: `yes` is written on export; every spelling in `yes`/`no`
    /// (compared lowercased) is read.
    case flag(yes: [String], no: [String])
    /// Several values in one cell (`VIP, Newsletter`), for list fields (`groups`, `sites`, `wishlist`).
    case list(separator: String)
    /// Platform values → canonical values; other values pass unchanged. Export maps back (the
    /// first platform value of each canonical value).
    case mapped([(platform: String, canonical: String)])
    /// An amount written with a decimal comma (`1.234,50`): read as `1234.50`, written back with a comma.
    case decimalComma
    /// Shopify's leading `'` that keeps spreadsheets from eating zeros and `+` (`'+4930…`, `'01067`):
    /// dropped on import, written on export.
    case apostrophed
}

/// One platform column and the canonical field it carries.
public struct ColumnRule: Sendable {
    public let column: String
    /// A canonical path (`email`, `addresses.0.city`, `attributes.tier`); `nil` reads nothing
    /// (a column the platform needs on export, written empty or by a ``ColumnTable/constants`` entry).
    public let field: String?
    public let convention: ValueConvention

    public init(_ column: String, _ field: String?, _ convention: ValueConvention = .text) {
        self.column = column
        self.field = field
        self.convention = convention
    }
}

/// A platform's CSV columns as a table of rules, read and written the same way: the usual profile
/// is a table plus a few lines for what a table cannot say.
///
/// ```swift
/// let table = ColumnTable([
///     ColumnRule("E-Mail", "email"),
///     ColumnRule("Geburtstag", "dateOfBirth", .date(DatePattern(known: "dd.MM.yyyy"))),
///     ColumnRule("Newsletter", "acceptsMarketing", .flag(yes: ["ja"], no: ["nein"])),
/// ])
/// var draft = CanonicalDraft()
/// table.read(row, into: &draft)
/// let cells = table.write(customer)   // in table order: the export header is table.header
/// ```
public struct ColumnTable: Sendable {
    public let rules: [ColumnRule]
    /// Columns the platform writes that carry nothing canonical, with the value export gives them.
    public let constants: [String: String]
    /// Columns known to carry nothing we keep (not reported as unknown).
    public let ignored: Set<String>

    public init(_ rules: [ColumnRule], constants: [String: String] = [:], ignored: Set<String> = []) {
        self.rules = rules
        self.constants = constants
        self.ignored = ignored
    }

    /// The export header: every rule's column, in order.
    public var header: [String] { rules.map(\.column) }

    /// Header columns no rule reads and none is ignored.
    public func unknownColumns(_ columns: CSVColumns) -> [String] {
        let known = Set(rules.map(\.column)).union(ignored)
        return columns.names.filter { !$0.isEmpty && !known.contains($0) }
    }

    /// Reads every rule's cell of `row` into `draft`.
    public func read(_ row: CSVRow, into draft: inout CanonicalDraft) {
        for rule in rules {
            guard let field = rule.field else { continue }
            Self.read(row[rule.column], column: rule.column, field: field, rule.convention, into: &draft)
        }
    }

    /// Reads one platform value of `column` into the canonical `field`.
    public static func read(_ value: String?, column: String, field: String, _ convention: ValueConvention, into draft: inout CanonicalDraft) {
        guard let value = value?.trimmed, !value.isEmpty else { return }
        switch convention {
        case .text: draft.set(field, value)
        case let .date(pattern): draft.setDate(field, value, pattern: pattern, from: column)
        case let .timestamp(pattern): draft.setTimestamp(field, value, pattern: pattern, from: column)
        case let .flag(yes, no):
            draft.setBool(field, value, yes: yes, no: no, from: column)
        case let .list(separator):
            for item in value.split(separator: separator) { draft.append(field, String(item)) }
        case let .mapped(pairs):
            draft.set(field, pairs.first(where: { $0.platform == value })?.canonical
                ?? pairs.first(where: { $0.platform.lowercased() == value.lowercased() })?.canonical ?? value)
        case .apostrophed:
            draft.set(field, value.hasPrefix("'") ? String(value.dropFirst()) : value)
        case .decimalComma:
            // Grouping dots go, the comma becomes the point; anything else is left for the mapper to refuse.
            draft.set(field, String(value.filter { $0 != "." && $0 != " " }.map { $0 == "," ? "." : $0 }))
        }
    }

    /// The customer's cells in table order.
    public func write(_ customer: CustomerRecord) -> [String] {
        write(CanonicalCells(customer))
    }

    /// The cells in table order, from a customer's canonical cells.
    public func write(_ cells: CanonicalCells) -> [String] {
        rules.map { rule in
            guard let field = rule.field else { return constants[rule.column] ?? "" }
            return Self.write(cells, field: field, rule.convention) ?? constants[rule.column] ?? ""
        }
    }

    /// One canonical field in the platform's spelling, `nil` when the customer has no value.
    public static func write(_ cells: CanonicalCells, field: String, _ convention: ValueConvention) -> String? {
        if case let .list(separator) = convention {
            let items = cells.list(field)
            return items.isEmpty ? nil : items.joined(separator: separator == "," ? ", " : separator)
        }
        guard let value = cells[field] else { return nil }
        switch convention {
        case .text, .list: return value
        case let .date(pattern): return pattern.format(isoDate: value) ?? value
        case let .timestamp(pattern): return Timestamp(value).map(pattern.format) ?? value
        case let .flag(yes, no): return value == "true" ? yes.first ?? "true" : no.first ?? "false"
        case let .mapped(pairs): return pairs.first(where: { $0.canonical == value })?.platform ?? value
        case .apostrophed: return "'" + value
        case .decimalComma: return String(value.map { $0 == "." ? "," : $0 })
        }
    }
}

/// A customer's canonical fields flattened to dotted paths (`addresses.1.city`), for writers that
/// pick fields by path. Two input-only names read back what they became: `id` is the account's id
/// in its first source system (so a re-import gives the same refs), `passwordHash` the hash's value.
public struct CanonicalCells: Sendable {
    private let values: [String: String]

    public init(_ customer: CustomerRecord) {
        var values: [String: String] = [:]
        for (path, value) in FlatColumns.flatten(customer.jsonValue) { values[path] = value }
        values["id"] = customer.sources.first?.id
        values["passwordHash"] = customer.passwordHash?.value
        self.values = values
    }

    /// The value at `path`.
    public subscript(_ path: String) -> String? { values[path] }

    /// The items of a list field (`groups` → `groups.0`, `groups.1`, …).
    public func list(_ path: String) -> [String] {
        var items: [String] = []
        while let v = values["\(path).\(items.count)"] { items.append(v) }
        return items
    }
}
