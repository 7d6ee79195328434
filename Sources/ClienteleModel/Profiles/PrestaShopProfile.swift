import ClienteleFormats

/// PrestaShop's back-office customer import (Advanced Parameters → Import → Customers): a
/// `;`-separated CSV whose header names the fields with their value conventions, read and written.
///
/// Layout: the sample file PrestaShop ships, `docs/csv_import/customers_import.csv`
/// (PrestaShop/PrestaShop): `Customer ID;Active (0/1);Titles ID (Mr = 1, Ms = 2, else 0);Email *;
/// Password *;Birthday (yyyy-mm-dd);Last Name *;First Name *;Newsletter (0/1);Opt-in (0/1);
/// Registration date (yyyy-mm-dd);Groups (x,y,z...);Default group ID`, the fields of
/// `controllers/admin/AdminImportController.php` (`customerImport`, 1.6) and
/// `src/Core/Import/EntityField/Provider/CustomerFieldsProvider.php` (1.7+, whose labels differ:
/// `ID`, `Active  (0/1)`, `Email*`, `Password*`, `Birth date (yyyy-mm-dd)`, `Last name*`,
/// `First name*`, `Partner offers (0/1)`; both spellings are read), and `ID / Name of shop` for
/// multistore.
///
/// Conventions:
/// - Every row is a registered account; `Active` 1/0 → status `active`/`disabled`. Its id is
///   `Customer ID`, or its email (lowercased) when a new customer has no ID yet; export writes the
///   PrestaShop id of customers read from PrestaShop and leaves it empty for others.
/// - `Password` is **plaintext** (the import hashes it: `$customer->passwd = Tools::encrypt(…)`),
///   so it is dropped with `password.plaintext-dropped` and the customer must set a new one; a
///   value in a strong hash's form (bcrypt, as PrestaShop 1.7+ stores, argon2, …) is kept as the
///   hash. Export leaves the column empty: PrestaShop requires a password there, which nobody
///   has; the shop must fill it (or generate one) and send password resets.
/// - Titles: 1 → salutation `Mr`, gender `male`; 2 → `Ms`, `female`; 0 or empty → none.
/// - Dates are `yyyy-mm-dd` (a time `HH:mm:ss` after the registration date is read too, and
///   written when not midnight); `0000-00-00`, MySQL's empty date, is no date.
/// - `Newsletter` → `acceptsMarketing`; `Opt-in` (partner offers) → attribute `partnerOffers`;
///   `Groups` (comma-separated names or ids) → `groups`; `Default group ID` → attribute
///   `defaultGroupId`; `ID / Name of shop` → `sites`.
///
/// Does not round-trip: the password hash, the kind of a guest (written as an account), `locked`
/// status (written as inactive), middle name, salutations other than Mr/Ms, a gender without a
/// title, phone, company, tax id, locale, sites (the column is not written), addresses
/// (PrestaShop imports them from a separate Addresses file, which needs the customers to exist
/// first; this profile reads and writes the customers file only), notes, orders, store credit,
/// wishlist, other attributes, `updatedAt`.
///
/// ```swift
/// let profile = PrestaShopProfile()
/// profile.input.delimiter   // ";"
/// ```
public struct PrestaShopProfile: CustomerProfile {
    public init() {}

    public var name: String { "prestashop" }
    public var summary: String { "PrestaShop back-office customer import (Customer ID;Active (0/1);…;Default group ID, ';'-separated)" }
    public var input: ProfileInput { ProfileInput(format: .csv, delimiter: UInt8(ascii: ";")) }

    /// The header written on export (PrestaShop's sample file), in order.
    static let header = [
        "Customer ID", "Active (0/1)", "Titles ID (Mr = 1, Ms = 2, else 0)", "Email *", "Password *", "Birthday (yyyy-mm-dd)",
        "Last Name *", "First Name *", "Newsletter (0/1)", "Opt-in (0/1)", "Registration date (yyyy-mm-dd)",
        "Groups (x,y,z...)", "Default group ID",
    ]
    /// Every spelling of each field, the sample file's first.
    static let spellings: [String: [String]] = [
        "id": ["Customer ID", "ID"],
        "active": ["Active (0/1)", "Active  (0/1)"],
        "title": ["Titles ID (Mr = 1, Ms = 2, else 0)"],
        "email": ["Email *", "Email*", "Email"],
        "password": ["Password *", "Password*", "Password"],
        "birthday": ["Birthday (yyyy-mm-dd)", "Birth date (yyyy-mm-dd)"],
        "lastname": ["Last Name *", "Last name*", "Last Name*", "Last name"],
        "firstname": ["First Name *", "First name*", "First Name*", "First name"],
        "newsletter": ["Newsletter (0/1)"],
        "optin": ["Opt-in (0/1)", "Partner offers (0/1)"],
        "date_add": ["Registration date (yyyy-mm-dd)"],
        "group": ["Groups (x,y,z...)", "Groups(x,y,z...)"],
        "id_default_group": ["Default group ID"],
        "shop": ["ID / Name of shop"],
    ]

    static let zeroOne = ValueConvention.flag(yes: ["1"], no: ["0"])
    static let date = DatePattern(known: "yyyy-MM-dd")
    static let dateTime = DatePattern(known: "yyyy-MM-dd HH:mm:ss")

