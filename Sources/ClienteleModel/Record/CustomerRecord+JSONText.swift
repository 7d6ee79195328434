import ClienteleFormats

extension CustomerRecord {
    /// Appends the record as compact canonical JSON: the same text as writing ``jsonValue``, made
    /// without building the tree first (the archive writes a million of these; the tree cost a
    /// tenth of a profiled run).
    ///
    /// ```swift
    /// var writer = JSONTextWriter()
    /// customer.writeJSON(into: &writer)   // {"ref":"C…","kind":"guest",…}
    /// ```
    public func writeJSON(into w: inout JSONTextWriter) {
        var o = ObjectText()
        o.open(&w)
        o.string(&w, "ref", ref?.value)
        o.string(&w, "kind", kind.rawValue)
        o.string(&w, "email", email?.value)
        o.string(&w, "username", username)
        if let h = passwordHash {
            o.key(&w, "passwordHash")
            w.writeLiteral("{\"algorithm\":")
            w.writeString(h.algorithm.rawValue)
            w.writeLiteral(",\"value\":")
            w.writeString(h.value)
            w.writeLiteral("}")
        }
        if kind == .registered { o.bool(&w, "passwordResetRequired", passwordResetRequired) }
        o.string(&w, "status", status?.rawValue)
        o.string(&w, "salutation", salutation)
        o.string(&w, "firstName", firstName)
        o.string(&w, "middleName", middleName)
        o.string(&w, "lastName", lastName)
        o.string(&w, "gender", gender)
        o.string(&w, "dateOfBirth", dateOfBirth)
        o.string(&w, "phone", phone)
        o.string(&w, "company", company)
        o.string(&w, "taxVat", taxVat)
        o.string(&w, "locale", locale)
        o.list(&w, "groups", groups)
        o.list(&w, "sites", sites)
        if let a = acceptsMarketing { o.bool(&w, "acceptsMarketing", a) }
        if !addresses.isEmpty {
            o.key(&w, "addresses")
            w.writeLiteral("[")
            for (i, a) in addresses.enumerated() {
                if i > 0 { w.writeLiteral(",") }
                var inner = ObjectText()
                inner.open(&w)
                inner.string(&w, "firstName", a.firstName)
                inner.string(&w, "lastName", a.lastName)
                inner.string(&w, "company", a.company)
                inner.string(&w, "street1", a.street1)
                inner.string(&w, "street2", a.street2)
                inner.string(&w, "city", a.city)
                inner.string(&w, "region", a.region)
                inner.string(&w, "postalCode", a.postalCode)
                inner.string(&w, "country", a.country)
                inner.string(&w, "phone", a.phone)
                inner.bool(&w, "defaultBilling", a.defaultBilling)
                inner.bool(&w, "defaultShipping", a.defaultShipping)
                inner.close(&w)
            }
            w.writeLiteral("]")
        }
        if !notes.isEmpty {
            o.key(&w, "notes")
            w.writeLiteral("[")
            for (i, n) in notes.enumerated() {
                if i > 0 { w.writeLiteral(",") }
                w.writeLiteral("{\"text\":")
                w.writeString(n.text)
                if let t = n.createdAt {
                    w.writeLiteral(",\"createdAt\":")
                    w.writeString(t.description)
                }
                w.writeLiteral("}")
            }
            w.writeLiteral("]")
        }
        if let orders {
            o.key(&w, "orders")
            w.writeLiteral("{\"count\":")
            w.writeRaw(String(orders.count))
            if !orders.totals.isEmpty {
                w.writeLiteral(",\"totals\":[")
                for (i, t) in orders.totals.enumerated() {
                    if i > 0 { w.writeLiteral(",") }
                    Self.writeMoney(t, into: &w)
                }
                w.writeLiteral("]")
            }
            if let t = orders.lastOrderAt {
                w.writeLiteral(",\"lastOrderAt\":")
                w.writeString(t.description)
            }
            w.writeLiteral("}")
        }
        if let s = storeCredit {
            o.key(&w, "storeCredit")
            Self.writeMoney(s, into: &w)
        }
        o.list(&w, "wishlist", wishlist)
        if !attributes.isEmpty {
            o.key(&w, "attributes")
            var inner = ObjectText()
            inner.open(&w)
            for k in attributes.keys.sorted() { inner.member(&w, k, attributes[k]!) }
            inner.close(&w)
        }
        o.string(&w, "createdAt", createdAt?.description)
        o.string(&w, "updatedAt", updatedAt?.description)
        if !sources.isEmpty {
            o.key(&w, "sources")
            w.writeLiteral("[")
            for (i, s) in sources.enumerated() {
                if i > 0 { w.writeLiteral(",") }
                w.writeLiteral("{\"system\":")
                w.writeString(s.system)
                w.writeLiteral(",\"id\":")
                w.writeString(s.id)
                w.writeLiteral(",\"file\":")
                w.writeString(s.file)
                w.writeLiteral(",\"line\":")
                w.writeRaw(String(s.line))
                w.writeLiteral("}")
            }
            w.writeLiteral("]")
        }
        o.string(&w, "anonymizedAt", anonymizedAt?.description)
        o.close(&w)
    }

    private static func writeMoney(_ m: Money, into w: inout JSONTextWriter) {
        w.writeLiteral("{\"currency\":")
        w.writeString(m.currency)
        w.writeLiteral(",\"amount\":")
        w.writeString(m.amount.description)
        w.writeLiteral("}")
    }
}

/// Writes one JSON object's members, placing the commas.
private struct ObjectText {
    var first = true

    func open(_ w: inout JSONTextWriter) { w.writeLiteral("{") }
    func close(_ w: inout JSONTextWriter) { w.writeLiteral("}") }

    mutating func key(_ w: inout JSONTextWriter, _ name: StaticString) {
        if first { first = false } else { w.writeLiteral(",") }
        w.writeKey(name)
    }

    /// A member whose name is data (an attribute's).
    mutating func member(_ w: inout JSONTextWriter, _ name: String, _ value: String) {
        if first { first = false } else { w.writeLiteral(",") }
        w.writeString(name)
        w.writeLiteral(":")
        w.writeString(value)
    }

    mutating func string(_ w: inout JSONTextWriter, _ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(&w, name)
        w.writeString(value)
    }

    mutating func bool(_ w: inout JSONTextWriter, _ name: StaticString, _ value: Bool) {
        key(&w, name)
        w.writeLiteral(value ? "true" : "false")
    }

    mutating func list(_ w: inout JSONTextWriter, _ name: StaticString, _ items: [String]) {
        guard !items.isEmpty else { return }
        key(&w, name)
        w.writeLiteral("[")
        for (i, item) in items.enumerated() {
            if i > 0 { w.writeLiteral(",") }
            w.writeString(item)
        }
        w.writeLiteral("]")
    }
}
