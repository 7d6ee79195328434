import ClienteleFormats

/// Maps a record in the canonical layout (SPEC §2) to a ``CustomerRecord``, validating and
/// normalizing every field on the way.
///
/// Nested JSON (and XML, which arrives in the same shape) is mapped directly; flat CSV rows with
/// dotted column names (`addresses.0.city`) are first folded into the same tree by ``CSVColumnPlan``.
/// Mapping an archive's own output gives it back unchanged (normalization is idempotent).
///
/// ```swift
/// let mapped = CanonicalMapper().map(.object([JSONMember("id", .string("7")),
///                                             JSONMember("email", .string(" Ann@Example.com"))]))
/// mapped.customer.email?.value   // "ann@example.com"
/// mapped.customer.kind           // .guest (no username or password)
/// ```
public struct CanonicalMapper: Sendable {
    public init() {}

    public func map(_ value: JSONValue) -> MappedRecord {
        var m = Mapping()
        guard case let .object(members) = value else {
            m.error(.recordMalformed, "", "the record is not an object")
            return m.result
        }
        m.run(members)
        return m.result
    }
}

/// The state of mapping one record.
private struct Mapping {
    var c = CustomerRecord()
    var sourceID: String?
    var issues: [ValidationIssue] = []
    var unknown: [String] = []
    var explicitKind: AccountKind?
    var plaintextPassword = false
    var resetRequiredInput = false
    var hashInput: (algorithm: String?, value: String)?
    var statusInput: String?
    var usernameInput: String?
    var rawPhone: String?

    var result: MappedRecord {
        MappedRecord(customer: c, sourceID: sourceID, issues: issues, unknownFields: unknown)
    }

    mutating func error(_ code: IssueCode, _ field: String, _ message: String) {
        issues.append(ValidationIssue(code, field: field, message))
    }

    // MARK: - Top level

    mutating func run(_ members: [JSONMember]) {
        for member in members {
            let v = member.value
            let key = member.key
            switch CanonicalField.byName[key] {
            case .ref:
                if let s = text(v, key) {
                    if let ref = CustomerRef(validating: s) { c.ref = ref } else { error(.refInvalid, key, "'\(s)' is not a customer reference") }
                }
            case .id: sourceID = text(v, key)
            case .kind:
                if let s = text(v, key) {
                    if let kind = AccountKind(rawValue: s.unicodeLowercased) { explicitKind = kind }
                    else { error(.kindInvalid, key, "'\(s)' is not registered or guest") }
                }
            case .email:
                if let s = text(v, key) {
                    if let e = NormalizedEmail(validating: s) { c.email = e } else { error(.emailInvalid, key, "'\(s)' is not an email address") }
                }
            case .username: usernameInput = text(v, key)
            case .passwordHash:
                switch v {
                case .object:
                    if let value = text(v["value"] ?? .null, "passwordHash.value") {
                        hashInput = (text(v["algorithm"] ?? .null, "passwordHash.algorithm"), value)
                    }
                default:
                    if let s = text(v, key) { hashInput = (nil, s) }
                }
            case .passwordResetRequired: resetRequiredInput = bool(v, key) ?? false
            case .password:
                if text(v, key) != nil { plaintextPassword = true }
            case .status: statusInput = text(v, key)
            case .salutation: c.salutation = text(v, key)
            case .firstName: c.firstName = text(v, key)
            case .middleName: c.middleName = text(v, key)
            case .lastName: c.lastName = text(v, key)
            case .gender: c.gender = text(v, key)
            case .dateOfBirth:
                if let s = text(v, key) {
                    if let d = CalendarDate(iso: s) { c.dateOfBirth = d.description } else { error(.dateInvalid, key, "'\(s)' is not a date (YYYY-MM-DD)") }
                }
            case .phone: rawPhone = text(v, key)
            case .company: c.company = text(v, key)
            case .taxVat: c.taxVat = text(v, key)
            case .locale:
                if let s = text(v, key) {
                    if let l = LocaleTag.normalize(s) { c.locale = l } else { error(.localeInvalid, key, "'\(s)' is not a BCP 47 locale") }
                }
            case .groups: c.groups = stringList(v, key)
            case .sites: c.sites = stringList(v, key)
            case .wishlist: c.wishlist = stringList(v, key)
            case .acceptsMarketing: c.acceptsMarketing = bool(v, key)
            case .addresses:
                for (i, item) in list(v, key) {
                    if let a = address(item, "addresses.\(i)"), !a.isEmpty { c.addresses.append(a) }
                }
            case .notes:
                for (i, item) in list(v, key) { if let n = note(item, "notes.\(i)") { c.notes.append(n) } }
            case .orders: c.orders = orders(v, key)
            case .storeCredit: c.storeCredit = money(v, key)
            case .attributes:
                if case let .object(pairs) = v {
                    for pair in pairs {
                        let field = "attributes.\(pair.key)"
                        guard !pair.key.isEmpty, !pair.key.contains(".") else {
                            // A dot would turn into nesting in the CSV form (attributes.a.b), so the name could not round-trip.
                            error(.recordMalformed, field, "an attribute name must be non-empty and hold no '.'")
                            continue
                        }
                        if let s = text(pair.value, field) { c.attributes[pair.key] = s }
                    }
                } else if v != .null {
                    error(.recordMalformed, key, "attributes must be an object of names to values")
                }
            case .createdAt: c.createdAt = timestamp(v, key)
            case .updatedAt: c.updatedAt = timestamp(v, key)
            case .anonymizedAt: c.anonymizedAt = timestamp(v, key)
            case .sources:
                for (i, item) in list(v, key) { if let s = source(item, "sources.\(i)") { c.sources.append(s) } }
            case nil:
                unknown.append(key)
            }
        }
        finish()
    }

