/// The dotted codes of the problems a record can have (SPEC §2–§3). Errors reject the record;
/// warnings are counted in the report and the record goes on.
public enum IssueCode: String, Sendable, CaseIterable, Comparable {
    // MARK: - Errors
    case required = "required"
    case emailInvalid = "email.invalid"
    case emailDuplicate = "email.duplicate"
    case usernameDuplicate = "username.duplicate"
    case idDuplicate = "id.duplicate"
    case refInvalid = "ref.invalid"
    case dateInvalid = "date.invalid"
    case countryInvalid = "country.invalid"
    case localeInvalid = "locale.invalid"
    case kindInvalid = "kind.invalid"
    case statusInvalid = "status.invalid"
    case booleanInvalid = "boolean.invalid"
    case numberInvalid = "number.invalid"
    case amountInvalid = "amount.invalid"
    case currencyInvalid = "currency.invalid"
    case recordMalformed = "record.malformed"
    case encodingInvalid = "encoding.invalid"

    // MARK: - Warnings
    case passwordPlaintextDropped = "password.plaintext-dropped"
    case passwordHashWeak = "password.hash-weak"
    case phoneNotE164 = "phone.not-e164"
    case fieldUnknown = "field.unknown"

    /// Whether the issue only warns (the record is still written).
    public var isWarning: Bool {
        switch self {
        case .passwordPlaintextDropped, .passwordHashWeak, .phoneNotE164, .fieldUnknown: return true
        default: return false
        }
    }

    public static func < (a: IssueCode, b: IssueCode) -> Bool { a.rawValue < b.rawValue }
}

/// One problem found in one record: its code, the canonical field it concerns (dotted, as in CSV
/// columns: `addresses.1.country`) and a message for people.
public struct ValidationIssue: Equatable, Sendable, CustomStringConvertible {
    public var code: IssueCode
    public var field: String
    public var message: String

    public init(_ code: IssueCode, field: String, _ message: String) {
        self.code = code
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(code.rawValue): \(message)" }
}
