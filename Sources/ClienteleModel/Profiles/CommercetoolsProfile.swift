import ClienteleFormats

/// commercetools Composable Commerce: the `CustomerImport` resources of its Import API, one JSON
/// object per customer (a JSON array of them or JSON Lines; cut into `CustomerImportRequest`
/// batches of 20, `{"type": "customer", "resources": [...]}`, to upload).
///
/// Layout: `CustomerImport` and `CustomerAddress` (https://docs.commercetools.com/api/import-export/customer;
/// commercetools/commercetools-sdk-typescript `packages/importapi-sdk/src/generated/models/customers.ts`):
/// `key`, `customerNumber`, `email`, `password`, `stores`, `firstName`, `lastName`, `middleName`,
/// `title`, `salutation`, `externalId`, `dateOfBirth`, `companyName`, `vatId`, `isEmailVerified`,
/// `customerGroup` (`{"typeId": "customer-group", "key": …}`), `addresses` (each with a `key`),
/// `defaultBillingAddress`/`defaultShippingAddress` (indexes into `addresses`),
/// `billingAddresses`/`shippingAddresses`, `locale`, `authenticationMode`, `custom`.
///
/// Passwords: `password` is a plaintext password that commercetools hashes itself; a hash cannot be
/// imported there. So `password` is read as a plaintext password (dropped, the customer must set a
/// new one), and existing hashes travel as commercetools' migration guide recommends
/// (https://docs.commercetools.com/tutorials/implementation-guide/import-customers): in Custom
/// Fields of a customer Type, here `clientele-customer` with `legacyPasswordHash`,
/// `legacyPasswordAlgorithm` and `isPasswordMigrated`, which the shop's login code checks before
/// setting the real password. A record with `legacyPasswordHash` has a placeholder `password`
/// (ignored). `export` writes no password and `authenticationMode: "ExternalAuth"` until then.
/// The same Type carries `accountStatus` (`disabled`, `locked`: commercetools has no account
/// status); its other Custom Fields are the customer's attributes (text; numbers and booleans as
/// written, sets joined with `,`).
///
/// commercetools has no guest customers (a guest checkout makes an order, not a customer): every
/// resource is a registered account and `export` leaves guests out. `key` is the account's id.
/// `streetName` and `streetNumber` make `street1` (`streetName` alone on export),
/// `additionalStreetInfo` is `street2`, `state` (else `region`) the region, `phone` (else `mobile`)
/// the address phone. `customerGroup` is the first group, `stores` the sites; `title`,
/// `customerNumber` and `externalId` are attributes of those names.
///
/// What does not round-trip: the customer's phone and gender (no such fields), groups after the
/// first, notes, order summary, store credit, wishlist, `createdAt`/`updatedAt`, address keys and
/// their other fields (`department`, `building`, `apartment`, `pOBox`, `mobile` beside `phone`,
/// `email`, `fax`, `additionalAddressInfo`, `externalId`, title, salutation), the split of
/// `streetName`/`streetNumber`, `billingAddresses`/`shippingAddresses` beyond the defaults,
/// `isEmailVerified`, and non-text Custom Fields (money, references).
public struct CommercetoolsProfile: CustomerProfile {
    public init() {}

    public var name: String { "commercetools" }
    public var summary: String { "commercetools Import API CustomerImport resources (JSON array or JSON Lines)" }
    public var input: ProfileInput { ProfileInput(format: .json) }

    /// The customer Type whose Custom Fields carry what CustomerImport has no field for.
    public static let customType = "clientele-customer"
    static let reservedFields: Set<String> = ["legacyPasswordHash", "legacyPasswordAlgorithm", "isPasswordMigrated", "accountStatus"]
    static let attributeFields = ["title", "customerNumber", "externalId"]

    // MARK: - Import

