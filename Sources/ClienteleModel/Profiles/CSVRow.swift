import ClienteleFormats

/// The columns of a CSV header, with their positions looked up by name once per file.
///
/// ```swift
/// let columns = CSVColumns(["Email", "First Name"])
/// columns.index(of: "First Name")   // 1
/// ```
public struct CSVColumns: Sendable {
    public let names: [String]
    private let positions: [String: Int]

    public init(_ names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        // The first of two equal names wins, as a spreadsheet's lookup would.
        for (i, name) in names.enumerated() where positions[name] == nil { positions[name] = i }
        self.positions = positions
    }

    public func index(of name: String) -> Int? { positions[name] }
    public func contains(_ name: String) -> Bool { positions[name] != nil }
}

/// One CSV row with its header: cells by column name.
///
/// Cells are trimmed; an empty cell reads as `nil` (an absent value), so profiles write
/// `row["Company"]` and never test for `""`.
public struct CSVRow: Sendable {
    public let columns: CSVColumns
    public let fields: [String]

    public init(columns: CSVColumns, fields: [String]) {
        self.columns = columns
        self.fields = fields
    }

    /// The trimmed cell of `column`, `nil` when the column is missing or the cell empty. The
    /// formula guard that `export` and rejects files put before `=`, `+`, `-`, `@` is undone, so
    /// what was exported reads back as it was.
    public subscript(_ column: String) -> String? {
        guard let i = columns.index(of: column), i < fields.count else { return nil }
        let v = CSVColumnPlan.unguard(fields[i].trimmed)
        return v.isEmpty ? nil : v
    }

    /// Whether every cell of the given columns is empty.
    public func isBlank(_ names: some Sequence<String>) -> Bool {
        names.allSatisfy { self[$0] == nil }
    }
}

/// The rows of one record: usually one, several where a platform spreads a record over rows.
public struct CSVRowGroup: Sendable {
    public let columns: CSVColumns
    public let rows: [[String]]

    public init(columns: CSVColumns, rows: [[String]]) {
        precondition(!rows.isEmpty)
        self.columns = columns
        self.rows = rows
    }

    /// The first row, which holds the record's own columns.
    public var first: CSVRow { CSVRow(columns: columns, fields: rows[0]) }

    /// Every row in order.
    public var all: [CSVRow] { rows.map { CSVRow(columns: columns, fields: $0) } }

    /// The first row's cell of `column`.
    public subscript(_ column: String) -> String? { first[column] }
}
