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
            w.writeRaw("{\"algorithm\":")
            w.writeString(h.algorithm.rawValue)
            w.writeRaw(",\"value\":")
            w.writeString(h.value)
            w.writeRaw("}")
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
            w.writeRaw("[")
            for (i, a) in addresses.enumerated() {
                if i > 0 { w.writeRaw(",") }
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
            w.writeRaw("]")
        }
        if !notes.isEmpty {
            o.key(&w, "notes")
            w.writeRaw("[")
            for (i, n) in notes.enumerated() {
                if i > 0 { w.writeRaw(",") }
                w.writeRaw("{\"text\":")
                w.writeString(n.text)
                if let t = n.createdAt {
                    w.writeRaw(",\"createdAt\":")
                    w.writeString(t.description)
                }
                w.writeRaw("}")
            }
            w.writeRaw("]")
        }
        if let orders {
            o.key(&w, "orders")
            w.writeRaw("{\"count\":")
            w.writeRaw(String(orders.count))
            if !orders.totals.isEmpty {
                w.writeRaw(",\"totals\":[")
                for (i, t) in orders.totals.enumerated() {
                    if i > 0 { w.writeRaw(",") }
                    Self.writeMoney(t, into: &w)
                }
                w.writeRaw("]")
            }
            if let t = orders.lastOrderAt {
                w.writeRaw(",\"lastOrderAt\":")
                w.writeString(t.description)
            }
            w.writeRaw("}")
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
            for k in attributes.keys.sorted() { inner.string(&w, k, attributes[k]) }
            inner.close(&w)
        }
        o.string(&w, "createdAt", createdAt?.description)
        o.string(&w, "updatedAt", updatedAt?.description)
        if !sources.isEmpty {
            o.key(&w, "sources")
            w.writeRaw("[")
            for (i, s) in sources.enumerated() {
                if i > 0 { w.writeRaw(",") }
                w.writeRaw("{\"system\":")
                w.writeString(s.system)
                w.writeRaw(",\"id\":")
                w.writeString(s.id)
                w.writeRaw(",\"file\":")
                w.writeString(s.file)
                w.writeRaw(",\"line\":")
                w.writeRaw(String(s.line))
                w.writeRaw("}")
            }
            w.writeRaw("]")
        }
        o.string(&w, "anonymizedAt", anonymizedAt?.description)
        o.close(&w)
    }

    private static func writeMoney(_ m: Money, into w: inout JSONTextWriter) {
        w.writeRaw("{\"currency\":")
        w.writeString(m.currency)
        w.writeRaw(",\"amount\":")
        w.writeString(m.amount.description)
        w.writeRaw("}")
    }
}

/// Writes one JSON object's members, placing the commas.
private struct ObjectText {
    var first = true

    func open(_ w: inout JSONTextWriter) { w.writeRaw("{") }
    func close(_ w: inout JSONTextWriter) { w.writeRaw("}") }

    mutating func key(_ w: inout JSONTextWriter, _ name: String) {
        if first { first = false } else { w.writeRaw(",") }
        w.writeString(name)
        w.writeRaw(":")
    }

    mutating func string(_ w: inout JSONTextWriter, _ name: String, _ value: String?) {
        guard let value else { return }
        key(&w, name)
        w.writeString(value)
    }

    mutating func bool(_ w: inout JSONTextWriter, _ name: String, _ value: Bool) {
        key(&w, name)
        w.writeRaw(value ? "true" : "false")
    }

    mutating func list(_ w: inout JSONTextWriter, _ name: String, _ items: [String]) {
        guard !items.isEmpty else { return }
        key(&w, name)
        w.writeRaw("[")
        for (i, item) in items.enumerated() {
            if i > 0 { w.writeRaw(",") }
            w.writeString(item)
        }
        w.writeRaw("]")
    }
}