    public func draft(from record: ProfileRecord) -> CanonicalDraft {
        var draft = CanonicalDraft()
        guard case let .tree(value) = record, case let .object(members) = value else {
            draft.issue(.recordMalformed, "", "a CustomerImport must be a JSON object")
            return draft
        }
        draft.set("kind", "registered")
        let custom = value["custom"]?["fields"]
        let legacyHash = custom?["legacyPasswordHash"].flatMap(Self.scalar)
        var defaults: [(String, String)] = []
        for member in members {
            let v = member.value
            switch member.key {
            case "key": draft.set("id", Self.scalar(v))
            case "email": draft.set("email", Self.scalar(v))
            case "password":
                // The guide's placeholder beside a legacy hash; otherwise a plaintext password.
                if legacyHash == nil { draft.set("password", Self.scalar(v)) }
            case "firstName": draft.set("firstName", Self.scalar(v))
            case "lastName": draft.set("lastName", Self.scalar(v))
            case "middleName": draft.set("middleName", Self.scalar(v))
            case "salutation": draft.set("salutation", Self.scalar(v))
            case "dateOfBirth": draft.set("dateOfBirth", Self.scalar(v))
            case "companyName": draft.set("company", Self.scalar(v))
            case "vatId": draft.set("taxVat", Self.scalar(v))
            case "locale": draft.set("locale", Self.scalar(v))
            case "title", "customerNumber", "externalId": draft.set("attributes.\(member.key)", Self.scalar(v))
            case "customerGroup": draft.append("groups", v["key"].flatMap(Self.scalar))
            case "stores":
                if case let .array(items) = v { for item in items { draft.append("sites", item["key"].flatMap(Self.scalar)) } }
            case "addresses":
                if case let .array(items) = v {
                    for (i, item) in items.enumerated() { Self.readAddress(item, into: &draft, at: i) }
                }
            case "defaultBillingAddress": defaults.append(("defaultBilling", Self.scalar(v) ?? ""))
            case "defaultShippingAddress": defaults.append(("defaultShipping", Self.scalar(v) ?? ""))
            case "custom": Self.readCustomFields(custom, into: &draft)
            default: break  // isEmailVerified, billingAddresses, shippingAddresses, authenticationMode, unknown
            }
        }
        let count = value["addresses"].flatMap { if case let .array(items) = $0 { return items.count } else { return nil } } ?? 0
        for (flag, index) in defaults where !index.isEmpty {
            guard let i = Int(index), i >= 0, i < count else {
                let name = flag == "defaultBilling" ? "defaultBillingAddress" : "defaultShippingAddress"
                draft.issue(.recordMalformed, "addresses", "\(name): '\(index)' is not an index into the \(count) addresses")
                continue
            }
            draft.set("addresses.\(i).\(flag)", bool: true)
        }
        return draft
    }

    static func readAddress(_ item: JSONValue, into draft: inout CanonicalDraft, at i: Int) {
        let p = "addresses.\(i)"
        func field(_ name: String) -> String? { item[name].flatMap(scalar) }
        draft.set("\(p).firstName", field("firstName"))
        draft.set("\(p).lastName", field("lastName"))
        draft.set("\(p).company", field("company"))
        let street = [field("streetName"), field("streetNumber")].compactMap { $0?.trimmed }.filter { !$0.isEmpty }
        draft.set("\(p).street1", street.isEmpty ? nil : street.joined(separator: " "))
        draft.set("\(p).street2", field("additionalStreetInfo"))
        draft.set("\(p).city", field("city"))
        draft.set("\(p).region", field("state") ?? field("region"))
        draft.set("\(p).postalCode", field("postalCode"))
        draft.set("\(p).country", field("country"))
        draft.set("\(p).phone", field("phone") ?? field("mobile"))
    }

    static func readCustomFields(_ fields: JSONValue?, into draft: inout CanonicalDraft) {
        guard case let .object(members)? = fields else { return }
        for member in members {
            switch member.key {
            case "legacyPasswordHash": draft.set("passwordHash.value", scalar(member.value))
            case "legacyPasswordAlgorithm": draft.set("passwordHash.algorithm", scalar(member.value))
            case "accountStatus": draft.set("status", scalar(member.value))
            case "isPasswordMigrated": break
            default:
                if let text = scalar(member.value) {
                    draft.set("attributes.\(member.key)", text)
                } else if case let .array(items) = member.value, !items.isEmpty, items.allSatisfy({ scalar($0) != nil }) {
                    draft.set("attributes.\(member.key)", items.compactMap(scalar).joined(separator: ","))
                } else {
                    draft.issue(.fieldUnknown, "attributes.\(member.key)", "custom field '\(member.key)' is not text; not kept")
                }
            }
        }
    }

