import ClienteleFormats

/// Indented JSON text for documents people read (an access request's bundle): two spaces a
/// level, one member or item a line, scalars exactly as ``JSONTextWriter`` writes them.
/// Deterministic, like every output of Clientele.
///
/// ```swift
/// var w = JSONPrettyWriter()
/// w.write(.object([JSONMember("a", .array([.number("1")]))]))
/// // {
/// //   "a": [
/// //     1
/// //   ]
/// // }
/// ```
struct JSONPrettyWriter: ~Copyable {
    private(set) var text = JSONTextWriter(capacity: 16 * 1024)

    mutating func write(_ value: JSONValue, indent: Int = 0) {
        switch value {
        case let .array(items) where !items.isEmpty:
            text.writeRaw("[\n")
            for (i, item) in items.enumerated() {
                pad(indent + 1)
                write(item, indent: indent + 1)
                text.writeRaw(i < items.count - 1 ? ",\n" : "\n")
            }
            pad(indent)
            text.writeRaw("]")
        case let .object(members) where !members.isEmpty:
            text.writeRaw("{\n")
            for (i, member) in members.enumerated() {
                pad(indent + 1)
                text.writeString(member.key)
                text.writeRaw(": ")
                write(member.value, indent: indent + 1)
                text.writeRaw(i < members.count - 1 ? ",\n" : "\n")
            }
            pad(indent)
            text.writeRaw("}")
        default:
            text.write(value)
        }
    }

    var bytes: [UInt8] { text.bytes }

    private mutating func pad(_ level: Int) {
        text.writeRaw(String(repeating: "  ", count: level))
    }
}
