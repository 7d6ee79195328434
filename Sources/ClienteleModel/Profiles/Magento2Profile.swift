import ClienteleFormats

/// Magento 2's customer import/export files (System → Data Transfer), read and written: the
/// **Customers Main File** (one row per customer) and the composite **Customers and Addresses**
/// file, where the customer columns are followed by `_address_*` columns and each further address
/// of a customer is a following row whose customer columns are blank. The layouts are told apart
/// by the header (any `_address_` column makes it the composite file); export writes the composite.
///
/// Layout sources: magento/magento2 `app/code/Magento/CustomerImportExport/Model/Export/Customer.php`
/// (permanent columns `email, _website, _store`, then the attribute codes, then `password`),
/// `Model/Import/CustomerComposite.php` (the `_address_` prefix, `_address_default_billing_` /
/// `_address_default_shipping_`, and an address row being one with a blank `email`), the files
/// `dev/tests/integration/testsuite/Magento/CustomerImportExport/Model/Import/_files/customer_composite_update.csv`
/// and `customers_to_import.csv`, and the attribute reference
/// https://experienceleague.adobe.com/docs/commerce-admin/systems/data-transfer/data-attributes-customer.html
///
/// Conventions:
/// - Every row is a registered account (Magento exports no guests: they live on orders only).
///   Magento has no customer id in these files: an account is its email within a website, so the
///   source id is `WEBSITE/email` (`base/ann@example.com`).
/// - Dates as Magento's import files write them, `m/d/Y` (`5/6/2010`; `created_at` with a time,
///   `5/6/2012 15:53`), and as its export writes them, the stored `Y-m-d` / `Y-m-d H:i:s`, and
///   since 2.4.8 `created_at` in the admin locale's medium form (`May 6, 2012, 3:53:00 PM`, read
///   for the en_US locale only). These forms cannot be confused with each other; times are UTC
///   (Magento stores UTC; the medium form is the store's time zone and is read as UTC).
///   Anything else is `date.invalid`.
/// - `gender` is the option label (`Male`, `Female`, `Not Specified` → `male`, `female`,
///   `unspecified`; the option ids 1–3 are read too). `group_id` is a customer group id: the
///   stock groups 0–3 become their names (`NOT LOGGED IN`, `General`, `Wholesale`, `Retailer`),
///   other ids stay numbers; export writes the first group it can express as an id.
/// - `password_hash` is `hash:salt:version` (recognized by ``PasswordHashAlgorithm``), exported
///   only when it has Magento's colon form. A plaintext `password` is dropped (SPEC §2).
/// - `_website` → `sites`; `_store` → attribute `store`; `prefix` → `salutation`; `suffix` →
///   attribute `nameSuffix`; `taxvat` → `taxVat`. A multi-line `_address_street` (lines joined by
///   a line break) → `street1` and `street2`.
///
/// Does not round-trip: the source id itself when the email changes, status (Magento's files have
/// none: every account is active), phone, company and locale of the customer, more than one group
/// or site, notes, orders, store credit, wishlist, other attributes, `updatedAt`; hashes not in
/// Magento's form; address names' middle name, prefix, suffix, fax and VAT id (not read).
/// Columns ignored: `confirmation`, `created_in`, `disable_auto_group_change`, `rp_token`,
/// `rp_token_created_at`, `store_id`, `website_id`. The separate Customer Addresses file
/// (`_website, _email, _entity_id, …`) is not read.
///
/// ```swift
/// let profile = Magento2Profile()
/// profile.startsRecord(row)     // false for an extra address row of the composite file
/// ```
public struct Magento2Profile: CustomerProfile {
    public init() {}

    public var name: String { "magento2" }
    public var summary: String { "Magento 2 Customers Main File or Customers and Addresses file (email,_website,_store,…[,_address_*])" }
    public var input: ProfileInput { ProfileInput(format: .csv, delimiter: UInt8(ascii: ",")) }

