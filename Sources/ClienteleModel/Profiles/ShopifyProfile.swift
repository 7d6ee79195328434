import ClienteleFormats

/// Shopify's customer export (Admin → Customers → Export, `customers_export.csv`), read and written.
///
/// Layout (20 columns; Shopify's importer reads the same file): `Customer ID, First Name,
/// Last Name, Email, Accepts Email Marketing, Default Address Company, Default Address Address1,
/// Default Address Address2, Default Address City, Default Address Province Code, Default Address
/// Country Code, Default Address Zip, Default Address Phone, Phone, Accepts SMS Marketing,
/// Total Spent, Total Orders, Note, Tax Exempt, Tags`.
/// Sources: https://help.shopify.com/en/manual/customers/import-export-customers (the column
/// table of the customer CSV), and the header of real exports as found in public code
/// (e.g. tests that parse `customers_export.csv`), which also shows metafield columns appended as
/// `Label (customer.metafields.NAMESPACE.KEY)` and `Accepts WhatsApp Marketing` in newer exports.
///
/// Conventions read and written:
/// - A leading `'` on `Customer ID`, phones and `Default Address Zip` (Shopify adds it so that
///   spreadsheets keep zeros and `+`): dropped on import, written on export.
/// - Flags are `yes`/`no`. `Tags` is a comma-separated list → `groups`.
/// - `Total Spent` is in the store's currency, which the file does not name: the profile's
///   ``currency`` (USD unless constructed otherwise) → `orders.totals`; `Total Orders` →
///   `orders.count`. `0.00` spent on `0` orders is no order summary at all (and is what export
///   writes for a customer without one).
/// - The one default address → `addresses.0`, default for billing and shipping.
/// - `Note` → `notes.0`; `Accepts SMS Marketing` and `Tax Exempt` → attributes `acceptsSmsMarketing`
///   and `taxExempt` (`true`/`false`); metafield columns → attributes `NAMESPACE:KEY`;
///   `Accepts WhatsApp Marketing` → attribute `acceptsWhatsAppMarketing`.
///
/// Kind: the export carries no login (Shopify never exports passwords, and the native export has
/// no account-state column), so its customers are **guests**. A `State` column (Shopify's account
/// state as the Admin API and bulk-export apps write it) is read when present: `enabled` is a
/// registered, active account (without a password hash, so it must set a new password);
/// `disabled`, `invited` and `declined` are guests.
///
/// Does not round-trip (Shopify has no column for it): username, password hash, status, kind of a
/// registered account (no `State` column is written), salutation, middle name, gender, date of
/// birth, company and tax id of the customer (an address company is written), locale, sites,
/// every address but the default one and the default address's names, several notes (joined
/// into one) and note dates, order totals in other currencies, last order date, store credit,
/// wishlist, other attributes, created/updated times.
///
/// ```swift
/// let profile = ShopifyProfile(currency: "EUR")
/// let draft = profile.draft(from: .rows(group))     // one row of customers_export.csv
/// ```
public struct ShopifyProfile: CustomerProfile {
    /// The store currency `Total Spent` is in.
    public let currency: String

    public init(currency: String = "USD") {
        self.currency = currency.uppercased()
    }

    public var name: String { "shopify" }
    public var summary: String { "Shopify customer export (customers_export.csv: Customer ID, …, Default Address …, Tags)" }
    public var input: ProfileInput { ProfileInput(format: .csv, delimiter: UInt8(ascii: ",")) }

    static let yesNo = ValueConvention.flag(yes: ["yes"], no: ["no"])

    /// The columns of Shopify's export, in its order.
    static let table = ColumnTable([
        ColumnRule("Customer ID", "id", .apostrophed),
        ColumnRule("First Name", "firstName"),
        ColumnRule("Last Name", "lastName"),
        ColumnRule("Email", "email"),
        ColumnRule("Accepts Email Marketing", "acceptsMarketing", yesNo),
        ColumnRule("Default Address Company", "addresses.0.company"),
        ColumnRule("Default Address Address1", "addresses.0.street1"),
        ColumnRule("Default Address Address2", "addresses.0.street2"),
        ColumnRule("Default Address City", "addresses.0.city"),
        ColumnRule("Default Address Province Code", "addresses.0.region"),
        ColumnRule("Default Address Country Code", "addresses.0.country"),
        ColumnRule("Default Address Zip", "addresses.0.postalCode", .apostrophed),
        ColumnRule("Default Address Phone", "addresses.0.phone", .apostrophed),
        ColumnRule("Phone", "phone", .apostrophed),
        ColumnRule("Accepts SMS Marketing", "attributes.acceptsSmsMarketing", yesNo),
        ColumnRule("Total Spent", nil),
        ColumnRule("Total Orders", nil),
        ColumnRule("Note", "notes.0.text"),
        ColumnRule("Tax Exempt", "attributes.taxExempt", yesNo),
        ColumnRule("Tags", "groups", .list(separator: ",")),
    ], ignored: ["State", "Accepts WhatsApp Marketing"])