    /// The rules that tie fields together: kind, registered-only fields, password, phone.
    mutating func finish() {
        if c.ref == nil, sourceID == nil {
            error(.required, "id", "the account's id in its source system is missing")
        }
        let kind = explicitKind ?? ((usernameInput != nil || hashInput != nil || plaintextPassword) ? .registered : .guest)
        c.kind = kind
        if plaintextPassword {
            issues.append(ValidationIssue(.passwordPlaintextDropped, field: "password",
                                          "a plaintext password was dropped; the customer must set a new one"))
        }
        switch kind {
        case .registered:
            if c.email == nil, !issues.contains(where: { $0.field == "email" }) {
                error(.required, "email", "a registered account needs an email")
            }
            c.username = usernameInput ?? c.email?.value
            if let (algorithmName, value) = hashInput {
                let given = algorithmName.flatMap { PasswordHashAlgorithm(rawValue: $0.unicodeLowercased) }
                let algorithm = given.flatMap { $0 == .unknown ? nil : $0 } ?? .recognize(value)
                c.passwordHash = PasswordHash(algorithm: algorithm, value: value)
                if !algorithm.isUsable {
                    issues.append(ValidationIssue(.passwordHashWeak, field: "passwordHash",
                                                  "\(algorithm.rawValue) hashes cannot be kept; the customer must set a new password"))
                }
            }
            c.passwordResetRequired = resetRequiredInput || plaintextPassword || !(c.passwordHash?.algorithm.isUsable ?? false)
            if let s = statusInput {
                if let status = AccountStatus(rawValue: s.unicodeLowercased) { c.status = status }
                else { error(.statusInvalid, "status", "'\(s)' is not active, disabled or locked") }
            } else {
                c.status = .active
            }
        case .guest:
            // Guests have no login: username, hash and status have no meaning for them.
            c.username = nil
            c.passwordHash = nil
            c.passwordResetRequired = false
            c.status = nil
        }
        if let raw = rawPhone { c.phone = phone(raw, field: "phone", country: homeCountry) }
    }

    /// The country a national phone number of the customer most likely belongs to.
    var homeCountry: String? {
        c.addresses.first(where: \.defaultBilling)?.country ?? c.addresses.first?.country
            ?? c.locale.flatMap { tag in tag.split(separator: "-").first(where: { $0.count == 2 && $0.uppercased() == $0 }).map(String.init) }
    }

    mutating func phone(_ raw: String, field: @autoclosure () -> String, country: String?) -> String {
        if let e164 = PhoneNumber.e164(raw, country: country) { return e164 }
        issues.append(ValidationIssue(.phoneNotE164, field: field(), "'\(raw)' could not be made E.164; kept as given"))
        return raw
    }

    // MARK: - Values

    /// A scalar as text: strings trimmed (empty means absent), numbers and booleans as written.
    mutating func text(_ v: JSONValue, _ field: @autoclosure () -> String) -> String? {
        switch v {
        case .null: return nil
        case let .string(s): return s.nonEmptyTrimmed
        case let .number(n): return n
        case let .bool(b): return b ? "true" : "false"
        case .array, .object:
            error(.recordMalformed, field(), "expected a single value, found a \(v.kindName)")
            return nil
        }
    }

