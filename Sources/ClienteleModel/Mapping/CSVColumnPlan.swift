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
    /// A node names its children by a range of `children`, not an array of its own: an array per
    /// node cost a retain and a release per column of every row folded.
    private let nodes: [FlatNode]
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
        var flat: [Int] = []
        self.nodes = nodes.map { node in
            defer { flat += node.children }
            return FlatNode(key: node.key, column: node.column, firstChild: flat.count, childCount: node.children.count)
        }
        children = flat
    }

    /// The row as a tree; empty cells are left out (an empty cell is an absent value), and so are
    /// columns with an empty name (the caller blanks the names of columns that are not data). A row
    /// of empty cells is an empty object (a record missing its fields, not a malformed one). Members
    /// come in the order their columns first appear in the header.
    public func tree(for fields: [String]) -> JSONValue {
        nodes.withUnsafeBufferPointer { nodes in
            children.withUnsafeBufferPointer { children in
                fields.withUnsafeBufferPointer { fields in
                    Self.value(of: 0, nodes, children, fields) ?? .object([])
                }
            }
        }
    }

    private static func value(of index: Int, _ nodes: UnsafeBufferPointer<FlatNode>, _ children: UnsafeBufferPointer<Int>,
                              _ fields: UnsafeBufferPointer<String>) -> JSONValue? {
        let n = nodes[index].childCount
        if n > 0 {
            var members: [JSONMember] = []
            members.reserveCapacity(n)
            let first = nodes[index].firstChild
            for child in children[first..<(first + n)] {
                if let v = value(of: child, nodes, children, fields) { members.append(JSONMember(nodes[child].key, v)) }
            }
            if !members.isEmpty { return .object(members) }
        }
        let column = nodes[index].column
        guard column >= 0, column < fields.count, !fields[column].isEmpty else { return nil }
        return .string(unguard(fields[column]))
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

    /// A header path's node while the plan is built.
    private struct Node {
        let key: String
        /// The column whose cell is this node's value, or -1.
        var column = -1
        var children: [Int] = []
    }

    /// A node as a row is folded: its children are `children[firstChild ..< firstChild + childCount]`.
    private struct FlatNode: Sendable {
        let key: String
        let column: Int
        let firstChild: Int
        let childCount: Int
    }
}
