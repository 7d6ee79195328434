import ClienteleFormats

/// A canonical record being built from a platform's record: fields set by canonical path
/// (`email`, `addresses.1.city`, `attributes.tier`), plus the problems found on the way (a date
/// that does not fit its pattern, a yes/no that is neither). The result is the nested tree
/// ``CanonicalMapper`` reads, so every profile gets the same validation and normalization.
///
/// Empty values are absent values: setting `""` or `nil` does nothing, as with an empty CSV cell.
///
/// ```swift
/// var draft = CanonicalDraft()
/// draft.set("id", "7")
/// draft.set("addresses.0.city", "Berlin")
/// draft.append("groups", "VIP")
/// draft.tree   // {"id":"7","addresses":{"0":{"city":"Berlin"}},"groups":["VIP"]}
/// ```
public struct CanonicalDraft: Sendable {
    private var root = Node.object([])
    /// Problems found while mapping; errors reject the record, as the canonical mapper's do.
    public var issues: [ValidationIssue] = []

    /// A record already in canonical shape, if the draft wraps one (the `canonical` profile).
    private var whole: JSONValue?

    public init() {}

    /// A draft that is a canonical record already: ``tree`` gives it back as it is.
    public init(canonical tree: JSONValue) { whole = tree }

    indirect enum Node: Sendable {
        case text(String)
        case list([String])
        case object([(String, Node)])
    }

    /// Sets a text field; trimmed, and nothing happens for an empty or `nil` value.
    public mutating func set(_ path: String, _ value: String?) {
        guard let value, !value.trimmed.isEmpty else { return }
        put(path.split(separator: ".", omittingEmptySubsequences: false).map(String.init), .text(value), in: &root)
    }

    /// Sets a boolean field.
    public mutating func set(_ path: String, bool: Bool?) {
        guard let bool else { return }
        set(path, bool ? "true" : "false")
    }

    /// Adds an item to a list field (`groups`, `sites`, `wishlist`); empty items are skipped.
    public mutating func append(_ path: String, _ item: String?) {
        guard let item = item?.trimmed, !item.isEmpty else { return }
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var items: [String] = []
        if case let .list(existing)? = lookup(parts, in: root) { items = existing }
        guard !items.contains(item) else { return }
        items.append(item)
        put(parts, .list(items), in: &root)
    }

    /// Whether a field has been set.
    public func has(_ path: String) -> Bool {
        lookup(path.split(separator: ".", omittingEmptySubsequences: false).map(String.init), in: root) != nil
    }

    /// The text of a field set earlier.
    public func value(_ path: String) -> String? {
        if case let .text(s)? = lookup(path.split(separator: ".", omittingEmptySubsequences: false).map(String.init), in: root) { return s }
        return nil
    }

    /// Records an error or warning about `field` (a canonical field; the message names the source column).
    public mutating func issue(_ code: IssueCode, _ field: String, _ message: String) {
        issues.append(ValidationIssue(code, field: field, message))
    }

    /// Reads a date written in `pattern` into `path` (`YYYY-MM-DD`); `date.invalid` when it does not fit.
    public mutating func setDate(_ path: String, _ value: String?, pattern: DatePattern, from column: String) {
        guard let value = value?.trimmed, !value.isEmpty else { return }
        if let iso = pattern.isoDate(value) { set(path, iso) } else {
            issue(.dateInvalid, path, "\(column): '\(value)' is not a date in the form \(pattern)")
        }
    }

    /// Reads a timestamp written in `pattern` into `path` (RFC 3339, UTC); `date.invalid` when it does not fit.
    public mutating func setTimestamp(_ path: String, _ value: String?, pattern: DatePattern, from column: String) {
        guard let value = value?.trimmed, !value.isEmpty else { return }
        if let ts = pattern.rfc3339(value) { set(path, ts) } else {
            issue(.dateInvalid, path, "\(column): '\(value)' is not a time in the form \(pattern)")
        }
    }

    /// Reads a flag spelled in the platform's words (`yes`/`no`, `1`/`0`, compared ignoring case)
    /// into `path`; `boolean.invalid` for anything else.
    public mutating func setBool(_ path: String, _ value: String?, yes: [String], no: [String], from column: String) {
        guard let value = value?.trimmed, !value.isEmpty else { return }
        let folded = value.lowercased()
        if yes.contains(where: { $0.lowercased() == folded }) { set(path, bool: true) }
        else if no.contains(where: { $0.lowercased() == folded }) { set(path, bool: false) }
        else { issue(.booleanInvalid, path, "\(column): '\(value)' is not one of \((yes.sorted() + no.sorted()).joined(separator: ", "))") }
    }

    /// The record in the nested shape ``CanonicalMapper`` reads.
    public var tree: JSONValue { whole ?? Self.json(root) }

    private static func json(_ node: Node) -> JSONValue {
        switch node {
        case let .text(s): return .string(s)
        case let .list(items): return .array(items.map { .string($0) })
        case let .object(members): return .object(members.map { JSONMember($0.0, json($0.1)) })
        }
    }

    private func lookup(_ parts: [String], in node: Node) -> Node? {
        guard let first = parts.first else { return node }
        guard case let .object(members) = node, let child = members.first(where: { $0.0 == first }) else { return nil }
        return lookup(Array(parts.dropFirst()), in: child.1)
    }

    private func put(_ parts: [String], _ value: Node, in node: inout Node) {
        guard let first = parts.first else { node = value; return }
        guard case var .object(members) = node else {
            // A text where an object is needed: the later, deeper path wins (a mapping mistake the mapper reports).
            node = .object([])
            put(parts, value, in: &node)
            return
        }
        if let k = members.firstIndex(where: { $0.0 == first }) {
            put(Array(parts.dropFirst()), value, in: &members[k].1)
        } else {
            var child = Node.object([])
            put(Array(parts.dropFirst()), value, in: &child)
            members.append((first, child))
        }
        node = .object(members)
    }
}
