import ClienteleFormats

/// How one customer changed between two archives: the top-level fields whose values differ.
///
/// Provenance is not a change (SPEC §7): `sources[].file` and `sources[].line` differ from
/// night to night and are left out of the comparison; the sources' systems and ids still count.
/// Fields are named in the order of SPEC §2; names outside it (none today) come last, sorted.
///
/// ```swift
/// CustomerDelta.changedFields(old: yesterday, new: today)   // ["email", "updatedAt"]
/// ```
public enum CustomerDelta {
    /// The top-level fields of the canonical record, in SPEC §2 order.
    public static let fieldOrder = [
        "ref", "kind", "email", "username", "passwordHash", "passwordResetRequired", "status", "salutation", "firstName",
        "middleName", "lastName", "gender", "dateOfBirth", "phone", "company", "taxVat", "locale", "groups", "sites",
        "acceptsMarketing", "addresses", "notes", "orders", "storeCredit", "wishlist", "attributes", "createdAt",
        "updatedAt", "sources", "anonymizedAt",
    ]
    private static let rank = Dictionary(uniqueKeysWithValues: fieldOrder.enumerated().map { ($1, $0) })

    /// The names of the top-level fields that differ between two canonical records (empty when
    /// they are the same but for provenance). A field present in one and absent in the other differs.
    public static func changedFields(old: JSONValue, new: JSONValue) -> [String] {
        guard case let .object(a) = old, case let .object(b) = new else { return old == new ? [] : ["(record)"] }
        // Fast path: canonical records write their members in one order, so two versions with the
        // same fields line up member by member (no lookups).
        if a.count == b.count, zip(a, b).allSatisfy({ $0.key == $1.key }) {
            var names: [String] = []
            for (x, y) in zip(a, b) {
                let same = x.key == "sources" ? withoutProvenance(x.value) == withoutProvenance(y.value) : x.value == y.value
                if !same { names.append(x.key) }
            }
            return names.sorted { (rank[$0] ?? Int.max, $0) < (rank[$1] ?? Int.max, $1) }
        }
        var names: [String] = []
        var seen = Set<String>()
        for m in a + b where seen.insert(m.key).inserted {
            let before = old[m.key]
            let after = new[m.key]
            let same = m.key == "sources" ? withoutProvenance(before) == withoutProvenance(after) : before == after
            if !same { names.append(m.key) }
        }
        return names.sorted { (rank[$0] ?? Int.max, $0) < (rank[$1] ?? Int.max, $1) }
    }

    /// `sources` with each entry's `file` and `line` taken out.
    static func withoutProvenance(_ sources: JSONValue?) -> JSONValue? {
        guard case let .array(items)? = sources else { return sources }
        return .array(items.map { item in
            guard case let .object(members) = item else { return item }
            return .object(members.filter { $0.key != "file" && $0.key != "line" })
        })
    }
}
