import ClienteleModel

/// Folds accounts that share an email into their survivor (SPEC §3).
///
/// The survivor's own values win. Its empty fields are filled from the folded records, newest
/// first; addresses are unioned without duplicates (compared normalized); order counts and
/// per-currency totals are added exactly; notes, groups, sites, wishlist and sources are unioned;
/// `acceptsMarketing` stays the survivor's, so a merge never widens consent.
enum GuestMerger {
    /// - Parameters:
    ///   - survivor: the account that stays.
    ///   - folded: the accounts folded into it, in input order.
    static func fold(_ survivor: CustomerRecord, _ folded: [CustomerRecord]) -> CustomerRecord {
        guard !folded.isEmpty else { return survivor }
        var c = survivor
        // Indices, not records, are sorted: a record is some thirty fields to retain on every move.
        let newestFirst = folded.indices.sorted { a, b in
            let ka = folded[a].updatedAt ?? folded[a].createdAt, kb = folded[b].updatedAt ?? folded[b].createdAt
            if ka != kb { return (ka.map { k in kb.map { k > $0 } ?? true }) ?? false }
            return a > b  // later in the input counts as newer
        }

        // A closure per field, not a key path: key-path access was most of folding's time.
        func newest<T>(_ value: (CustomerRecord) -> T?) -> T? {
            for i in newestFirst { if let v = value(folded[i]) { return v } }
            return nil
        }
        if c.salutation == nil { c.salutation = newest { $0.salutation } }
        if c.firstName == nil { c.firstName = newest { $0.firstName } }
        if c.middleName == nil { c.middleName = newest { $0.middleName } }
        if c.lastName == nil { c.lastName = newest { $0.lastName } }
        if c.gender == nil { c.gender = newest { $0.gender } }
        if c.dateOfBirth == nil { c.dateOfBirth = newest { $0.dateOfBirth } }
        if c.phone == nil { c.phone = newest { $0.phone } }
        if c.company == nil { c.company = newest { $0.company } }
        if c.taxVat == nil { c.taxVat = newest { $0.taxVat } }
        if c.locale == nil { c.locale = newest { $0.locale } }
        if c.storeCredit == nil { c.storeCredit = newest { $0.storeCredit } }
        if c.createdAt == nil { c.createdAt = newest { $0.createdAt } }
        if c.updatedAt == nil { c.updatedAt = newest { $0.updatedAt } }
        for i in newestFirst {
            for (key, value) in folded[i].attributes where c.attributes[key] == nil { c.attributes[key] = value }
        }

        var seenAddresses = UnionIndex<AddressComparisonKey, AddressComparisonKey>(key: { $0 })
        var addressKeys = c.addresses.map(\.comparisonKey)
        var hasBilling = c.addresses.contains(where: \.defaultBilling)
        var hasShipping = c.addresses.contains(where: \.defaultShipping)
        for i in newestFirst {
            for var address in folded[i].addresses where seenAddresses.append(address.comparisonKey, to: &addressKeys) {
                // One default of each kind: the survivor's, else the newest record's.
                if address.defaultBilling { if hasBilling { address.defaultBilling = false } else { hasBilling = true } }
                if address.defaultShipping { if hasShipping { address.defaultShipping = false } else { hasShipping = true } }
                c.addresses.append(address)
            }
        }

        var notes = UnionIndex<Note, String>(key: \.text)
        var groups = UnionIndex<String, String>(key: { $0 })
        var sites = UnionIndex<String, String>(key: { $0 })
        var wishlist = UnionIndex<String, String>(key: { $0 })
        var sources = UnionIndex<SourceReference, String>(key: { $0.id + "\u{0}" + $0.file + "\u{0}" + String($0.line) })
        for other in folded {
            if let o = other.orders {
                if c.orders == nil { c.orders = OrderSummary() }
                c.orders!.add(o)
            }
            for n in other.notes { notes.append(n, to: &c.notes) }
            for g in other.groups { groups.append(g, to: &c.groups) }
            for s in other.sites { sites.append(s, to: &c.sites) }
            for w in other.wishlist { wishlist.append(w, to: &c.wishlist) }
            for s in other.sources { sources.append(s, to: &c.sources) }
        }
        return c
    }
}

/// Membership for a list unioned in order. Short lists (nearly every merge group) are searched
/// in place; past ``linearLimit`` items are bucketed by a hashable key and compared with `==`
/// within their bucket, so equality stays the type's own. A linear `contains` per item made
/// folding n guests with one email quadratic in n (20 000 guests: 49 s; found by a hostile input
/// of one placeholder email on every guest order); a hash table for every group of two was a
/// few percent of an import.
private struct UnionIndex<Item: Equatable, Key: Hashable> {
    private var buckets: [Key: [Item]]?
    private let key: (Item) -> Key
    static var linearLimit: Int { 32 }

    init(key: @escaping (Item) -> Key) {
        self.key = key
    }

    /// Appends `item` to `list` unless an equal item is already there; whether it was appended.
    @discardableResult
    mutating func append(_ item: Item, to list: inout [Item]) -> Bool {
        if buckets == nil {
            if list.count < Self.linearLimit {
                if list.contains(item) { return false }
                list.append(item)
                return true
            }
            var b: [Key: [Item]] = [:]
            for existing in list { b[key(existing), default: []].append(existing) }
            buckets = b
        }
        let k = key(item)
        if buckets![k]?.contains(item) == true { return false }
        buckets![k, default: []].append(item)
        list.append(item)
        return true
    }
}