    /// The Customers Main File's columns, as Magento's export writes them (stock attributes).
    static let customerColumns = [
        "email", "_website", "_store", "confirmation", "created_at", "created_in", "disable_auto_group_change", "dob",
        "firstname", "gender", "group_id", "lastname", "middlename", "password_hash", "prefix", "rp_token",
        "rp_token_created_at", "store_id", "suffix", "taxvat", "website_id", "password",
    ]
    /// The address columns of the composite file.
    static let addressColumns = [
        "_address_city", "_address_company", "_address_country_id", "_address_fax", "_address_firstname",
        "_address_lastname", "_address_middlename", "_address_postcode", "_address_prefix", "_address_region",
        "_address_street", "_address_suffix", "_address_telephone", "_address_vat_id", "_address_default_billing_",
        "_address_default_shipping_",
    ]
    /// Columns other Magento files or editions carry that hold nothing canonical.
    static let otherKnownColumns: Set<String> = [
        "updated_at", "default_billing", "default_shipping", "lock_expires", "failures_num", "first_failure",
        "reward_update_notification", "reward_warning_notification", "_address_region_id",
    ]

    static let addressPrefix = "_address_"

    static let datePatterns = [DatePattern(known: "M/d/yyyy"), DatePattern(known: "yyyy-MM-dd"),
                               DatePattern(known: "yyyy-MM-dd HH:mm:ss")]
    static let timePatterns = [DatePattern(known: "M/d/yyyy H:mm:ss"), DatePattern(known: "M/d/yyyy H:mm"),
                               DatePattern(known: "yyyy-MM-dd HH:mm:ss"), DatePattern(known: "M/d/yyyy")]
    static let dateExport = DatePattern(known: "M/d/yyyy")
    static let timeExport = DatePattern(known: "M/d/yyyy HH:mm:ss")

    static let genders: [(platform: String, canonical: String)] = [
        ("Male", "male"), ("Female", "female"), ("Not Specified", "unspecified"), ("1", "male"), ("2", "female"), ("3", "unspecified"),
    ]
    static let stockGroups: [(id: String, name: String)] = [("0", "NOT LOGGED IN"), ("1", "General"), ("2", "Wholesale"), ("3", "Retailer")]

    /// In the composite file, a row whose customer columns are all blank is another address of
    /// the customer above (Magento itself looks at `email` only, which would hang a customer
    /// without an email onto the one before it as an address; `_website` and `_store`, which some
    /// tools repeat on address rows, do not count); in the main file every row is a customer.
    public func startsRecord(_ row: CSVRow) -> Bool {
        var composite = false
        for (i, column) in row.columns.names.enumerated() {
            if column.hasPrefix(Self.addressPrefix) { composite = true; continue }
            if column == "_website" || column == "_store" { continue }
            if i < row.fields.count, !row.fields[i].trimmed.isEmpty { return true }
        }
        return !composite
    }

    public func unknownColumns(_ columns: CSVColumns) -> [String] {
        let known = Set(Self.customerColumns + Self.addressColumns).union(Self.otherKnownColumns)
        return columns.names.filter { !known.contains($0) }
    }

    /// `email` and `_website` are Magento's permanent columns (an account is an email within a website).
    public func headerProblem(_ columns: CSVColumns) -> String? {
        let missing = ["email", "_website"].filter { !columns.contains($0) }
        return missing.isEmpty ? nil
            : "a Magento 2 customer file has the columns email and _website; this one lacks \(missing.joined(separator: " and "))"
    }

