import ClienteleFormats

/// Folds flat CSV rows with dotted column names (`addresses.0.city`, `attributes.tier`) into the
/// nested shape the mappers read, once per file: the header is split here, each row only fills it.
///
/// ```swift
/// let plan = CSVColumnPlan(header: ["id", "addresses.0.city"])
/// plan.tree(for: ["7", "Berlin"])   // {"id":"7","addresses":{"0":{"city":"Berlin"}}}
/// ```
public struct CSVColumnPlan: Sendable {
    public let header: [String]
    private let paths: [[String]]

    public init(header: [String]) {
        self.header = header
        paths = header.map { $0.split(separator: ".", omittingEmptySubsequences: false).map(String.init) }
    }

    /// The row as a tree; empty cells are left out (an empty cell is an absent value), and so are
    /// columns with an empty name (the caller blanks the names of columns that are not data). A row
    /// of empty cells is an empty object (a record missing its fields, not a malformed one).
    public func tree(for fields: [String]) -> JSONValue {
        var root = Node()
        for (i, raw) in fields.enumerated() where i < paths.count && !raw.isEmpty && !header[i].isEmpty {
            root.insert(paths[i][...], CSVColumnPlan.unguard(raw))
        }
        return root.children.isEmpty ? .object([]) : root.value
    }

    /// Undoes the spreadsheet-formula guard of CSV written for people (`'=SUM(…)` → `=SUM(…)`), so
    /// a rejects file can be fed back as it is.
    static func unguard(_ s: String) -> String {
        let u = s.utf8
        guard u.count >= 2, u.first == UInt8(ascii: "'") else { return s }
        let second = u[u.index(after: u.startIndex)]
        switch second {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 9, 13: return String(s.dropFirst())
        default: return s
        }
    }

    private struct Node {
        var children: [(String, Node)] = []
        var leaf: String?
        /// Positions of `children` by name, made once a node has many: a linear search is cheapest for
        /// the few children real records have, but a hostile header of 100 000 columns made each row
        /// quadratic (minutes a row).
        var index: [String: Int]?

        static let indexThreshold = 32

        mutating func insert(_ path: ArraySlice<String>, _ value: String) {
            guard let head = path.first else {
                leaf = value
                return
            }
            let found = index != nil ? index![head] : children.firstIndex(where: { $0.0 == head })
            if let i = found {
                children[i].1.insert(path.dropFirst(), value)
            } else {
                var child = Node()
                child.insert(path.dropFirst(), value)
                children.append((head, child))
                if index != nil {
                    index![head] = children.count - 1
                } else if children.count > Node.indexThreshold {
                    index = Dictionary(children.enumerated().map { ($1.0, $0) }, uniquingKeysWith: { first, _ in first })
                }
            }
        }

        var value: JSONValue {
            if children.isEmpty { return leaf.map { .string($0) } ?? .null }
            return .object(children.map { JSONMember($0.0, $0.1.value) })
        }
    }
}
