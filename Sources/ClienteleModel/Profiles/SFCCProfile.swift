import ClienteleFormats

/// Salesforce B2C Commerce (formerly Demandware): the customer import/export XML of Business
/// Manager (`Merchant Tools > Customers > Import & Export`, pipelets `ImportCustomers` /
/// `ExportCustomers`), namespace `http://www.demandware.com/xml/impex/customer/2006-10-31`.
///
/// Layout: `customer.xsd` (SalesforceCommerceCloud/b2c-developer-tooling
/// `packages/b2c-tooling-sdk/data/xsd/customer.xsd`; also https://sfccdocs.com/specification/schema/customer):
/// `<customers>` of `<customer customer-no="…">` holding, in this order, `<credentials>` (`login`,
/// `password encrypted="…" encryptionScheme="md5|scrypt|s0001"`, `enabled-flag`, …), `<profile>`
/// (`salutation`, `title`, `first-name`, `second-name`, `last-name`, `suffix`, `company-name`,
/// `job-title`, `email`, `phone-home`, `phone-business`, `phone-mobile`, `fax`, `birthday`,
/// `gender`, `creation-date`, `last-login-time`, `last-visit-time`, `preferred-locale`,
/// `custom-attributes`), `<addresses>` (`address address-id="…" preferred="…"` with `first-name`,
/// `last-name`, `company-name`, `address1`, `address2`, `city`, `postal-code`, `state-code`,
/// `country-code`, `phone`, …), `<customer-groups>` (`customer-group group-id="…"`) and `<note>`.
/// Business Manager notes (sfcclearning.com, "Customer Object Import/Export"): gender `1` male,
/// `2` female (`male`/`female` accepted); one address may be `preferred`.
///
/// Every customer is a registered account (B2C Commerce keeps no guest customers: guests only have
/// orders), so `export` leaves guests out. `customer-no` is the account's id (optional: without it
/// the login identifies the customer, and is the id), `login` the username;
/// an `encrypted="true"` password is a hash (`scrypt` and `md5` name their algorithm; the internal
/// `s0001` is recognized from the hash's form, which fails, so those customers reset), an
/// unencrypted one a plaintext password (dropped). `enabled-flag` false is `disabled`. The phone
/// is `phone-home`, else `phone-mobile`, else `phone-business`; the preferred address is the
/// default billing and shipping address; `custom-attributes` are the attributes (a multi-value
/// attribute's `<value>`s joined with `,`).
///
/// What does not round-trip: `locked` (the schema has no lock flag; exported as `enabled-flag`
/// false), title, suffix, job title, the business and mobile phones beside the home phone, fax,
/// last login and visit times, address ids, address salutation/title/suite/postbox, separate
/// billing and shipping defaults (one `preferred` address: the default shipping address, else the
/// default billing one), notes after the first (joined into the one `note`) and their times,
/// password hashes of algorithms B2C Commerce cannot take (exported without a password: those
/// customers reset), taxVat, sites, marketing consent, order summary, store credit, wishlist,
/// `updatedAt`.
public struct SFCCProfile: CustomerProfile {
    public init() {}

    public var name: String { "sfcc" }
    public var summary: String { "Salesforce B2C Commerce customer XML (customer.xsd: customer-no, credentials, profile, addresses)" }

    public static let namespace = "http://www.demandware.com/xml/impex/customer/2006-10-31"

    /// The document as the XML reader and writer see it: attributes kept as `@name` members.
    public static let layout = XMLRecordLayout(
        rootName: "customers", recordName: "customer",
        lists: ["addresses": "address", "customer-groups": "customer-group", "external-profiles": "external-profile",
                "customer-payment-profiles": "customer-payment-profile"],
        maps: ["custom-attributes": XMLKeyedItems(item: "custom-attribute", keyAttribute: "attribute-id")],
        attributePrefix: "@")

    public var input: ProfileInput { ProfileInput(format: .xml, xmlLayout: Self.layout) }

    // MARK: - Import

