import ClienteleFormats

/// Kibo Commerce (formerly Mozu): customer accounts as CSV whose columns are the customer REST
/// API's property paths (`CustomerAccount`), nested properties joined with dots and list items
/// numbered (`contacts.0.address.cityOrTown`, `contacts.0.types.1.isPrimary`).
///
/// Layout: the REST contracts `CustomerAccount`, `CustomerContact`, `ContactType`, `CommerceSummary`
/// (Mozu/mozu-java `mozu-java-core/src/main/java/com/mozu/api/contracts/customer/*.java`, with
/// `contracts/core/Address` and `Phone`); Kibo's Import/Export tool names "every column after a
/// property in the REST API" (Customers template, https://www.mozu.com/docs/guides/import-export/contacts.htm)
/// but spreads contacts over a second sheet joined by account id; this one-file layout numbers them
/// instead, so a customer is one row.
///
/// Conventions: booleans `true`/`false` (any case); times RFC 3339 (`2019-03-14T17:02:11.123Z`, as
/// the API writes them); `isAnonymous` marks a guest (an order without registration), `userName` a
/// registered shopper; `isLocked` → `locked`, else `isActive` false → `disabled`; `segments` are
/// segment codes separated by `,` (→ `groups`); `customerSet` → `sites`; `taxExempt` and
/// `externalId` are kept as attributes of those names; `attributes` holds the custom attributes as
/// `fullyQualifiedName=value` entries separated by `;` (`\` escapes `\`, `;` and `=`). A contact
/// is an address: `address1`/`address2` are the street lines (`address3`/`address4` are appended
/// to the second), `phoneNumbers.home` (else `work`, else `mobile`) its phone, a `Billing` or
/// `Shipping` type with `isPrimary` true the default billing or shipping address. The customer's own
/// phone is the `mobile` number of the default billing contact (else of the first contact).
///
/// What does not round-trip: password hashes (Kibo never exports them: every registered account
/// must reset its password), contact emails, middle names and ids, non-primary contact types, a
/// customer phone without any address, more than ``contactColumns`` addresses and ``noteColumns``
/// notes on export, note times, more than one site, order totals in a second currency, the
/// salutation, gender, date of birth and middle name (no account properties), store credit and
/// wishlist.
public struct KiboProfile: CustomerProfile {
    public init() {}

    public var name: String { "kibo" }
    public var summary: String { "Kibo Commerce customer accounts as CSV named after the REST properties (id, emailAddress, userName, contacts.N.…)" }
    public var input: ProfileInput { ProfileInput(format: .csv, delimiter: UInt8(ascii: ",")) }

    /// Contacts and notes written on export (reading takes any number).
    public static let contactColumns = 3
    public static let noteColumns = 2

    static let flag = ValueConvention.flag(yes: ["true"], no: ["false"])

    /// The account's own columns.
    static let account = ColumnTable([
        ColumnRule("id", "id"),
        ColumnRule("userName", "username"),
        ColumnRule("emailAddress", "email"),
        ColumnRule("firstName", "firstName"),
        ColumnRule("lastName", "lastName"),
        ColumnRule("companyOrOrganization", "company"),
        ColumnRule("taxId", "taxVat"),
        ColumnRule("taxExempt", "attributes.taxExempt", flag),
        ColumnRule("externalId", "attributes.externalId"),
        ColumnRule("isAnonymous", nil),
        ColumnRule("isActive", nil),
        ColumnRule("isLocked", nil),
        ColumnRule("acceptsMarketing", "acceptsMarketing", flag),
        ColumnRule("localeCode", "locale"),
        ColumnRule("customerSet", "sites"),
        ColumnRule("segments", "groups", .list(separator: ",")),
        ColumnRule("customerSinceDate", "createdAt"),
        ColumnRule("auditInfo.updateDate", "updatedAt"),
        ColumnRule("commerceSummary.orderCount", "orders.count"),
        ColumnRule("commerceSummary.totalOrderAmount.amount", "orders.totals.0.amount"),
        ColumnRule("commerceSummary.totalOrderAmount.currencyCode", "orders.totals.0.currency"),
        ColumnRule("commerceSummary.lastOrderDate", "orders.lastOrderAt"),
        ColumnRule("attributes", nil),
    ])

    /// A contact's columns after `contacts.N.`.
    static let contactFields = [
        "id", "firstName", "middleNameOrInitial", "lastNameOrSurname", "companyOrOrganization", "email",
        "address.address1", "address.address2", "address.address3", "address.address4", "address.cityOrTown",
        "address.stateOrProvince", "address.postalOrZipCode", "address.countryCode",
        "phoneNumbers.home", "phoneNumbers.mobile", "phoneNumbers.work",
        "types.0.name", "types.0.isPrimary", "types.1.name", "types.1.isPrimary",
    ]