    mutating func bool(_ v: JSONValue, _ field: @autoclosure () -> String) -> Bool? {
        if case let .bool(b) = v { return b }
        // The spellings an export writes, matched as they are: lowercasing a trimmed copy of every
        // flag (two an address) was most of what a flag cost.
        if case let .string(s) = v {
            switch s {
            case "true", "1": return true
            case "false", "0": return false
            default: break
            }
        }
        guard let s = text(v, field()) else { return nil }
        switch s.unicodeLowercased {
        case "true", "1", "yes", "y": return true
        case "false", "0", "no", "n": return false
        default:
            error(.booleanInvalid, field(), "'\(s)' is not true or false")
            return nil
        }
    }

    mutating func timestamp(_ v: JSONValue, _ field: @autoclosure () -> String) -> Timestamp? {
        guard let s = text(v, field()) else { return nil }
        if let t = Timestamp(s) { return t }
        error(.dateInvalid, field(), "'\(s)' is not an RFC 3339 timestamp")
        return nil
    }

    /// A list: a JSON array, or an object with index keys (a flattened CSV row: `groups.0`, `groups.1`).
    /// Each item comes with its position as the input wrote it, so an issue names the input's own
    /// column (`addresses.1.country` even when there is no `addresses.0`).
    mutating func list(_ v: JSONValue, _ field: @autoclosure () -> String) -> [(position: String, value: JSONValue)] {
        switch v {
        case .null: return []
        case let .array(items): return items.enumerated().map { (String($0.offset), $0.element) }
        case let .object(members):
            var indexed: [(Int, String, JSONValue)] = []
            for m in members {
                guard let i = Int(m.key), i >= 0 else {
                    error(.recordMalformed, "\(field()).\(m.key)", "expected a list index")
                    return []
                }
                indexed.append((i, m.key, m.value))
            }
            return indexed.sorted { $0.0 < $1.0 }.map { ($0.1, $0.2) }
        default:
            error(.recordMalformed, field(), "expected a list, found a \(v.kindName)")
            return []
        }
    }

    /// A list of strings, trimmed, without empties and repeats.
    mutating func stringList(_ v: JSONValue, _ field: String) -> [String] {
        if case .string = v { return text(v, field).map { [$0] } ?? [] }
        var out: [String] = []
        for (i, item) in list(v, field) {
            if let s = text(item, "\(field).\(i)"), !out.contains(s) { out.append(s) }
        }
        return out
    }

    mutating func object(_ v: JSONValue, _ field: @autoclosure () -> String) -> [JSONMember]? {
        switch v {
        case .null: return nil
        case let .object(members): return members
        default:
            error(.recordMalformed, field(), "expected an object, found a \(v.kindName)")
            return nil
        }
    }

    mutating func address(_ v: JSONValue, _ field: @autoclosure () -> String) -> Address? {
        guard let members = object(v, field()) else { return nil }
        var a = Address()
        var rawPhone: String?
        for m in members {
            // The field's name is only needed for an issue: built on demand (this loop runs for every address).
            var f: String { "\(field()).\(m.key)" }
            switch AddressField.byName[m.key] {
            case .firstName: a.firstName = text(m.value, f)
            case .lastName: a.lastName = text(m.value, f)
            case .company: a.company = text(m.value, f)
            case .street1: a.street1 = text(m.value, f)
            case .street2: a.street2 = text(m.value, f)
            case .city: a.city = text(m.value, f)
            case .region: a.region = text(m.value, f)
            case .postalCode: a.postalCode = text(m.value, f)
            case .country:
                if let s = text(m.value, f) {
                    if let code = CountryCode.normalize(s) { a.country = code } else { error(.countryInvalid, f, "'\(s)' is not an ISO 3166-1 country") }
                }
            case .phone: rawPhone = text(m.value, f)
            case .defaultBilling: a.defaultBilling = bool(m.value, f) ?? false
            case .defaultShipping: a.defaultShipping = bool(m.value, f) ?? false
            case nil: unknown.append(f)
            }
        }
        if let raw = rawPhone { a.phone = phone(raw, field: "\(field()).phone", country: a.country) }
        return a
    }

    mutating func note(_ v: JSONValue, _ field: @autoclosure () -> String) -> Note? {
        if case let .string(s) = v { return s.nonEmptyTrimmed.map { Note(text: $0, createdAt: nil) } }
        guard let members = object(v, field()) else { return nil }
        var text: String?
        var createdAt: Timestamp?
        for m in members {
            switch m.key {
            case "text": text = self.text(m.value, "\(field()).text")
            case "createdAt": createdAt = timestamp(m.value, "\(field()).createdAt")
            default: unknown.append("\(field()).\(m.key)")
            }
        }
        return text.map { Note(text: $0, createdAt: createdAt) }
    }

