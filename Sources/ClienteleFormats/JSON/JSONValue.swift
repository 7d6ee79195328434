/// A JSON value as read from an input record, kept exactly as written where it matters:
/// numbers stay their literal text (amounts are decimal strings, never floating point), and
/// object members keep their order (and duplicates; the last one wins where a caller looks a key up).
///
/// CSV rows and XML elements are handed up in the same shape (an object of string members), so the
/// layer above maps one representation only.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    /// The number's literal text, validated against RFC 8259's grammar.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// The value of the last member named `key`, when this is an object.
    public subscript(key: String) -> JSONValue? {
        guard case let .object(members) = self else { return nil }
        return members.last(where: { $0.key == key })?.value
    }
}

/// One `"key": value` member of a JSON object.
public struct JSONMember: Equatable, Sendable {
    public var key: String
    public var value: JSONValue

    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}