    /// Names of the custom attributes kept in their own columns.
    static let ownColumnAttributes: Set<String> = ["taxExempt", "externalId"]

    public func unknownColumns(_ columns: CSVColumns) -> [String] {
        Self.account.unknownColumns(columns).filter { !Self.isContactColumn($0) && !Self.isNoteColumn($0) }
    }

    public func headerProblem(_ columns: CSVColumns) -> String? {
        let missing = ["id", "emailAddress"].filter { !columns.contains($0) }
        return missing.isEmpty ? nil : "a Kibo customer CSV needs the column\(missing.count == 1 ? "" : "s") \(missing.joined(separator: ", "))"
    }

    static func isContactColumn(_ column: String) -> Bool {
        let parts = column.split(separator: ".", maxSplits: 2)
        return parts.count == 3 && parts[0] == "contacts" && Int(parts[1]) != nil && contactFields.contains(String(parts[2]))
    }

    static func isNoteColumn(_ column: String) -> Bool {
        let parts = column.split(separator: ".")
        return parts.count == 3 && parts[0] == "notes" && Int(parts[1]) != nil && parts[2] == "content"
    }

    // MARK: - Import

    public func draft(from record: ProfileRecord) -> CanonicalDraft {
        var draft = CanonicalDraft()
        guard let group = record.csvRows(else: "a Kibo customer record must be a CSV row", &draft) else { return draft }
        let row = group.first
        Self.account.read(row, into: &draft)
        if let anonymous = Self.bool(row["isAnonymous"], "isAnonymous", field: "kind", &draft) {
            draft.set("kind", anonymous ? "guest" : "registered")
        }
        let active = Self.bool(row["isActive"], "isActive", field: "status", &draft)
        let locked = Self.bool(row["isLocked"], "isLocked", field: "status", &draft)
        if locked == true { draft.set("status", "locked") } else if active == false { draft.set("status", "disabled") }
        else if active == true || locked == false { draft.set("status", "active") }
        if let text = row["attributes"] { Self.readAttributes(text, into: &draft) }
        readContacts(row, into: &draft)
        var note = 0
        for n in 0..<Self.maxIndex(prefix: "notes", in: row.columns) {
            if let content = row["notes.\(n).content"] { draft.set("notes.\(note).text", content); note += 1 }
        }
        return draft
    }

    private func readContacts(_ row: CSVRow, into draft: inout CanonicalDraft) {
        var index = 0
        var phoneFromBilling = false
        for n in 0..<Self.maxIndex(prefix: "contacts", in: row.columns) {
            func cell(_ field: String) -> String? { row["contacts.\(n).\(field)"] }
            guard Self.contactFields.contains(where: { cell($0) != nil }) else { continue }
            let p = "addresses.\(index)"
            index += 1
            draft.set("\(p).firstName", cell("firstName"))
            draft.set("\(p).lastName", cell("lastNameOrSurname"))
            draft.set("\(p).company", cell("companyOrOrganization"))
            draft.set("\(p).street1", cell("address.address1"))
            let extra = ["address.address2", "address.address3", "address.address4"].compactMap(cell)
            draft.set("\(p).street2", extra.isEmpty ? nil : extra.joined(separator: ", "))
            draft.set("\(p).city", cell("address.cityOrTown"))
            draft.set("\(p).region", cell("address.stateOrProvince"))
            draft.set("\(p).postalCode", cell("address.postalOrZipCode"))
            draft.set("\(p).country", cell("address.countryCode"))
            draft.set("\(p).phone", cell("phoneNumbers.home") ?? cell("phoneNumbers.work") ?? cell("phoneNumbers.mobile"))
            var billing = false
            for t in 0..<2 {
                guard let name = cell("types.\(t).name") else { continue }
                let primary = Self.bool(cell("types.\(t).isPrimary"), "contacts.\(n).types.\(t).isPrimary", field: "\(p).defaultBilling", &draft)
                guard primary == true else { continue }
                switch name.lowercased() {
                case "billing": draft.set("\(p).defaultBilling", bool: true); billing = true
                case "shipping": draft.set("\(p).defaultShipping", bool: true)
                default: break
                }
            }
            // The customer's phone: the mobile of the default billing contact, else of the first contact.
            if let mobile = cell("phoneNumbers.mobile"), billing ? !phoneFromBilling : !draft.has("phone") {
                draft.set("phone", mobile)
                phoneFromBilling = billing
            }
        }
    }

