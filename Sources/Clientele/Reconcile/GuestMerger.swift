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
        let newestFirst = folded.enumerated().sorted { a, b in
            let ka = a.element.updatedAt ?? a.element.createdAt, kb = b.element.updatedAt ?? b.element.createdAt
            if ka != kb { return (ka.map { k in kb.map { k > $0 } ?? true }) ?? false }
            return a.offset > b.offset  // later in the input counts as newer
        }.map(\.element)

        func fill<T>(_ path: WritableKeyPath<CustomerRecord, T?>) {
            if c[keyPath: path] == nil { c[keyPath: path] = newestFirst.lazy.compactMap { $0[keyPath: path] }.first }
        }
        fill(\.salutation); fill(\.firstName); fill(\.middleName); fill(\.lastName); fill(\.gender)
        fill(\.dateOfBirth); fill(\.phone); fill(\.company); fill(\.taxVat); fill(\.locale)
        fill(\.storeCredit); fill(\.createdAt); fill(\.updatedAt)
        for other in newestFirst {
            for (key, value) in other.attributes where c.attributes[key] == nil { c.attributes[key] = value }
        }

        var seenAddresses = Set(c.addresses.map(\.comparisonKey))
        var hasBilling = c.addresses.contains(where: \.defaultBilling)
        var hasShipping = c.addresses.contains(where: \.defaultShipping)
        for other in newestFirst {
            for var address in other.addresses where seenAddresses.insert(address.comparisonKey).inserted {
                // One default of each kind: the survivor's, else the newest record's.
                if address.defaultBilling { if hasBilling { address.defaultBilling = false } else { hasBilling = true } }
                if address.defaultShipping { if hasShipping { address.defaultShipping = false } else { hasShipping = true } }
                c.addresses.append(address)
            }
        }

        for other in folded {
            if let o = other.orders {
                if c.orders == nil { c.orders = OrderSummary() }
                c.orders!.add(o)
            }
            for n in other.notes where !c.notes.contains(n) { c.notes.append(n) }
            for g in other.groups where !c.groups.contains(g) { c.groups.append(g) }
            for s in other.sites where !c.sites.contains(s) { c.sites.append(s) }
            for w in other.wishlist where !c.wishlist.contains(w) { c.wishlist.append(w) }
            for s in other.sources where !c.sources.contains(s) { c.sources.append(s) }
        }
        return c
    }
}