    public func draft(from record: ProfileRecord) -> CanonicalDraft {
        var draft = CanonicalDraft()
        guard let group = record.csvRows(else: "a Magento 2 customer file is CSV", &draft) else { return draft }
        let row = group.first
        draft.set("kind", "registered")
        let email = row["email"]
        let website = row["_website"]
        if let email { draft.set("id", (website.map { $0 + "/" } ?? "") + email.lowercased()) }
        draft.set("email", email)
        draft.append("sites", website)
        draft.set("attributes.store", row["_store"])
        draft.set("salutation", row["prefix"])
        draft.set("firstName", row["firstname"])
        draft.set("middleName", row["middlename"])
        draft.set("lastName", row["lastname"])
        draft.set("attributes.nameSuffix", row["suffix"])
        draft.set("taxVat", row["taxvat"])
        ColumnTable.read(row["gender"], column: "gender", field: "gender", .mapped(Self.genders), into: &draft)
        if let group = row["group_id"] { draft.append("groups", Self.stockGroups.first { $0.id == group }?.name ?? group) }
        draft.set("passwordHash", row["password_hash"])
        draft.set("password", row["password"])
        Self.readDate(row["dob"], column: "dob", into: &draft)
        Self.readTime(row["created_at"], column: "created_at", field: "createdAt", into: &draft)
        Self.readTime(row["updated_at"], column: "updated_at", field: "updatedAt", into: &draft)
        var k = 0
        for line in group.all where Self.readAddress(line, at: k, into: &draft) { k += 1 }
        return draft
    }

    /// One row's `_address_*` columns as `addresses.k`; whether it held an address.
    static func readAddress(_ row: CSVRow, at k: Int, into draft: inout CanonicalDraft) -> Bool {
        let p = "addresses.\(k)."
        let before = draft.has("addresses.\(k)")
        draft.set(p + "firstName", row["_address_firstname"])
        draft.set(p + "lastName", row["_address_lastname"])
        draft.set(p + "company", row["_address_company"])
        if let street = row["_address_street"] {
            let lines = street.split(whereSeparator: \.isNewline).map { String($0).trimmed }.filter { !$0.isEmpty }
            draft.set(p + "street1", lines.first)
            draft.set(p + "street2", lines.dropFirst().joined(separator: "\n"))
        }
        draft.set(p + "city", row["_address_city"])
        draft.set(p + "region", row["_address_region"])
        draft.set(p + "postalCode", row["_address_postcode"])
        draft.set(p + "country", row["_address_country_id"])
        draft.set(p + "phone", row["_address_telephone"])
        guard !before, draft.has("addresses.\(k)") else { return false }
        let flag = ValueConvention.flag(yes: ["1"], no: ["0"])
        ColumnTable.read(row["_address_default_billing_"], column: "_address_default_billing_", field: p + "defaultBilling", flag, into: &draft)
        ColumnTable.read(row["_address_default_shipping_"], column: "_address_default_shipping_", field: p + "defaultShipping", flag, into: &draft)
        return true
    }

    static func readDate(_ value: String?, column: String, into draft: inout CanonicalDraft) {
        guard let value else { return }
        if let iso = datePatterns.lazy.compactMap({ $0.isoDate(value) }).first { draft.set("dateOfBirth", iso); return }
        draft.issue(.dateInvalid, "dateOfBirth", "\(column): '\(value)' is not a date in the form M/d/yyyy or yyyy-MM-dd")
    }

    static func readTime(_ value: String?, column: String, field: String, into draft: inout CanonicalDraft) {
        guard let value else { return }
        if let ts = timePatterns.lazy.compactMap({ $0.rfc3339(value) }).first ?? mediumEnglish(value) {
            draft.set(field, ts)
            return
        }
        draft.issue(.dateInvalid, field,
                    "\(column): '\(value)' is not a time in the form M/d/yyyy H:mm[:ss], yyyy-MM-dd HH:mm:ss or MMM d, yyyy, h:mm:ss AM")
    }

