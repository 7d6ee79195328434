import ClienteleModel

/// Erasure by anonymization (SPEC §1, §7): what an erased customer keeps and what it loses.
///
/// Removed: names, salutation and gender, date of birth, phone, company and tax id, notes, the
/// password hash, wishlist and custom attributes (free-form: they can hold anything), and every
/// personal part of each address (names, company, streets, city, region, postal code, phone).
/// Replaced: the email, by `erased-<ref>@erased.invalid` (unique because refs are, deterministic,
/// in the reserved `.invalid` domain, and different from the original, which is thereby freed for
/// a new registration); the username of a registered account, by that same address (a username
/// defaults to the email, so re-importing the archive leaves it as it is); the id in each source,
/// by `erased` (a source system's id can itself be personal, e.g. an email used as a guest id).
/// Set: `status` `disabled` and `passwordResetRequired` for registered accounts (guests have no
/// login, so no status), `acceptsMarketing` false where it was given, `anonymizedAt` and
/// `updatedAt` to the time of erasure. Kept: ref, kind, locale, groups, sites, the address
/// countries (billing figures are reported by country) with their default flags, orders, store
/// credit, `createdAt`, and each source's system, file and line.
///
/// Idempotent: a customer that already has `anonymizedAt` comes back unchanged.
///
/// ```swift
/// let erased = Anonymizer.anonymize(customer, at: UTCTime.now())
/// erased.email?.value    // "erased-c06z2kfgevsfz6zw0cwef@erased.invalid"
/// ```
public enum Anonymizer {
    /// The id every source of an erased customer gets.
    public static let erasedSourceID = "erased"

    /// The anonymized email of the customer `ref`.
    public static func email(for ref: CustomerRef) -> NormalizedEmail {
        NormalizedEmail(trusted: "erased-" + ref.value.unicodeLowercased + "@erased.invalid")
    }

    /// `customer` anonymized at `time` (or as it is, when it was anonymized before).
    public static func anonymize(_ customer: CustomerRecord, at time: Timestamp) -> CustomerRecord {
        var a = CustomerRecord()
        a.ref = customer.ref
        a.kind = customer.kind
        let pseudonym = customer.ref.map(email(for:))
        if customer.email != nil || customer.kind == .registered { a.email = pseudonym }
        if customer.kind == .registered {
            a.username = pseudonym?.value
            a.passwordResetRequired = true
            a.status = .disabled
        }
        a.locale = customer.locale
        a.groups = customer.groups
        a.sites = customer.sites
        a.acceptsMarketing = customer.acceptsMarketing.map { _ in false }
        for address in customer.addresses {
            guard let country = address.country else { continue }
            var kept = Address()
            kept.country = country
            kept.defaultBilling = address.defaultBilling
            kept.defaultShipping = address.defaultShipping
            if !a.addresses.contains(kept) { a.addresses.append(kept) }
        }
        a.orders = customer.orders
        a.storeCredit = customer.storeCredit
        a.createdAt = customer.createdAt
        let at = customer.anonymizedAt ?? time
        a.updatedAt = customer.anonymizedAt == nil ? at : customer.updatedAt
        a.anonymizedAt = at
        a.sources = customer.sources.map { SourceReference(system: $0.system, id: erasedSourceID, file: $0.file, line: $0.line) }
        return a
    }
}