    public func unknownColumns(_ columns: CSVColumns) -> [String] {
        let known = Set(Self.spellings.values.joined())
        return columns.names.filter { !known.contains($0) }
    }

    /// The email is PrestaShop's one required column that identifies a customer.
    public func headerProblem(_ columns: CSVColumns) -> String? {
        Self.spellings["email"]!.contains(where: columns.contains) ? nil
            : "a PrestaShop customer import has an 'Email *' column; this file has none (is it ';'-separated?)"
    }

    /// The cell of a field under whichever spelling the header uses.
    static func cell(_ row: CSVRow, _ field: String) -> (column: String, value: String)? {
        for column in spellings[field] ?? [] where row.columns.contains(column) {
            return row[column].map { (column, $0) }
        }
        return nil
    }

    public func draft(from record: ProfileRecord) -> CanonicalDraft {
        var draft = CanonicalDraft()
        guard let group = record.csvRows(else: "a PrestaShop customer import is CSV", &draft) else { return draft }
        let row = group.first
        func value(_ field: String) -> String? { Self.cell(row, field)?.value }
        draft.set("kind", "registered")
        // New customers in an import file often have no ID yet: the email is then the account's
        // identity (PrestaShop allows one account per email and shop).
        draft.set("id", value("id") ?? value("email")?.lowercased())
        draft.set("email", value("email"))
        if let (column, active) = Self.cell(row, "active") {
            switch active {
            case "1": draft.set("status", "active")
            case "0": draft.set("status", "disabled")
            default: draft.issue(.booleanInvalid, "status", "\(column): '\(active)' is not 0 or 1")
            }
        }
        if let (column, title) = Self.cell(row, "title") {
            switch title {
            case "1": draft.set("salutation", "Mr"); draft.set("gender", "male")
            case "2": draft.set("salutation", "Ms"); draft.set("gender", "female")
            case "0": break
            default: draft.issue(.recordMalformed, "salutation", "\(column): '\(title)' is not 0, 1 or 2")
            }
        }
        if let password = value("password") {
            draft.set(PasswordHashAlgorithm.recognize(password).isUsable ? "passwordHash" : "password", password)
        }
        if let (column, birthday) = Self.cell(row, "birthday"), birthday != "0000-00-00" {
            draft.setDate("dateOfBirth", birthday, pattern: Self.date, from: column)
        }
        draft.set("lastName", value("lastname"))
        draft.set("firstName", value("firstname"))
        if let (column, v) = Self.cell(row, "newsletter") {
            ColumnTable.read(v, column: column, field: "acceptsMarketing", Self.zeroOne, into: &draft)
        }
        if let (column, v) = Self.cell(row, "optin") {
            ColumnTable.read(v, column: column, field: "attributes.partnerOffers", Self.zeroOne, into: &draft)
        }
        if let (column, added) = Self.cell(row, "date_add"), !added.hasPrefix("0000-00-00") {
            let pattern = added.utf8.count > 10 ? Self.dateTime : Self.date
            draft.setTimestamp("createdAt", added, pattern: pattern, from: column)
        }
        for group in (value("group") ?? "").split(separator: ",") { draft.append("groups", String(group)) }
        draft.set("attributes.defaultGroupId", value("id_default_group"))
        for shop in (value("shop") ?? "").split(separator: ",") { draft.append("sites", String(shop)) }
        return draft
    }

    public var export: ProfileExport { .csv(header: Self.header, delimiter: UInt8(ascii: ";")) }

    public func exportRecord(_ customer: CustomerRecord) -> ExportedRecord {
        // Its PrestaShop id; none for a customer known by its email or from elsewhere (PrestaShop
        // numbers new customers, and reading the file back takes the email as the id again).
        let email = customer.email?.value
        var id = customer.sources.first { $0.system == name }?.id ?? (email == nil ? customer.ref?.value ?? "" : "")
        if id == email { id = "" }
        let title: String
        switch (customer.salutation?.lowercased().trimmingDot, customer.gender) {
        case ("mr", _), (nil, "male"): title = "1"
        case ("ms", _), ("mrs", _), ("miss", _), (nil, "female"): title = "2"
        default: title = "0"
        }
        var createdAt = ""
        if let t = customer.createdAt {
            let full = Self.dateTime.format(t)
            createdAt = full.hasSuffix(" 00:00:00") ? String(full.prefix(10)) : full
        }
        let cells = [
            id,
            customer.status == .active || customer.kind == .guest ? "1" : "0",
            title,
            customer.email?.value ?? "",
            "",
            customer.dateOfBirth ?? "",
            customer.lastName ?? "",
            customer.firstName ?? "",
            customer.acceptsMarketing.map { $0 ? "1" : "0" } ?? "",
            customer.attributes["partnerOffers"].map { $0 == "true" ? "1" : "0" } ?? "",
            createdAt,
            customer.groups.joined(separator: ","),
            customer.attributes["defaultGroupId"] ?? "",
        ]
        return .rows([cells])
    }
}

extension String {
    /// The text without one trailing `.` (`Mr.` → `Mr`).
    fileprivate var trimmingDot: String { hasSuffix(".") ? String(dropLast()) : self }
}