    public func unknownColumns(_ columns: CSVColumns) -> [String] {
        Self.table.unknownColumns(columns).filter { Self.metafield($0) == nil }
    }

    /// Every row needs its `Customer ID`: a file without the column is not Shopify's export.
    public func headerProblem(_ columns: CSVColumns) -> String? {
        columns.contains("Customer ID") ? nil : "a Shopify customer export has a 'Customer ID' column; this file has none"
    }

    public func draft(from record: ProfileRecord) -> CanonicalDraft {
        var draft = CanonicalDraft()
        guard let group = record.csvRows(else: "a Shopify customer export is CSV", &draft) else { return draft }
        let row = group.first
        Self.table.read(row, into: &draft)
        if draft.has("addresses.0") {
            draft.set("addresses.0.defaultBilling", bool: true)
            draft.set("addresses.0.defaultShipping", bool: true)
        }
        readOrders(row, into: &draft)
        ColumnTable.read(row["Accepts WhatsApp Marketing"], column: "Accepts WhatsApp Marketing",
                         field: "attributes.acceptsWhatsAppMarketing", Self.yesNo, into: &draft)
        for (i, column) in row.columns.names.enumerated() where i < row.fields.count {
            if let key = Self.metafield(column) { draft.set("attributes.\(key)", row.fields[i]) }
        }
        switch row["State"]?.lowercased() {
        case nil: draft.set("kind", "guest")
        case "enabled":
            draft.set("kind", "registered")
            draft.set("status", "active")
        case "disabled", "invited", "declined": draft.set("kind", "guest")
        case let other?:
            draft.issue(.kindInvalid, "kind", "State: '\(other)' is not enabled, disabled, invited or declined")
        }
        return draft
    }

    /// `Total Spent` and `Total Orders`; nothing for `0.00` on `0` orders.
    private func readOrders(_ row: CSVRow, into draft: inout CanonicalDraft) {
        let spent = row["Total Spent"]
        let count = row["Total Orders"]
        let zeroSpent = spent.flatMap(DecimalAmount.init).map { !$0.digits.contains { $0 != 0 } } ?? (spent == nil)
        if zeroSpent, count == nil || count == "0" { return }
        draft.set("orders.count", count)
        if let spent {
            draft.set("orders.totals.0.currency", currency)
            draft.set("orders.totals.0.amount", spent)
        }
    }

    /// The metafield a column carries (`Birth date (customer.metafields.facts.birth_date)` →
    /// `facts:birth_date`), as an attribute name (no dots).
    static func metafield(_ column: String) -> String? {
        let marker = "(customer.metafields."
        guard column.hasSuffix(")"), let start = column.range(of: marker) else { return nil }
        let path = column[start.upperBound..<column.index(before: column.endIndex)]
        let parts = path.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return "\(parts[0]):\(parts[1])"
    }

    public var export: ProfileExport { .csv(header: Self.table.header, delimiter: UInt8(ascii: ",")) }

    public func exportRecord(_ customer: CustomerRecord) -> ExportedRecord {
        // Shopify keeps one default address and one note: shape the customer so, then write the table.
        var shaped = customer
        let address = customer.addresses.first(where: \.defaultShipping)
            ?? customer.addresses.first(where: \.defaultBilling) ?? customer.addresses.first
        shaped.addresses = address.map { [$0] } ?? []
        if shaped.addresses.first?.company == nil, let company = customer.company {
            if shaped.addresses.isEmpty { shaped.addresses = [Address()] }
            shaped.addresses[0].company = company
        }
        shaped.notes = customer.notes.isEmpty ? [] : [Note(text: customer.notes.map(\.text).joined(separator: "\n\n"), createdAt: nil)]
        var cells = Self.table.write(shaped)
        let header = Self.table.header
        func put(_ column: String, _ value: String) { cells[header.firstIndex(of: column)!] = value }
        let id = platformID(customer)
        put("Customer ID", id.isEmpty ? "" : "'" + id)
        if let orders = customer.orders {
            put("Total Spent", orders.totals.first { $0.currency == currency }?.amount.description ?? "")
            put("Total Orders", String(orders.count))
        } else {
            // What Shopify writes for a customer who never ordered (read back as no summary).
            put("Total Spent", "0.00")
            put("Total Orders", "0")
        }
        return .rows([cells])
    }

    /// The customer's id in this platform (its first source read with this profile), else its ref.
    private func platformID(_ customer: CustomerRecord) -> String {
        customer.sources.first { $0.system == name }?.id ?? customer.ref?.value ?? ""
    }
}