    /// A scalar as text (numbers and booleans as written); nil for null, lists and objects.
    static func scalar(_ v: JSONValue) -> String? {
        switch v {
        case let .string(s): return s
        case let .number(n): return n
        case let .bool(b): return b ? "true" : "false"
        case .null, .array, .object: return nil
        }
    }

    // MARK: - Export

    /// A JSON array of CustomerImport resources.
    public var export: ProfileExport { .jsonArray }

    /// One CustomerImport; `.json(.null)` for a guest, which commercetools cannot hold.
    public func exportRecord(_ customer: CustomerRecord) -> ExportedRecord {
        guard customer.kind == .registered else { return .json(.null) }
        var m: [JSONMember] = []
        func put(_ key: String, _ text: String?) { if let text { m.append(JSONMember(key, .string(text))) } }
        put("key", customer.sources.first?.id ?? customer.ref?.value)
        put("customerNumber", customer.attributes["customerNumber"])
        put("email", customer.email?.value)
        put("firstName", customer.firstName)
        put("lastName", customer.lastName)
        put("middleName", customer.middleName)
        put("title", customer.attributes["title"])
        put("salutation", customer.salutation)
        put("externalId", customer.attributes["externalId"])
        put("dateOfBirth", customer.dateOfBirth)
        put("companyName", customer.company)
        put("vatId", customer.taxVat)
        if let group = customer.groups.first {
            m.append(JSONMember("customerGroup", .object([JSONMember("typeId", .string("customer-group")), JSONMember("key", .string(group))])))
        }
        if !customer.sites.isEmpty {
            m.append(JSONMember("stores", .array(customer.sites.map {
                .object([JSONMember("typeId", .string("store")), JSONMember("key", .string($0))])
            })))
        }
        m.append(JSONMember("addresses", .array(customer.addresses.enumerated().map { i, a in
            var fields = [JSONMember("key", .string("address-\(i + 1)"))]
            func add(_ key: String, _ text: String?) { if let text { fields.append(JSONMember(key, .string(text))) } }
            add("firstName", a.firstName)
            add("lastName", a.lastName)
            add("streetName", a.street1)
            add("additionalStreetInfo", a.street2)
            add("postalCode", a.postalCode)
            add("city", a.city)
            add("state", a.region)
            add("country", a.country)
            add("company", a.company)
            add("phone", a.phone)
            return .object(fields)
        })))
        if let i = customer.addresses.firstIndex(where: \.defaultBilling) { m.append(JSONMember("defaultBillingAddress", .number(String(i)))) }
        if let i = customer.addresses.firstIndex(where: \.defaultShipping) { m.append(JSONMember("defaultShippingAddress", .number(String(i)))) }
        put("locale", customer.locale)
        put("authenticationMode", "ExternalAuth")
        var fields: [JSONMember] = []
        if let hash = customer.passwordHash {
            fields.append(JSONMember("legacyPasswordHash", .string(hash.value)))
            fields.append(JSONMember("legacyPasswordAlgorithm", .string(hash.algorithm.rawValue)))
            fields.append(JSONMember("isPasswordMigrated", .bool(false)))
        }
        if let status = customer.status, status != .active { fields.append(JSONMember("accountStatus", .string(status.rawValue))) }
        for name in customer.attributes.keys.sorted() where !Self.attributeFields.contains(name) && !Self.reservedFields.contains(name) {
            fields.append(JSONMember(name, .string(customer.attributes[name]!)))
        }
        if !fields.isEmpty {
            m.append(JSONMember("custom", .object([
                JSONMember("type", .object([JSONMember("typeId", .string("type")), JSONMember("key", .string(Self.customType))])),
                JSONMember("fields", .object(fields)),
            ])))
        }
        return .json(.object(m))
    }
}
