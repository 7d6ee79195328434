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
    /// The header's paths as a tree, built once: node 0 is the root; a row only fills it in.
    /// Flat arrays, read through pointers while a row is folded: a node struct (with its array of
    /// children) copied per visit cost a retain and a release per column of every row.
    private let keys: [String]
    /// The column whose cell is the node's value, or -1.
    private let columns: [Int]
    /// The node's children are `children[childStart[i] ..< childStart[i] + childCount[i]]`.
    private let childStart: [Int]
    private let childCount: [Int]
    private let children: [Int]

    public init(header: [String]) {
        self.header = header
        var nodes = [Node(key: "")]
        // Children by (parent, key): searching each parent's children was quadratic in a wide header
        // (a hostile file of 150 000 columns took hours before its first row).
        var childIndex: [ChildKey: Int] = [:]
        for (column, name) in header.enumerated() where !name.isEmpty {
            var at = 0
            for part in name.split(separator: ".", omittingEmptySubsequences: false) {
                let key = String(part)
                if let existing = childIndex[ChildKey(parent: at, key: key)] {
                    at = existing
                } else {
                    nodes.append(Node(key: key))
                    nodes[at].children.append(nodes.count - 1)
                    childIndex[ChildKey(parent: at, key: key)] = nodes.count - 1
                    at = nodes.count - 1
                }
            }
            nodes[at].column = column
        }
        keys = nodes.map(\.key)
        columns = nodes.map(\.column)
        var start: [Int] = [], count: [Int] = [], flat: [Int] = []
        for node in nodes {
            start.append(flat.count)
            count.append(node.children.count)
            flat += node.children
        }
        childStart = start
        childCount = count
        children = flat
    }

    /// The row as a tree; empty cells are left out (an empty cell is an absent value), and so are
    /// columns with an empty name (the caller blanks the names of columns that are not data). A row
    /// of empty cells is an empty object (a record missing its fields, not a malformed one). Members
    /// come in the order their columns first appear in the header.
    public func tree(for fields: [String]) -> JSONValue {
        keys.withUnsafeBufferPointer { keys in
            columns.withUnsafeBufferPointer { columns in
                childStart.withUnsafeBufferPointer { childStart in
                    childCount.withUnsafeBufferPointer { childCount in
                        children.withUnsafeBufferPointer { children in
                            fields.withUnsafeBufferPointer { fields in
                                let plan = Plan(keys: keys, columns: columns, childStart: childStart, childCount: childCount,
                                                children: children, fields: fields)
                                return plan.value(of: 0) ?? .object([])
                            }
                        }
                    }
                }
            }
        }
    }

    /// The plan's arrays and a row's cells, borrowed for one fold.
    private struct Plan {
        let keys: UnsafeBufferPointer<String>
        let columns: UnsafeBufferPointer<Int>
        let childStart: UnsafeBufferPointer<Int>
        let childCount: UnsafeBufferPointer<Int>
        let children: UnsafeBufferPointer<Int>
        let fields: UnsafeBufferPointer<String>

        func value(of index: Int) -> JSONValue? {
            let n = childCount[index]
            if n > 0 {
                var members: [JSONMember] = []
                members.reserveCapacity(n)
                let first = childStart[index]
                for k in first..<(first + n) {
                    let child = children[k]
                    if let v = value(of: child) { members.append(JSONMember(keys[child], v)) }
                }
                if !members.isEmpty { return .object(members) }
            }
            let column = columns[index]
            guard column >= 0, column < fields.count, !fields[column].isEmpty else { return nil }
            return .string(CSVColumnPlan.unguard(fields[column]))
        }
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

    private struct ChildKey: Hashable {
        var parent: Int
        var key: String
    }

    private struct Node: Sendable {
        let key: String
        /// The column whose cell is this node's value, or -1.
        var column = -1
        var children: [Int] = []
    }
}