    mutating func money(_ v: JSONValue, _ field: @autoclosure () -> String) -> Money? {
        guard let members = object(v, field()) else { return nil }
        var currency: String?
        var amount: DecimalAmount?
        var amountText: String?
        for m in members {
            switch m.key {
            case "currency":
                if let s = text(m.value, "\(field()).currency") {
                    let upper = s.uppercased()
                    if upper.utf8.count == 3, upper.utf8.allSatisfy({ $0 >= 65 && $0 <= 90 }) { currency = upper }
                    else { error(.currencyInvalid, "\(field()).currency", "'\(s)' is not an ISO 4217 currency code") }
                }
            case "amount":
                if let s = text(m.value, "\(field()).amount") {
                    amountText = s
                    amount = DecimalAmount(s)
                    if amount == nil { error(.amountInvalid, "\(field()).amount", "'\(s)' is not a decimal amount") }
                }
            default: unknown.append("\(field()).\(m.key)")
            }
        }
        if amount != nil, currency == nil, !issues.contains(where: { $0.field == "\(field()).currency" }) {
            error(.required, "\(field()).currency", "an amount needs its currency")
        }
        if currency != nil, amountText == nil { error(.required, "\(field()).amount", "a currency needs an amount") }
        guard let currency, let amount else { return nil }
        return Money(currency: currency, amount: amount)
    }

    mutating func orders(_ v: JSONValue, _ field: String) -> OrderSummary? {
        guard let members = object(v, field) else { return nil }
        var o = OrderSummary()
        var any = false
        for m in members {
            switch m.key {
            case "count":
                if let s = text(m.value, "\(field).count") {
                    if let n = Int(s), n >= 0 { o.count = n; any = true }
                    else { error(.numberInvalid, "\(field).count", "'\(s)' is not a whole number of orders") }
                }
            case "totals":
                for (i, item) in list(m.value, "\(field).totals") {
                    if let t = money(item, "\(field).totals.\(i)") {
                        any = true
                        var single = OrderSummary()
                        single.totals = [t]
                        o.add(single)
                    }
                }
            case "lastOrderAt":
                if let t = timestamp(m.value, "\(field).lastOrderAt") { o.lastOrderAt = t; any = true }
            default: unknown.append("\(field).\(m.key)")
            }
        }
        return any ? o : nil
    }

    mutating func source(_ v: JSONValue, _ field: @autoclosure () -> String) -> SourceReference? {
        guard let members = object(v, field()) else { return nil }
        let issuesBefore = issues.count
        var s = SourceReference(system: "", id: "", file: "", line: 0)
        for m in members {
            // The field's name is only needed for an issue: built on demand (this loop runs for every address).
            var f: String { "\(field()).\(m.key)" }
            switch m.key {
            case "system": s.system = text(m.value, f) ?? ""
            case "id": s.id = text(m.value, f) ?? ""
            case "file": s.file = text(m.value, f) ?? ""
            case "line":
                if let t = text(m.value, f) {
                    if let n = Int(t), n >= 1 { s.line = n } else { error(.numberInvalid, f, "'\(t)' is not a line number") }
                }
            default: unknown.append(f)
            }
        }
        if s.system.isEmpty || s.id.isEmpty || s.file.isEmpty || s.line == 0 {
            // A source is provenance: without all four parts it would be written half-empty.
            if issues.count == issuesBefore { error(.required, field(), "a source needs its system, id, file and line") }
            return nil
        }
        return s
    }
}

extension JSONValue {
    /// A word for error messages.
    var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "boolean"
        case .number: return "number"
        case .string: return "string"
        case .array: return "list"
        case .object: return "object"
        }
    }
}

/// The canonical record's top-level members, found by one table lookup: a `switch` over their names
/// compared the key with each name in turn (string comparisons were a twentieth of an import).
private enum CanonicalField: String, CaseIterable {
    case ref, id, kind, email, username, passwordHash, passwordResetRequired, password, status, salutation, firstName, middleName, lastName, gender, dateOfBirth, phone, company, taxVat, locale, groups, sites, wishlist, acceptsMarketing, addresses, notes, orders, storeCredit, attributes, createdAt, updatedAt, anonymizedAt, sources

    static let byName = MemberNameTable(allCases.map { ($0.rawValue, $0) })
}

/// An address's members (see ``CanonicalField``).
private enum AddressField: String, CaseIterable {
    case firstName, lastName, company, street1, street2, city, region, postalCode, country, phone, defaultBilling, defaultShipping

    static let byName = MemberNameTable(allCases.map { ($0.rawValue, $0) })
}