    /// The en_US medium date-time Magento 2.4.8 exports `created_at` in (`May 6, 2012, 3:53:00 PM`;
    /// ICU puts a narrow no-break space before the AM/PM marker), as RFC 3339.
    static func mediumEnglish(_ value: String) -> String? {
        let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        let words = value.replacingAll("\u{202F}", with: " ").replacingAll("\u{00A0}", with: " ").replacingAll(",", with: " ")
            .split(separator: " ")
        guard words.count == 5, let month = months.firstIndex(of: words[0].lowercased()),
              let day = Int(words[1]), words[2].count == 4, let year = Int(words[2]) else { return nil }
        let clock = words[3].split(separator: ":", omittingEmptySubsequences: false)
        guard clock.count == 3, let hour12 = Int(clock[0]), (1...12).contains(hour12), clock[1].count == 2, clock[2].count == 2 else { return nil }
        let marker = words[4].uppercased()
        guard marker == "AM" || marker == "PM" else { return nil }
        let hour = hour12 % 12 + (marker == "PM" ? 12 : 0)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : String(n) }
        return DatePattern(known: "yyyy-MM-dd HH:mm:ss").rfc3339("\(year)-\(two(month + 1))-\(two(day)) \(two(hour)):\(clock[1]):\(clock[2])")
    }

    public var export: ProfileExport { .csv(header: Self.customerColumns + Self.addressColumns, delimiter: UInt8(ascii: ",")) }

    public func exportRecord(_ customer: CustomerRecord) -> ExportedRecord {
        var own: [String: String] = [:]
        own["email"] = customer.email?.value ?? ""
        own["_website"] = customer.sites.first ?? "base"
        own["_store"] = customer.attributes["store"] ?? "default"
        own["created_at"] = customer.createdAt.map(Self.timeExport.format) ?? ""
        own["dob"] = customer.dateOfBirth.flatMap { Self.dateExport.format(isoDate: $0) } ?? ""
        own["firstname"] = customer.firstName ?? ""
        own["lastname"] = customer.lastName ?? ""
        own["middlename"] = customer.middleName ?? ""
        own["prefix"] = customer.salutation ?? ""
        own["suffix"] = customer.attributes["nameSuffix"] ?? ""
        own["taxvat"] = customer.taxVat ?? ""
        own["gender"] = customer.gender.flatMap { g in Self.genders.first { $0.canonical == g }?.platform } ?? ""
        own["group_id"] = customer.groups.lazy.compactMap(Self.groupID).first ?? ""
        own["disable_auto_group_change"] = "0"
        if let hash = customer.passwordHash?.value, Self.hasMagentoForm(hash) { own["password_hash"] = hash }
        let customerCells = Self.customerColumns.map { own[$0] ?? "" }
        let blank = Array(repeating: "", count: Self.customerColumns.count)
        guard !customer.addresses.isEmpty else {
            return .rows([customerCells + Array(repeating: "", count: Self.addressColumns.count)])
        }
        return .rows(customer.addresses.enumerated().map { i, a in (i == 0 ? customerCells : blank) + Self.addressCells(a) })
    }

    static func addressCells(_ a: Address) -> [String] {
        var v: [String: String] = [:]
        v["_address_city"] = a.city
        v["_address_company"] = a.company
        v["_address_country_id"] = a.country
        v["_address_firstname"] = a.firstName
        v["_address_lastname"] = a.lastName
        v["_address_postcode"] = a.postalCode
        v["_address_region"] = a.region
        v["_address_street"] = [a.street1, a.street2].compactMap { $0 }.joined(separator: "\n")
        v["_address_telephone"] = a.phone
        v["_address_default_billing_"] = a.defaultBilling ? "1" : ""
        v["_address_default_shipping_"] = a.defaultShipping ? "1" : ""
        return addressColumns.map { v[$0] ?? "" }
    }

    /// A group as a Magento group id: a stock group's id, or a group that is an id already.
    static func groupID(_ group: String) -> String? {
        if let stock = stockGroups.first(where: { $0.name.lowercased() == group.lowercased() }) { return stock.id }
        return !group.isEmpty && group.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } ? group : nil
    }

    /// `hash:salt[:version]` with a hex hash: a hash Magento can check.
    static func hasMagentoForm(_ hash: String) -> Bool {
        let parts = hash.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 || parts.count == 3, !parts[0].isEmpty else { return false }
        return parts[0].utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || (65...70).contains($0) }
    }
}
