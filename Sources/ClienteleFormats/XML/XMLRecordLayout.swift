/// How a record-oriented XML document maps to JSON-shaped records, and back.
///
/// A document is one root element (`rootName`) holding record elements (`recordName`). Inside a
/// record, element names are the JSON member names; an element named in `lists` is a list whose
/// children are its items (an array in JSON, each item under the singular element name); an
/// element named in `maps` is an object whose members are keyed items
/// (`<attribute name="k">v</attribute>` → `"k": "v"`). Everything else with child elements is an
/// object, and an element with text only is a string. The layer above decides what the strings
/// mean (the canonical mapper reads numbers and booleans from strings).
///
/// Names are matched by their local part: a prefix or a default namespace (`xmlns="…"`) does not
/// change them. XML attributes are ignored (a map item's key attribute aside) unless
/// ``attributePrefix`` is set: then the attributes of the record element and of the elements in it
/// (list and map containers excepted) are kept as members named prefix + name, ahead of the child
/// elements, and an element that has kept attributes and text holds its text under ``textKey``.
///
/// ```swift
/// let layout = XMLRecordLayout(rootName: "customers", recordName: "customer",
///                              lists: ["groups": "group"],
///                              maps: ["attributes": XMLKeyedItems(item: "attribute", keyAttribute: "name")])
/// // Platform documents with attributes (Salesforce B2C Commerce):
/// let sfcc = XMLRecordLayout(rootName: "customers", recordName: "customer",
///                            lists: ["addresses": "address"], attributePrefix: "@")
/// // <customer customer-no="7"><credentials><password encrypted="true">h</password></credentials></customer>
/// // → {"@customer-no": "7", "credentials": {"password": {"@encrypted": "true", "#text": "h"}}}
/// ```
public struct XMLRecordLayout: Sendable, Equatable {
    /// The document element, e.g. `customers`.
    public var rootName: String
    /// Each child of the root is one record, e.g. `customer`.
    public var recordName: String
    /// List containers and the element name of their items (`"groups": "group"`).
    public var lists: [String: String]
    /// Keyed-item containers (`"attributes"`: `<attribute name="k">v</attribute>`).
    public var maps: [String: XMLKeyedItems]
    /// Keep XML attributes as members named with this prefix (`"@"`: `customer-no` → `@customer-no`;
    /// a prefixed attribute keeps its prefix: `@xml:lang`); `nil` ignores attributes.
    public var attributePrefix: String?
    /// The member holding the text of an element that also has kept attributes.
    public var textKey: String

    public init(rootName: String, recordName: String, lists: [String: String] = [:], maps: [String: XMLKeyedItems] = [:],
                attributePrefix: String? = nil, textKey: String = "#text") {
        self.rootName = rootName
        self.recordName = recordName
        self.lists = lists
        self.maps = maps
        self.attributePrefix = attributePrefix
        self.textKey = textKey
    }
}

/// The items of a keyed container: `<item keyAttribute="key">value</item>`.
public struct XMLKeyedItems: Sendable, Equatable {
    /// The element name of each item, e.g. `attribute`.
    public var item: String
    /// The XML attribute holding the member's key, e.g. `name`.
    public var keyAttribute: String

    public init(item: String, keyAttribute: String) {
        self.item = item
        self.keyAttribute = keyAttribute
    }
}
