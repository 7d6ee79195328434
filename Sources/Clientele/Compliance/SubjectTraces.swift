import ClienteleFormats
import ClienteleModel

/// What identifies the subject of a request outside the customers file: the normalized emails of
/// the matched customers (and the one asked for) and their refs. Used to find the subject's
/// rejected records in `rejects.jsonl` (access: export them; erasure: drop them).
///
/// A reject concerns the subject when any string in its raw record is one of the emails once
/// trimmed and lowercased, its `ref` is one of the refs, or an error message quotes one of the
/// emails (`'ann@example.com' already belongs to …`). Source ids are not enough: a record rejected
/// with `id.duplicate` reuses a customer's id but may hold someone else's data.
struct SubjectTraces {
    var emails: Set<String> = []
    var refs: Set<String> = []

    init(query: SubjectQuery) {
        switch query {
        case let .email(e): emails.insert(e.value)
        case let .ref(r): refs.insert(r.value)
        }
    }

    /// Adds what a matched customer is known by.
    mutating func add(_ customer: CustomerRecord) {
        if let ref = customer.ref { refs.insert(ref.value) }
        if let email = customer.email { emails.insert(email.value) }
    }

    /// Whether a line of `rejects.jsonl` concerns the subject.
    func concerns(reject entry: JSONValue) -> Bool {
        let raw = entry["raw"] ?? .null
        if let ref = raw["ref"]?.stringValue, refs.contains(ref) { return true }
        if containsEmail(raw) { return true }
        if case let .array(errors)? = entry["errors"] {
            for error in errors {
                guard let message = error["message"]?.stringValue?.unicodeLowercased else { continue }
                if emails.contains(where: { message.contains("'" + $0 + "'") }) { return true }
            }
        }
        return false
    }

    private func containsEmail(_ value: JSONValue) -> Bool {
        switch value {
        case let .string(s): return s.utf8.contains(UInt8(ascii: "@")) && emails.contains(s.trimmed.unicodeLowercased)
        case let .array(items): return items.contains(where: containsEmail)
        case let .object(members): return members.contains { containsEmail($0.value) }
        default: return false
        }
    }
}