    public func draft(from record: ProfileRecord) -> CanonicalDraft {
        var draft = CanonicalDraft()
        guard case let .tree(customer) = record, case .object = customer else {
            draft.issue(.recordMalformed, "", "a B2C Commerce customer must be a <customer> element")
            return draft
        }
        draft.set("kind", "registered")
        // Without a customer number B2C Commerce identifies the customer by its login.
        draft.set("id", Self.text(customer["@customer-no"]) ?? Self.text(customer["credentials"]?["login"]))
        if let credentials = customer["credentials"] {
            draft.set("username", Self.text(credentials["login"]))
            if let password = credentials["password"] { Self.readPassword(password, into: &draft) }
            if let enabled = Self.text(credentials["enabled-flag"]) {
                switch enabled.lowercased() {
                case "true", "1": draft.set("status", "active")
                case "false", "0": draft.set("status", "disabled")
                default: draft.issue(.booleanInvalid, "status", "credentials/enabled-flag: '\(enabled)' is not true or false")
                }
            }
        }
        if let profile = customer["profile"] { Self.readProfile(profile, into: &draft) }
        if case let .array(addresses)? = customer["addresses"] {
            for (i, address) in addresses.enumerated() { Self.readAddress(address, into: &draft, at: i) }
        }
        if case let .array(groups)? = customer["customer-groups"] {
            for group in groups { draft.append("groups", Self.text(group["@group-id"])) }
        }
        draft.set("notes.0.text", Self.text(customer["note"]))
        return draft
    }

    static func readPassword(_ password: JSONValue, into draft: inout CanonicalDraft) {
        guard let value = text(password["#text"] ?? password) else { return }
        let encrypted = text(password["@encrypted"])?.lowercased()
        if encrypted == "false" || encrypted == "0" {
            draft.set("password", value)
            return
        }
        draft.set("passwordHash.value", value)
        switch text(password["@encryptionScheme"])?.lowercased() {
        case "scrypt": draft.set("passwordHash.algorithm", "scrypt")
        case "md5": draft.set("passwordHash.algorithm", "md5")
        default: break  // s0001 or none: recognized from the hash's form
        }
    }

    static func readProfile(_ profile: JSONValue, into draft: inout CanonicalDraft) {
        draft.set("salutation", text(profile["salutation"]))
        draft.set("firstName", text(profile["first-name"]))
        draft.set("middleName", text(profile["second-name"]))
        draft.set("lastName", text(profile["last-name"]))
        draft.set("company", text(profile["company-name"]))
        draft.set("email", text(profile["email"]))
        draft.set("phone", text(profile["phone-home"]) ?? text(profile["phone-mobile"]) ?? text(profile["phone-business"]))
        if let birthday = text(profile["birthday"]) {
            // xsd:date may carry a time zone (`1985-04-12Z`, `1985-04-12+02:00`): the date is the day written.
            let day = String(birthday.prefix(10))
            let zone = birthday.dropFirst(10)
            if zone.isEmpty || zone == "Z" || (zone.count == 6 && (zone.hasPrefix("+") || zone.hasPrefix("-"))) {
                draft.setDate("dateOfBirth", day, pattern: isoDate, from: "profile/birthday")
            } else {
                draft.setDate("dateOfBirth", birthday, pattern: isoDate, from: "profile/birthday")
            }
        }
        if let gender = text(profile["gender"]) {
            switch gender.lowercased() {
            case "1", "male": draft.set("gender", "male")
            case "2", "female": draft.set("gender", "female")
            default: draft.set("gender", gender)
            }
        }
        draft.set("createdAt", text(profile["creation-date"]))
        draft.set("locale", text(profile["preferred-locale"]))
        if case let .object(attributes)? = profile["custom-attributes"] {
            for attribute in attributes { draft.set("attributes.\(attribute.key)", attributeValue(attribute.value)) }
        }
    }

    /// A custom attribute's value: its text, or its `<value>` items joined with `,`.
    static func attributeValue(_ v: JSONValue) -> String? {
        if let plain = text(v) { return plain }
        guard case let .object(members) = v else { return nil }
        let values = members.filter { $0.key == "value" }.compactMap { text($0.value) }
        if !values.isEmpty { return values.joined(separator: ",") }
        return members.first(where: { $0.key == "#text" }).flatMap { text($0.value) }
    }

    static func readAddress(_ address: JSONValue, into draft: inout CanonicalDraft, at i: Int) {
        let p = "addresses.\(i)"
        draft.set("\(p).firstName", text(address["first-name"]))
        draft.set("\(p).lastName", text(address["last-name"]))
        draft.set("\(p).company", text(address["company-name"]))
        draft.set("\(p).street1", text(address["address1"]))
        draft.set("\(p).street2", text(address["address2"]))
        draft.set("\(p).city", text(address["city"]))
        draft.set("\(p).region", text(address["state-code"]))
        draft.set("\(p).postalCode", text(address["postal-code"]))
        draft.set("\(p).country", text(address["country-code"]))
        draft.set("\(p).phone", text(address["phone"]))
        if let preferred = text(address["@preferred"]) {
            draft.setBool("\(p).defaultBilling", preferred, yes: ["true", "1"], no: ["false", "0"], from: "address/@preferred")
            draft.set("\(p).defaultShipping", draft.value("\(p).defaultBilling"))
        }
    }

