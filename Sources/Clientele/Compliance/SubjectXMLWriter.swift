import ClienteleFormats

/// The XML form of an access request's bundle (`subject --format xml`): the same content as the
/// JSON document, customers in the element shape of SPEC §5 (`Schemas/customers.xsd`: element
/// names are the JSON names, list items take the singular name, attributes are
/// `<attribute name="k">v</attribute>`).
///
/// A small element writer of its own, so this does not wait for the XML writer of the formats layer.
/// Raw rejected records keep their input's own field names, which need not be XML names, so they
/// are written as `<field name="k">v</field>`.
///
/// ```xml
/// <subject>
///   <request><type>access</type><email>ann@example.com</email></request>
///   <customers><customer><ref>C…</ref>…</customer></customers>
///   <crosswalk><row><system>canonical</system>…</row></crosswalk>
///   <rejects><reject><source>…</source><errors>…</errors><raw><field name="id">1001</field>…</raw></reject></rejects>
/// </subject>
/// ```
struct SubjectXMLWriter {
    private(set) var bytes: [UInt8] = []

    /// The singular element name of a list's items (SPEC §5).
    static let itemNames: [String: String] = [
        "groups": "group", "sites": "site", "addresses": "address", "notes": "note", "totals": "total",
        "wishlist": "sku", "sources": "source", "customers": "customer", "crosswalk": "row", "rejects": "reject",
        "errors": "error",
    ]

    /// Writes the whole bundle: `document` is the JSON form (an object of request, archive,
    /// customers, crosswalk and rejects).
    mutating func writeDocument(_ document: JSONValue) {
        raw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
        element("subject", document, depth: 0)
        raw("\n")
    }

    private mutating func element(_ name: String, _ value: JSONValue, depth: Int) {
        switch value {
        case .null:
            return
        case let .array(items):
            open(name, depth: depth)
            let item = Self.itemNames[name] ?? "item"
            for v in items { newline(depth + 1); element(item, v, depth: depth + 1) }
            newline(depth)
            close(name)
        case let .object(members):
            open(name, depth: depth)
            for m in members {
                newline(depth + 1)
                if name == "attributes" {
                    named("attribute", key: m.key, m.value, depth: depth + 1)
                } else if name == "raw" {
                    named("field", key: m.key, m.value, depth: depth + 1)
                } else {
                    element(m.key, m.value, depth: depth + 1)
                }
            }
            newline(depth)
            close(name)
        default:
            open(name, depth: depth)
            text(Self.scalar(value))
            close(name)
        }
    }

    /// `<tag name="key">…</tag>`: for names that are data, not XML names.
    private mutating func named(_ tag: String, key: String, _ value: JSONValue, depth: Int) {
        raw("<" + tag + " name=\"")
        text(key, attribute: true)
        raw("\">")
        switch value {
        case let .array(items):
            for v in items { newline(depth + 1); named("item", key: "", v, depth: depth + 1) }
            newline(depth)
        case let .object(members):
            for m in members { newline(depth + 1); named("field", key: m.key, m.value, depth: depth + 1) }
            newline(depth)
        default:
            text(Self.scalar(value))
        }
        close(tag)
    }

    private static func scalar(_ value: JSONValue) -> String {
        switch value {
        case let .string(s): return s
        case let .number(n): return n
        case let .bool(b): return b ? "true" : "false"
        default: return ""
        }
    }

    private mutating func open(_ name: String, depth: Int) { raw("<" + name + ">") }
    private mutating func close(_ name: String) { raw("</" + name + ">") }
    private mutating func newline(_ depth: Int) { raw("\n" + String(repeating: "  ", count: depth)) }
    private mutating func raw(_ s: String) { bytes.append(contentsOf: s.utf8) }

    /// Escapes markup characters; characters XML 1.0 cannot hold (C0 controls other than tab,
    /// LF, CR) become U+FFFD. Attribute values also escape quotes and line breaks.
    private mutating func text(_ s: String, attribute: Bool = false) {
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": raw("&amp;")
            case "<": raw("&lt;")
            case ">": raw("&gt;")
            case "\"" where attribute: raw("&quot;")
            case "\n" where attribute: raw("&#10;")
            case "\r": raw("&#13;")
            case "\t" where attribute: raw("&#9;")
            default:
                if scalar.value < 0x20 && scalar != "\t" && scalar != "\n" || scalar.value == 0xFFFE || scalar.value == 0xFFFF {
                    raw("\u{FFFD}")
                } else {
                    bytes.append(contentsOf: String(scalar).utf8)
                }
            }
        }
    }
}
