import ClienteleFormats

/// WooCommerce customers as WordPress users with their `billing_*` / `shipping_*` meta, in the
/// CSV layout of WebToffee's "Import Export WordPress Users and WooCommerce Customers" plugin
/// (the user import/export of the WooCommerce Import Export Suite), read and written.
///
/// Layout sources: the plugin's column list `includes/exporter/data/data-wf-post-columns.php`
/// (wordpress.org plugin `users-customers-import-export-for-wp-woocommerce`: `ID, customer_id,
/// user_login, user_pass, user_nicename, user_email, user_url, user_registered, display_name,
/// first_name, last_name, user_status, roles`, the default user meta `nickname, description, …,
/// locale, …`, then `billing_first_name … billing_country, shipping_first_name … shipping_country`),
/// its `Sample_Users.csv`, and the column reference
/// https://woocommerce.com/document/import-and-export-of-woocommerce-users/ . `shipping_phone`
/// (WooCommerce 5.6+) is read and written after `shipping_country`.
///
/// Conventions:
/// - A row with a WordPress user (`ID`, `user_login` or `user_pass`) is a registered account:
///   `ID` is its id, `user_login` its username, `user_pass` its hash (WordPress's phpass `$P$…`
///   and 6.8's `$wp$2y$…` are not hashes other platforms can check: recognized as `unknown`, the
///   customer must set a new password). A row without one is a guest customer (WooCommerce's
///   customer lookup), whose id is `guest-` + `customer_id`, and whose email is `billing_email`.
/// - `user_registered` is `Y-m-d H:i:s` in UTC (WordPress stores it in GMT).
/// - `billing_*` → an address that is the default billing address, `shipping_*` → one that is the
///   default shipping address; one address with both flags when they are the same place.
///   `billing_email`, when it is not the account's email → attribute `billingEmail`.
/// - `roles` (WordPress roles, e.g. `customer` or `subscriber, customer`) → attribute `roles`, not
///   `groups`: a group from another platform written as a WordPress role would make a user with
///   no role. Export writes `customer` for a registered account without it.
/// - `locale` (`de_DE`) → `locale` (`de-DE`), and back.
///
/// Does not round-trip: status, salutation, middle name, gender, date of birth, customer-level
/// phone and company (written into the billing address when it has none), tax id, groups, sites,
/// marketing consent, addresses beyond one billing and one shipping address, notes, orders,
/// store credit, wishlist, other attributes, `updatedAt`. Columns read as nothing: `user_nicename`,
/// `user_url`, `display_name`, `nickname`, `description`, `user_status` and the admin-screen meta
/// (`rich_editing` …).
///
/// ```swift
/// let profile = WooCommerceProfile()
/// let draft = profile.draft(from: .rows(group))   // one user of the export
/// ```
public struct WooCommerceProfile: CustomerProfile {
    public init() {}

    public var name: String { "woocommerce" }
    public var summary: String { "WooCommerce customers: WordPress users with billing_*/shipping_* meta (WebToffee user CSV)" }
    public var input: ProfileInput { ProfileInput(format: .csv, delimiter: UInt8(ascii: ",")) }

    static let userColumns = [
        "ID", "customer_id", "user_login", "user_pass", "user_nicename", "user_email", "user_url", "user_registered",
        "display_name", "first_name", "last_name", "user_status", "roles", "nickname", "description", "locale",
    ]
    static let addressFields = [
        ("first_name", "firstName"), ("last_name", "lastName"), ("company", "company"), ("address_1", "street1"),
        ("address_2", "street2"), ("city", "city"), ("state", "region"), ("postcode", "postalCode"), ("country", "country"),
        ("phone", "phone"),
    ]
    static let billingColumns = [
        "billing_first_name", "billing_last_name", "billing_company", "billing_email", "billing_phone", "billing_address_1",
        "billing_address_2", "billing_postcode", "billing_city", "billing_state", "billing_country",
    ]
    static let shippingColumns = [
        "shipping_first_name", "shipping_last_name", "shipping_company", "shipping_address_1", "shipping_address_2",
        "shipping_postcode", "shipping_city", "shipping_state", "shipping_country", "shipping_phone",
    ]
    /// Default user meta the plugin writes that carries nothing canonical.
    static let adminMeta: Set<String> = [
        "rich_editing", "syntax_highlighting", "admin_color", "use_ssl", "show_admin_bar_front", "wp_user_level",
        "dismissed_wp_pointers", "last_update", "show_welcome_panel", "session_tokens", "comment_shortcuts",
        "wc_last_active", "paying_customer",
    ]
    static let registered = DatePattern(known: "yyyy-MM-dd HH:mm:ss")

    public func unknownColumns(_ columns: CSVColumns) -> [String] {
        let known = Set(Self.userColumns + Self.billingColumns + Self.shippingColumns).union(Self.adminMeta)
        return columns.names.filter { !known.contains($0) }
    }

    /// A user needs its `ID` (a guest its `customer_id`) and an email column.
    public func headerProblem(_ columns: CSVColumns) -> String? {
        if !columns.contains("ID") && !columns.contains("customer_id") {
            return "a WooCommerce user export has an ID or customer_id column; this file has neither"
        }
        if !columns.contains("user_email") && !columns.contains("billing_email") {
            return "a WooCommerce user export has a user_email or billing_email column; this file has neither"
        }
        return nil
    }