    static let isoDate = DatePattern(known: "yyyy-MM-dd")

    /// A leaf's text; nil for absent, empty, or an element with children.
    static func text(_ v: JSONValue?) -> String? {
        guard case let .string(s)? = v else { return nil }
        let t = s.trimmed
        return t.isEmpty ? nil : t
    }

    // MARK: - Export

    public var export: ProfileExport {
        .xml(prologue: "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<customers xmlns=\"\(Self.namespace)\">\n", epilogue: "</customers>\n")
    }

    /// One `<customer>` element on a line of its own (indented, with its line break); nothing for a guest.
    public func exportRecord(_ customer: CustomerRecord) -> ExportedRecord {
        guard customer.kind == .registered else { return .xml("") }
        var m: [JSONMember] = []
        if let id = customer.sources.first?.id ?? customer.ref?.value { m.append(JSONMember("@customer-no", .string(id))) }

        var credentials: [JSONMember] = []
        if let login = customer.username ?? customer.email?.value { credentials.append(JSONMember("login", .string(login))) }
        if let hash = customer.passwordHash, let scheme = Self.scheme(hash.algorithm) {
            credentials.append(JSONMember("password", .object([JSONMember("@encrypted", .string("true")),
                                                               JSONMember("@encryptionScheme", .string(scheme)),
                                                               JSONMember("#text", .string(hash.value))])))
        }
        credentials.append(JSONMember("enabled-flag", .string(customer.status == nil || customer.status == .active ? "true" : "false")))
        m.append(JSONMember("credentials", .object(credentials)))

        var profile: [JSONMember] = []
        func put(_ into: inout [JSONMember], _ key: String, _ text: String?) { if let text { into.append(JSONMember(key, .string(text))) } }
        put(&profile, "salutation", customer.salutation)
        put(&profile, "first-name", customer.firstName)
        put(&profile, "second-name", customer.middleName)
        put(&profile, "last-name", customer.lastName)
        put(&profile, "company-name", customer.company)
        put(&profile, "email", customer.email?.value)
        put(&profile, "phone-home", customer.phone)
        put(&profile, "birthday", customer.dateOfBirth)
        put(&profile, "gender", customer.gender.map { $0 == "male" ? "1" : $0 == "female" ? "2" : $0 })
        put(&profile, "creation-date", customer.createdAt?.description)
        put(&profile, "preferred-locale", customer.locale.map { $0.replacingAll("-", with: "_") })
        if !customer.attributes.isEmpty {
            profile.append(JSONMember("custom-attributes", .object(customer.attributes.keys.sorted().map {
                JSONMember($0, .string(customer.attributes[$0]!))
            })))
        }
        m.append(JSONMember("profile", .object(profile)))

        if !customer.addresses.isEmpty {
            let preferred = customer.addresses.firstIndex(where: \.defaultShipping) ?? customer.addresses.firstIndex(where: \.defaultBilling)
            m.append(JSONMember("addresses", .array(customer.addresses.enumerated().map { i, a in
                var fields = [JSONMember("@address-id", .string("address-\(i + 1)"))]
                if i == preferred { fields.append(JSONMember("@preferred", .string("true"))) }
                put(&fields, "first-name", a.firstName)
                put(&fields, "last-name", a.lastName)
                put(&fields, "company-name", a.company)
                put(&fields, "address1", a.street1)
                put(&fields, "address2", a.street2)
                put(&fields, "city", a.city)
                put(&fields, "postal-code", a.postalCode)
                put(&fields, "state-code", a.region)
                put(&fields, "country-code", a.country)
                put(&fields, "phone", a.phone)
                return .object(fields)
            })))
        }
        if !customer.groups.isEmpty {
            m.append(JSONMember("customer-groups", .array(customer.groups.map { .object([JSONMember("@group-id", .string($0))]) })))
        }
        if !customer.notes.isEmpty { m.append(JSONMember("note", .string(customer.notes.map(\.text).joined(separator: "\n\n")))) }

        var writer = XMLTextWriter(capacity: 1024)
        writer.writeRaw("  ")
        writer.write(.object(m), as: "customer", layout: Self.layout)
        writer.writeRaw("\n")
        return .xml(String(decoding: writer.bytes, as: UTF8.self))
    }

    /// The `encryptionScheme` B2C Commerce takes for a hash, if any.
    static func scheme(_ algorithm: PasswordHashAlgorithm) -> String? {
        switch algorithm {
        case .scrypt: return "scrypt"
        case .md5: return "md5"
        default: return nil
        }
    }
}