    /// One more than the highest `prefix.N.` index among the columns.
    static func maxIndex(prefix: String, in columns: CSVColumns) -> Int {
        var top = 0
        for name in columns.names where name.hasPrefix(prefix + ".") {
            let parts = name.split(separator: ".")
            if parts.count > 2, let n = Int(parts[1]), n >= 0, n < 1000 { top = max(top, n + 1) }
        }
        return top
    }

    static func bool(_ value: String?, _ column: String, field: String, _ draft: inout CanonicalDraft) -> Bool? {
        guard let value else { return nil }
        switch value.lowercased() {
        case "true": return true
        case "false": return false
        default:
            draft.issue(.booleanInvalid, field, "\(column): '\(value)' is not true or false")
            return nil
        }
    }

    static func readAttributes(_ text: String, into draft: inout CanonicalDraft) {
        for entry in split(text, on: ";") {
            let pair = split(entry, on: "=", limit: 2)
            let name = unescape(pair[0]).trimmed
            guard !name.isEmpty else { continue }
            guard pair.count == 2 else {
                draft.issue(.recordMalformed, "attributes", "attributes: '\(unescape(entry))' is not fullyQualifiedName=value")
                continue
            }
            draft.set("attributes.\(name)", unescape(pair[1]))
        }
    }

    /// Splits at unescaped `separator`s, keeping the escapes (undone by ``unescape(_:)``).
    static func split(_ text: String, on separator: Character, limit: Int = .max) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaped = false
        for c in text {
            if escaped { current.append(c); escaped = false; continue }
            if c == "\\" { current.append(c); escaped = true; continue }
            if c == separator, parts.count < limit - 1 { parts.append(current); current = ""; continue }
            current.append(c)
        }
        parts.append(current)
        return parts
    }

    static func unescape(_ text: String) -> String {
        var out = ""
        var escaped = false
        for c in text {
            if escaped { out.append(c); escaped = false } else if c == "\\" { escaped = true } else { out.append(c) }
        }
        return out
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for c in text {
            if c == "\\" || c == ";" || c == "=" { out.append("\\") }
            out.append(c)
        }
        return out
    }

    // MARK: - Export

    public var export: ProfileExport {
        var header = Self.account.header
        for n in 0..<Self.contactColumns { header += Self.contactFields.map { "contacts.\(n).\($0)" } }
        for n in 0..<Self.noteColumns { header.append("notes.\(n).content") }
        return .csv(header: header, delimiter: UInt8(ascii: ","))
    }

    public func exportRecord(_ customer: CustomerRecord) -> ExportedRecord {
        var cells = Self.account.write(customer)
        func put(_ column: String, _ value: String?) {
            if let i = Self.account.header.firstIndex(of: column) { cells[i] = value ?? "" }
        }
        put("id", customer.sources.first?.id ?? customer.ref?.value)
        put("isAnonymous", customer.kind == .guest ? "true" : "false")
        put("isActive", customer.status == .disabled ? "false" : "true")
        put("isLocked", customer.status == .locked ? "true" : "false")
        put("customerSet", customer.sites.first)
        put("attributes", customer.attributes.keys.sorted().filter { !Self.ownColumnAttributes.contains($0) }
            .map { Self.escape($0) + "=" + Self.escape(customer.attributes[$0]!) }.joined(separator: ";"))
        let phoneHolder = customer.addresses.firstIndex(where: \.defaultBilling) ?? 0
        for n in 0..<Self.contactColumns {
            guard n < customer.addresses.count else {
                cells += Array(repeating: "", count: Self.contactFields.count)
                continue
            }
            let a = customer.addresses[n]
            var types: [(String, String)] = []
            if a.defaultBilling { types.append(("Billing", "true")) }
            if a.defaultShipping { types.append(("Shipping", "true")) }
            while types.count < 2 { types.append(("", "")) }
            let mobile = n == phoneHolder ? customer.phone : nil
            cells += ["", a.firstName, "", a.lastName, a.company, "",
                      a.street1, a.street2, "", "", a.city, a.region, a.postalCode, a.country,
                      a.phone, mobile, "",
                      types[0].0, types[0].1, types[1].0, types[1].1].map { $0 ?? "" }
        }
        for n in 0..<Self.noteColumns { cells.append(n < customer.notes.count ? customer.notes[n].text : "") }
        return .rows([cells])
    }
}
