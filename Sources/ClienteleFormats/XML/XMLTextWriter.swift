/// Appends XML text to a reusable byte buffer: elements, escaped text and attributes, and whole
/// JSON-shaped records laid out by an ``XMLRecordLayout`` (the archive's and `generate`'s XML).
///
/// Output is deterministic UTF-8. Text escapes `&`, `<`, `>` and CR (`&#13;`, which a parser
/// would otherwise turn into LF); attribute values also escape `"`, LF and tab. Characters XML 1.0
/// cannot carry at all (C0 controls other than tab, LF and CR; U+FFFE, U+FFFF) are written as
/// U+FFFD. Names are written as given: callers pass XML names.
///
/// ```swift
/// var writer = XMLTextWriter()
/// writer.writeDeclaration()
/// writer.startElement("customers"); writer.writeRaw("\n")
/// writer.write(record, as: "customer", layout: layout); writer.writeRaw("\n")
/// writer.endElement("customers")
/// try sink.write(writer.bytes)
/// ```
public struct XMLTextWriter {
    /// The text written so far.
    public var bytes: [UInt8]

    public init(capacity: Int = 4096) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends `<?xml version="1.0" encoding="UTF-8"?>` and a line break.
    public mutating func writeDeclaration() {
        writeRaw("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
    }

    /// Appends `<name>`.
    public mutating func startElement(_ name: String) {
        bytes.append(UInt8(ascii: "<"))
        writeRaw(name)
        bytes.append(UInt8(ascii: ">"))
    }

    /// Appends `<name attribute="value">`, the value escaped.
    public mutating func startElement(_ name: String, attribute: String, value: String) {
        bytes.append(UInt8(ascii: "<"))
        writeRaw(name)
        bytes.append(UInt8(ascii: " "))
        writeRaw(attribute)
        bytes.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "\"")])
        appendEscaped(value, inAttribute: true)
        bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ">")])
    }

    /// Appends `<name a="v" …>`, the values escaped.
    public mutating func startElement(_ name: String, attributes: [(name: String, value: String)]) {
        bytes.append(UInt8(ascii: "<"))
        writeRaw(name)
        appendAttributes(attributes)
        bytes.append(UInt8(ascii: ">"))
    }

    /// Appends `<name a="v" …/>`, the values escaped.
    public mutating func emptyElement(_ name: String, attributes: [(name: String, value: String)]) {
        bytes.append(UInt8(ascii: "<"))
        writeRaw(name)
        appendAttributes(attributes)
        bytes.append(contentsOf: [UInt8(ascii: "/"), UInt8(ascii: ">")])
    }

    /// Appends `</name>`.
    public mutating func endElement(_ name: String) {
        bytes.append(contentsOf: [UInt8(ascii: "<"), UInt8(ascii: "/")])
        writeRaw(name)
        bytes.append(UInt8(ascii: ">"))
    }

    /// Appends `<name/>`.
    public mutating func emptyElement(_ name: String) {
        bytes.append(UInt8(ascii: "<"))
        writeRaw(name)
        bytes.append(contentsOf: [UInt8(ascii: "/"), UInt8(ascii: ">")])
    }

    /// Appends `s` as escaped character data.
    public mutating func writeText(_ s: String) {
        appendEscaped(s, inAttribute: false)
    }

    /// Appends `<name>text</name>`.
    public mutating func writeElement(_ name: String, text: String) {
        startElement(name)
        writeText(text)
        endElement(name)
    }

    /// Appends `s` as it is (markup, line breaks, indentation).
    public mutating func writeRaw(_ s: String) {
        var s = s
        s.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends `value` as the element `name`: a string, number or boolean as its text; an object
    /// as its members in order (a ``XMLRecordLayout/maps`` container as keyed items); an array as
    /// its items under the layout's item name (`item` for a name the layout does not list).
    /// `null` members are left out; an empty string, array or object is an empty element.
    ///
    /// With ``XMLRecordLayout/attributePrefix`` set, an object's members named with the prefix are
    /// written as the element's attributes and its ``XMLRecordLayout/textKey`` member as its text,
    /// the way the reader keeps them.
    public mutating func write(_ value: JSONValue, as name: String, layout: XMLRecordLayout) {
        switch value {
        case .null:
            return
        case .string(let s):
            if s.isEmpty { emptyElement(name) } else { writeElement(name, text: s) }
        case .number(let literal):
            writeElement(name, text: literal)
        case .bool(let b):
            writeElement(name, text: b ? "true" : "false")
        case .array(let items):
            guard !items.isEmpty else { return emptyElement(name) }
            let item = layout.lists[name] ?? "item"
            startElement(name)
            for element in items { write(element, as: item, layout: layout) }
            endElement(name)
        case .object(let members):
            guard !members.isEmpty else { return emptyElement(name) }
            if let prefix = layout.attributePrefix, layout.maps[name] == nil,
               members.contains(where: { $0.key.hasPrefix(prefix) || $0.key == layout.textKey }) {
                return writeWithAttributes(members, as: name, prefix: prefix, layout: layout)
            }
            startElement(name)
            if let keyed = layout.maps[name] {
                for member in members where member.value != .null {
                    writeKeyed(member, as: keyed, layout: layout)
                }
            } else {
                for member in members { write(member.value, as: member.key, layout: layout) }
            }
            endElement(name)
        }
    }

    /// Empties the text, keeping the capacity.
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    // MARK: - Private

    private mutating func appendAttributes(_ attributes: [(name: String, value: String)]) {
        for (attribute, value) in attributes {
            bytes.append(UInt8(ascii: " "))
            writeRaw(attribute)
            bytes.append(contentsOf: [UInt8(ascii: "="), UInt8(ascii: "\"")])
            appendEscaped(value, inAttribute: true)
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// An object whose prefixed members are attributes and whose text member is its text.
    private mutating func writeWithAttributes(_ members: [JSONMember], as name: String, prefix: String, layout: XMLRecordLayout) {
        var attributes: [(name: String, value: String)] = []
        var text: String?
        var children: [JSONMember] = []
        for member in members {
            if member.key.hasPrefix(prefix), let scalar = Self.scalarText(member.value) {
                attributes.append((String(member.key.dropFirst(prefix.count)), scalar))
            } else if member.key == layout.textKey, let scalar = Self.scalarText(member.value) {
                text = scalar
            } else if member.value != .null {
                children.append(member)
            }
        }
        if children.isEmpty, (text ?? "").isEmpty { return emptyElement(name, attributes: attributes) }
        startElement(name, attributes: attributes)
        if let text { writeText(text) }
        for child in children { write(child.value, as: child.key, layout: layout) }
        endElement(name)
    }

    private static func scalarText(_ value: JSONValue) -> String? {
        switch value {
        case .string(let s): return s
        case .number(let literal): return literal
        case .bool(let b): return b ? "true" : "false"
        case .null, .array, .object: return nil
        }
    }

    private mutating func writeKeyed(_ member: JSONMember, as keyed: XMLKeyedItems, layout: XMLRecordLayout) {
        startElement(keyed.item, attribute: keyed.keyAttribute, value: member.key)
        switch member.value {
        case .string(let s): writeText(s)
        case .number(let literal): writeText(literal)
        case .bool(let b): writeText(b ? "true" : "false")
        case .null: break
        case .array, .object:
            // Not a plain value: its parts as child elements under the item's own name.
            if case let .object(children) = member.value {
                for child in children { write(child.value, as: child.key, layout: layout) }
            } else if case let .array(items) = member.value {
                for element in items { write(element, as: "item", layout: layout) }
            }
        }
        endElement(keyed.item)
    }

    private mutating func appendEscaped(_ s: String, inAttribute: Bool) {
        var s = s
        s.withUTF8 { utf8 in
            // Fast path: one scan; most values need no escaping.
            var clean = true
            for b in utf8 where b < 0x20 || b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0xEF {
                clean = false
                break
            }
            if clean { bytes.append(contentsOf: utf8) } else { appendEscaped(utf8, inAttribute: inAttribute) }
        }
    }

    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, inAttribute: Bool) {
        var runStart = 0
        var i = 0
        let n = utf8.count
        func flush(_ upTo: Int) {
            if upTo > runStart { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<upTo])) }
        }
        while i < n {
            let b = utf8[i]
            var replacement: [UInt8]?
            var width = 1
            switch b {
            case 0x26: replacement = Array("&amp;".utf8)
            case 0x3C: replacement = Array("&lt;".utf8)
            case 0x3E: replacement = Array("&gt;".utf8)
            case 0x0D: replacement = Array("&#13;".utf8)
            case 0x22 where inAttribute: replacement = Array("&quot;".utf8)
            case 0x0A where inAttribute: replacement = Array("&#10;".utf8)
            case 0x09 where inAttribute: replacement = Array("&#9;".utf8)
            case 0x09, 0x0A, 0x22: break
            case 0x00..<0x20: replacement = XMLTextWriter.replacementCharacter
            case 0xEF where i + 2 < n && utf8[i + 1] == 0xBF && (utf8[i + 2] == 0xBE || utf8[i + 2] == 0xBF):
                replacement = XMLTextWriter.replacementCharacter
                width = 3
            default: break
            }
            if let replacement {
                flush(i)
                bytes.append(contentsOf: replacement)
                runStart = i + width
            }
            i += width
        }
        flush(n)
    }

    private static let replacementCharacter: [UInt8] = [0xEF, 0xBF, 0xBD]
}
