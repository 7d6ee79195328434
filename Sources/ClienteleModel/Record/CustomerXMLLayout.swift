import ClienteleFormats

extension XMLRecordLayout {
    /// The canonical customers document (SPEC §5, `Schemas/customers.xsd`): `<customers>` of
    /// `<customer>`, lists under their singular names, custom attributes as
    /// `<attribute name="k">v</attribute>`.
    ///
    /// ```swift
    /// let reader = try XMLRecordReader(source: source, layout: .customers)
    /// ```
    public static let customers = XMLRecordLayout(
        rootName: "customers", recordName: "customer",
        lists: ["groups": "group", "sites": "site", "addresses": "address", "notes": "note", "totals": "total",
                "wishlist": "sku", "sources": "source"],
        maps: ["attributes": XMLKeyedItems(item: "attribute", keyAttribute: "name")])
}