    public func draft(from record: ProfileRecord) -> CanonicalDraft {
        var draft = CanonicalDraft()
        guard let group = record.csvRows(else: "a WooCommerce user export is CSV", &draft) else { return draft }
        let row = group.first
        let isUser = row["ID"] != nil || row["user_login"] != nil || row["user_pass"] != nil
        let billingEmail = row["billing_email"]
        if isUser {
            draft.set("kind", "registered")
            draft.set("id", row["ID"])
            draft.set("username", row["user_login"])
            draft.set("passwordHash", row["user_pass"])
            draft.set("email", row["user_email"] ?? billingEmail)
            if let billingEmail, let email = row["user_email"], billingEmail.lowercased() != email.lowercased() {
                draft.set("attributes.billingEmail", billingEmail)
            }
        } else {
            draft.set("kind", "guest")
            draft.set("id", row["customer_id"].map { "guest-" + $0 })
            draft.set("email", billingEmail ?? row["user_email"])
        }
        draft.set("firstName", row["first_name"])
        draft.set("lastName", row["last_name"])
        draft.set("locale", row["locale"])
        draft.set("attributes.roles", row["roles"])
        draft.setTimestamp("createdAt", row["user_registered"], pattern: Self.registered, from: "user_registered")
        let billing = Self.address(row, prefix: "billing_")
        let shipping = Self.address(row, prefix: "shipping_")
        var k = 0
        func put(_ values: [String: String], billing: Bool, shipping: Bool) {
            for (field, value) in values { draft.set("addresses.\(k).\(field)", value) }
            if billing { draft.set("addresses.\(k).defaultBilling", bool: true) }
            if shipping { draft.set("addresses.\(k).defaultShipping", bool: true) }
            k += 1
        }
        if !billing.isEmpty, !shipping.isEmpty, Self.samePlace(billing, shipping) {
            put(billing.merging(shipping) { b, _ in b }, billing: true, shipping: true)
        } else {
            if !billing.isEmpty { put(billing, billing: true, shipping: false) }
            if !shipping.isEmpty { put(shipping, billing: false, shipping: true) }
        }
        return draft
    }

    /// The canonical address fields of the `billing_` or `shipping_` columns.
    static func address(_ row: CSVRow, prefix: String) -> [String: String] {
        var values: [String: String] = [:]
        for (column, field) in addressFields { if let v = row[prefix + column] { values[field] = v } }
        return values
    }

    /// Whether two addresses are the same place: equal in every field but the phone, and their
    /// phones not different.
    static func samePlace(_ a: [String: String], _ b: [String: String]) -> Bool {
        for (_, field) in addressFields where field != "phone" {
            if a[field]?.lowercased() != b[field]?.lowercased() { return false }
        }
        if let pa = a["phone"], let pb = b["phone"], pa != pb { return false }
        return true
    }

    public var export: ProfileExport {
        .csv(header: Self.userColumns + Self.billingColumns + Self.shippingColumns, delimiter: UInt8(ascii: ","))
    }

    public func exportRecord(_ customer: CustomerRecord) -> ExportedRecord {
        var v: [String: String] = [:]
        let id = customer.sources.first { $0.system == name }?.id ?? customer.ref?.value ?? ""
        if customer.kind == .registered {
            v["ID"] = id
            v["user_login"] = customer.username ?? customer.email?.value
            v["user_pass"] = customer.passwordHash?.value
            v["user_email"] = customer.email?.value
            v["roles"] = customer.attributes["roles"] ?? "customer"
            v["user_status"] = "0"
        } else {
            v["customer_id"] = id.hasPrefix("guest-") ? String(id.dropFirst(6)) : id
        }
        v["user_registered"] = customer.createdAt.map(Self.registered.format)
        v["display_name"] = [customer.firstName, customer.lastName].compactMap { $0 }.joined(separator: " ")
        v["first_name"] = customer.firstName
        v["last_name"] = customer.lastName
        v["locale"] = customer.locale?.replacingAll("-", with: "_")
        let billing = customer.addresses.first(where: \.defaultBilling)
            ?? (customer.addresses.contains(where: \.defaultShipping) ? nil : customer.addresses.first)
        let shipping = customer.addresses.first(where: \.defaultShipping)
        if var b = billing ?? (customer.phone != nil || customer.company != nil ? Address() : nil) {
            b.phone = b.phone ?? customer.phone
            b.company = b.company ?? customer.company
            Self.write(b, prefix: "billing_", into: &v)
        }
        if let s = shipping { Self.write(s, prefix: "shipping_", into: &v) }
        v["billing_email"] = customer.attributes["billingEmail"] ?? customer.email?.value
        return .rows([(Self.userColumns + Self.billingColumns + Self.shippingColumns).map { v[$0] ?? "" }])
    }

    static func write(_ a: Address, prefix: String, into v: inout [String: String]) {
        let values: [String: String?] = [
            "first_name": a.firstName, "last_name": a.lastName, "company": a.company, "address_1": a.street1,
            "address_2": a.street2, "city": a.city, "state": a.region, "postcode": a.postalCode, "country": a.country,
            "phone": a.phone,
        ]
        for (column, value) in values { if let value { v[prefix + column] = value } }
    }
}
