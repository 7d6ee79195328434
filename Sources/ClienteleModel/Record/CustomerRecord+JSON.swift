import ClienteleFormats

extension CustomerRecord {
    /// The record in the canonical JSON shape, fields in the order of SPEC §2, absent values left
    /// out; attributes sorted by name. Every writer (JSON Lines, CSV, XML) starts from this.
    public var jsonValue: JSONValue {
        var m: [JSONMember] = []
        m.reserveCapacity(24)
        func put(_ key: String, _ s: String?) { if let s { m.append(JSONMember(key, .string(s))) } }
        func put(_ key: String, list: [String]) { if !list.isEmpty { m.append(JSONMember(key, .array(list.map { .string($0) }))) } }
        put("ref", ref?.value)
        put("kind", kind.rawValue)
        put("email", email?.value)
        put("username", username)
        if let h = passwordHash {
            m.append(JSONMember("passwordHash", .object([JSONMember("algorithm", .string(h.algorithm.rawValue)),
                                                         JSONMember("value", .string(h.value))])))
        }
        if kind == .registered { m.append(JSONMember("passwordResetRequired", .bool(passwordResetRequired))) }
        put("status", status?.rawValue)
        put("salutation", salutation)
        put("firstName", firstName)
        put("middleName", middleName)
        put("lastName", lastName)
        put("gender", gender)
        put("dateOfBirth", dateOfBirth)
        put("phone", phone)
        put("company", company)
        put("taxVat", taxVat)
        put("locale", locale)
        put("groups", list: groups)
        put("sites", list: sites)
        if let a = acceptsMarketing { m.append(JSONMember("acceptsMarketing", .bool(a))) }
        if !addresses.isEmpty { m.append(JSONMember("addresses", .array(addresses.map(\.jsonValue)))) }
        if !notes.isEmpty { m.append(JSONMember("notes", .array(notes.map(\.jsonValue)))) }
        if let o = orders { m.append(JSONMember("orders", o.jsonValue)) }
        if let s = storeCredit { m.append(JSONMember("storeCredit", s.jsonValue)) }
        put("wishlist", list: wishlist)
        if !attributes.isEmpty {
            m.append(JSONMember("attributes", .object(attributes.keys.sorted().map { JSONMember($0, .string(attributes[$0]!)) })))
        }
        put("createdAt", createdAt?.description)
        put("updatedAt", updatedAt?.description)
        if !sources.isEmpty { m.append(JSONMember("sources", .array(sources.map(\.jsonValue)))) }
        put("anonymizedAt", anonymizedAt?.description)
        return .object(m)
    }
}

extension Address {
    var jsonValue: JSONValue {
        var m: [JSONMember] = []
        func put(_ key: String, _ s: String?) { if let s { m.append(JSONMember(key, .string(s))) } }
        put("firstName", firstName)
        put("lastName", lastName)
        put("company", company)
        put("street1", street1)
        put("street2", street2)
        put("city", city)
        put("region", region)
        put("postalCode", postalCode)
        put("country", country)
        put("phone", phone)
        m.append(JSONMember("defaultBilling", .bool(defaultBilling)))
        m.append(JSONMember("defaultShipping", .bool(defaultShipping)))
        return .object(m)
    }
}

extension Note {
    var jsonValue: JSONValue {
        var m = [JSONMember("text", .string(text))]
        if let createdAt { m.append(JSONMember("createdAt", .string(createdAt.description))) }
        return .object(m)
    }
}

extension Money {
    var jsonValue: JSONValue {
        .object([JSONMember("currency", .string(currency)), JSONMember("amount", .string(amount.description))])
    }
}

extension OrderSummary {
    var jsonValue: JSONValue {
        var m = [JSONMember("count", .number(String(count)))]
        if !totals.isEmpty { m.append(JSONMember("totals", .array(totals.map(\.jsonValue)))) }
        if let lastOrderAt { m.append(JSONMember("lastOrderAt", .string(lastOrderAt.description))) }
        return .object(m)
    }
}

extension SourceReference {
    var jsonValue: JSONValue {
        .object([JSONMember("system", .string(system)), JSONMember("id", .string(id)),
                 JSONMember("file", .string(file)), JSONMember("line", .number(String(line)))])
    }
}
