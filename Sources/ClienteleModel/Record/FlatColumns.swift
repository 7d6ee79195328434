import ClienteleFormats

/// The canonical record flattened to CSV columns: nested names joined with dots, list items by
/// index (`addresses.0.city`, `groups.1`, `attributes.loyaltyTier`), as `Schemas/customer-columns.md`
/// describes.
public enum FlatColumns {
    /// The flat `(column, value)` pairs of a canonical JSON value, in document order.
    public static func flatten(_ value: JSONValue) -> [(String, String)] {
        var out: [(String, String)] = []
        walk(value, prefix: "", into: &out)
        return out
    }

    private static func walk(_ v: JSONValue, prefix: String, into out: inout [(String, String)]) {
        switch v {
        case .null: return
        case let .string(s): out.append((prefix, s))
        case let .number(n): out.append((prefix, n))
        case let .bool(b): out.append((prefix, b ? "true" : "false"))
        case let .array(items):
            for (i, item) in items.enumerated() { walk(item, prefix: join(prefix, String(i)), into: &out) }
        case let .object(members):
            for member in members { walk(member.value, prefix: join(prefix, member.key), into: &out) }
        }
    }

    private static func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : a + "." + b }

    /// Orders a set of column names the canonical way: by field order of SPEC §2, list indices
    /// numerically, attributes by name. Used for the header of a CSV archive, which must be known
    /// before the first row is written.
    public static func canonicalOrder(_ columns: Set<String>) -> [String] {
        columns.sorted { sortKey($0).lexicographicallyPrecedes(sortKey($1)) }
    }

    private static let fieldRank: [String: Int] = {
        let names = ["ref", "kind", "email", "username", "passwordHash", "algorithm", "value", "passwordResetRequired", "status",
                     "salutation", "firstName", "middleName", "lastName", "gender", "dateOfBirth", "phone", "company",
                     "taxVat", "locale", "groups", "sites", "acceptsMarketing", "addresses", "street1", "street2", "city",
                     "region", "postalCode", "country", "defaultBilling", "defaultShipping", "notes", "text", "orders",
                     "count", "totals", "currency", "amount", "lastOrderAt", "storeCredit", "wishlist", "attributes",
                     "createdAt", "updatedAt", "sources", "system", "id", "file", "line", "anonymizedAt"]
        var rank: [String: Int] = [:]
        for (i, n) in names.enumerated() where rank[n] == nil { rank[n] = i }
        return rank
    }()

    /// An address's fields in the order ``Address`` writes them (its `phone` comes after `country`,
    /// unlike the customer's own `phone`).
    private static let addressFieldRank: [String: Int] = {
        let names = ["firstName", "lastName", "company", "street1", "street2", "city", "region", "postalCode", "country",
                     "phone", "defaultBilling", "defaultShipping"]
        return Dictionary(uniqueKeysWithValues: names.enumerated().map { ($1, $0) })
    }()

    /// Components as comparable keys: known names by rank, indices by number, others after, by name.
    /// Attribute names sort by name only (as the JSON writes them), even when one is also a field name.
    private static func sortKey(_ column: String) -> [SortComponent] {
        let parts = column.split(separator: ".")
        return parts.enumerated().map { i, part in
            if i > 0, parts[0] == "attributes" { return SortComponent(rank: 1_000_000, name: String(part)) }
            if let n = Int(part) { return SortComponent(rank: n, name: "") }
            if i == 2, parts[0] == "addresses", let r = addressFieldRank[String(part)] { return SortComponent(rank: r, name: "") }
            if let r = fieldRank[String(part)] { return SortComponent(rank: r, name: "") }
            return SortComponent(rank: 1_000_000, name: String(part))
        }
    }

    private struct SortComponent: Comparable {
        var rank: Int
        var name: String
        static func < (a: SortComponent, b: SortComponent) -> Bool { (a.rank, a.name) < (b.rank, b.name) }
    }
}
