import ClienteleModel

/// Whom a compliance request is about: everyone whose normalized email is this one, or the one
/// customer with this ref.
///
/// Emails are compared as SPEC §1 says (trimmed, Unicode-lowercased, nothing else). Guests merged
/// into a customer share its email and are part of it (its `sources`), so one match covers them.
///
/// ```swift
/// let query = try SubjectQuery(email: " Ann.Lee@Example.com", ref: nil)
/// query.description   // "email" (never the address itself: it goes into logs and reports)
/// ```
public enum SubjectQuery: Sendable, Equatable, CustomStringConvertible {
    case email(NormalizedEmail)
    case ref(CustomerRef)

    /// Exactly one of `email` and `ref`.
    ///
    /// - Throws: ``ClienteleError/usage(_:)`` (exit 64) when both or neither are given, or the
    ///   value is not an email address / a customer ref.
    public init(email: String?, ref: String?) throws(ClienteleError) {
        switch (email, ref) {
        case let (email?, nil):
            guard let normalized = NormalizedEmail(validating: email) else {
                throw .usage("--email: not an email address")
            }
            self = .email(normalized)
        case let (nil, ref?):
            guard let valid = CustomerRef(validating: ref) else {
                throw .usage("--ref: '\(ref)' is not a customer ref (C and 20 characters of 0-9 A-Z without I L O U)")
            }
            self = .ref(valid)
        default:
            throw .usage("give exactly one of --email and --ref")
        }
    }

    /// Whether `customer` is the subject.
    public func matches(_ customer: ArchiveCustomer) -> Bool {
        switch self {
        case let .email(e): return customer.email == e.value
        case let .ref(r): return customer.ref == r.value
        }
    }

    /// What the request is by (`email` or `ref`): safe to log, unlike the value.
    public var description: String {
        switch self {
        case .email: return "email"
        case .ref: return "ref"
        }
    }
}
