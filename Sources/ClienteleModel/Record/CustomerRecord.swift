/// The canonical customer record (SPEC §2): one per customer, the same shape whatever format it
/// was read from or is written to. Values held here are already normalized.
///
/// Empty means absent: `nil` scalars and empty lists are not written.
public struct CustomerRecord: Equatable, Sendable {
    public var ref: CustomerRef?
    public var kind: AccountKind = .guest
    public var email: NormalizedEmail?
    public var username: String?
    public var passwordHash: PasswordHash?
    public var passwordResetRequired: Bool = false
    public var status: AccountStatus?
    public var salutation: String?
    public var firstName: String?
    public var middleName: String?
    public var lastName: String?
    public var gender: String?
    /// `YYYY-MM-DD`.
    public var dateOfBirth: String?
    /// E.164 where it could be made so, else as given (trimmed).
    public var phone: String?
    public var company: String?
    public var taxVat: String?
    /// BCP 47, e.g. `de-DE`.
    public var locale: String?
    public var groups: [String] = []
    public var sites: [String] = []
    public var acceptsMarketing: Bool?
    public var addresses: [Address] = []
    public var notes: [Note] = []
    public var orders: OrderSummary?
    public var storeCredit: Money?
    public var wishlist: [String] = []
    /// Custom attributes; written sorted by key.
    public var attributes: [String: String] = [:]
    /// RFC 3339, UTC.
    public var createdAt: Timestamp?
    public var updatedAt: Timestamp?
    public var sources: [SourceReference] = []
    public var anonymizedAt: Timestamp?

    public init() {}
}

/// `registered` (username and password hash) or `guest` (created by an order, known by its id).
public enum AccountKind: String, Sendable, CaseIterable {
    case registered
    case guest
}

/// The status of a registered account.
public enum AccountStatus: String, Sendable, CaseIterable {
    case active
    case disabled
    case locked
}

/// One entry of the address book.
public struct Address: Equatable, Sendable {
    public var firstName: String?
    public var lastName: String?
    public var company: String?
    public var street1: String?
    public var street2: String?
    public var city: String?
    public var region: String?
    public var postalCode: String?
    /// ISO 3166-1 alpha-2.
    public var country: String?
    public var phone: String?
    public var defaultBilling: Bool = false
    public var defaultShipping: Bool = false

    public init() {}

    /// Whether every field is empty (such an entry is dropped).
    public var isEmpty: Bool {
        firstName == nil && lastName == nil && company == nil && street1 == nil && street2 == nil
            && city == nil && region == nil && postalCode == nil && country == nil && phone == nil
    }

    /// The address compared for de-duplication: every text field lowercased (fields are trimmed
    /// when the record is normalized); the default flags do not count. Each part is length-prefixed (`5:paris`), so no two different
    /// addresses share a key.
    public var comparisonKey: AddressComparisonKey {
        // Bytes, not a String: built with String appends and an Int-to-String per part, keys were
        // two percent of an import (folding compares every guest's addresses).
        var key: [UInt8] = []
        key.reserveCapacity(128)
        var ascii = true
        Self.appendKeyPart(firstName, to: &key, ascii: &ascii)
        Self.appendKeyPart(lastName, to: &key, ascii: &ascii)
        Self.appendKeyPart(company, to: &key, ascii: &ascii)
        Self.appendKeyPart(street1, to: &key, ascii: &ascii)
        Self.appendKeyPart(street2, to: &key, ascii: &ascii)
        Self.appendKeyPart(city, to: &key, ascii: &ascii)
        Self.appendKeyPart(region, to: &key, ascii: &ascii)
        Self.appendKeyPart(postalCode, to: &key, ascii: &ascii)
        Self.appendKeyPart(country, to: &key, ascii: &ascii)
        Self.appendKeyPart(phone, to: &key, ascii: &ascii)
        return AddressComparisonKey(bytes: key, isASCII: ascii)
    }

    /// `5:paris`: the part's UTF-8 length, a colon, and the part lowercased (ASCII straight into
    /// the key, anything else through Unicode lowercasing).
    private static func appendKeyPart(_ part: String?, to key: inout [UInt8], ascii: inout Bool) {
        guard var text = part else {
            key.append(UInt8(ascii: "0"))
            key.append(UInt8(ascii: ":"))
            return
        }
        let partIsASCII = text.withUTF8 { !$0.contains(where: { $0 >= 0x80 }) }
        if !partIsASCII {
            text = text.lowercased()
            ascii = false
        }
        text.withUTF8 { bytes in
            var divisor = 1
            while divisor * 10 <= bytes.count { divisor *= 10 }
            while divisor > 0 {
                key.append(UInt8(ascii: "0") + UInt8(bytes.count / divisor % 10))
                divisor /= 10
            }
            key.append(UInt8(ascii: ":"))
            if partIsASCII {
                for b in bytes { key.append(b >= 65 && b <= 90 ? b | 0x20 : b) }
            } else {
                key.append(contentsOf: bytes)
            }
        }
    }
}

/// An address's comparison key (``Address/comparisonKey``): its text as bytes. Keys are equal as
/// the String keys they replace were, by Swift's string equality; all-ASCII keys, nearly all of
/// them, are compared byte by byte, which is the same thing for them.
public struct AddressComparisonKey: Hashable, Sendable {
    public let bytes: [UInt8]
    public let isASCII: Bool

    public static func == (a: Self, b: Self) -> Bool {
        if a.isASCII && b.isASCII { return a.bytes == b.bytes }
        return String(decoding: a.bytes, as: UTF8.self) == String(decoding: b.bytes, as: UTF8.self)
    }

    public func hash(into hasher: inout Hasher) {
        // As a string: a non-ASCII key may equal an ASCII one (U+212A KELVIN SIGN is "K").
        hasher.combine(String(decoding: bytes, as: UTF8.self))
    }
}

/// An internal admin note: carried, exported on access requests, removed on erasure, never logged.
public struct Note: Equatable, Sendable {
    public var text: String
    public var createdAt: Timestamp?

    public init(text: String, createdAt: Timestamp?) {
        self.text = text
        self.createdAt = createdAt
    }
}

/// An amount of money: an exact decimal and its ISO 4217 currency.
public struct Money: Equatable, Sendable {
    public var currency: String
    public var amount: DecimalAmount

    public init(currency: String, amount: DecimalAmount) {
        self.currency = currency
        self.amount = amount
    }
}

/// The summary of a customer's orders.
public struct OrderSummary: Equatable, Sendable {
    public var count: Int = 0
    /// One total per currency, in first-seen order.
    public var totals: [Money] = []
    public var lastOrderAt: Timestamp?

    public init() {}

    /// Adds `other`'s counts and per-currency totals to this one (exactly), keeping the later last order.
    public mutating func add(_ other: OrderSummary) {
        count += other.count
        for total in other.totals {
            if let index = totals.firstIndex(where: { $0.currency == total.currency }) {
                totals[index].amount = totals[index].amount + total.amount
            } else {
                totals.append(total)
            }
        }
        if let theirs = other.lastOrderAt, lastOrderAt.map({ theirs > $0 }) ?? true {
            lastOrderAt = theirs
        }
    }
}

/// One input record folded into a customer: `system` (`--system`, by default the profile's name),
/// the record's id there, and where it was read.
public struct SourceReference: Equatable, Sendable {
    public var system: String
    public var id: String
    public var file: String
    public var line: Int

    public init(system: String, id: String, file: String, line: Int) {
        self.system = system
        self.id = id
        self.file = file
        self.line = line
    }
}
