import ClienteleFormats
import ClienteleIO
import ClienteleModel

// The spill files' record format: a compact binary encoding of already-normalized records, so that
// reconciliation reads them back without parsing JSON or validating again (both took half of a
// profiled run when spills were JSON lines). Private to one run: never read by another version.
//
// INVARIANTS
// - A frame is a 4-byte little-endian length followed by that many bytes.
// - Strings are a varint byte count then UTF-8; optionals a 0/1 byte then the value; lists a
//   varint count then the items. Fields are written and read in one fixed order.
// - A staged record's raw record, the frame's last field, has a 4-byte length before it, so it
//   can be stepped over and decoded only if the record is rejected.

/// Appends values to a byte buffer (a ``ByteBuffer``: a frame is a few hundred appends, see there).
struct SpillEncoder: ~Copyable {
    var out = ByteBuffer(capacity: 1024)

    /// The frame so far, as an array (a copy).
    var bytes: [UInt8] { out.array }
    var count: Int { out.count }

    /// Empties the frame, keeping the capacity (one encoder serves record after record).
    mutating func removeAll() { out.removeAll() }

    /// Calls `body` with the frame so far (valid only during the call).
    func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try out.withUnsafeBytes(body)
    }

    mutating func int(_ v: Int) {
        let u = UInt64(bitPattern: Int64(v))
        out.appendLEB128((u << 1) ^ UInt64(bitPattern: Int64(v) >> 63))  // zigzag, so small negatives stay small
    }

    mutating func bool(_ v: Bool) { out.append(v ? 1 : 0) }

    /// Four bytes, little-endian: a length written before what it measures is known (see ``patchWord32(_:at:)``).
    mutating func word32(_ v: UInt32) {
        Swift.withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    mutating func patchWord32(_ v: UInt32, at i: Int) {
        for k in 0..<4 { out[i + k] = UInt8(truncatingIfNeeded: v >> (8 * UInt32(k))) }
    }

    /// Eight bytes, little-endian (hashes and packed words: a varint of random bits is longer).
    mutating func word(_ v: UInt64) {
        Swift.withUnsafeBytes(of: v.littleEndian) { out.append(contentsOf: $0) }
    }

    mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { utf8 in
            int(utf8.count)
            out.append(contentsOf: utf8)
        }
    }

    mutating func optional<T>(_ v: T?, _ write: (inout SpillEncoder, T) -> Void) {
        if let v {
            out.append(1)
            write(&self, v)
        } else {
            out.append(0)
        }
    }

    mutating func string(_ s: String?) { optional(s) { $0.string($1) } }

    mutating func list<T>(_ items: [T], _ write: (inout SpillEncoder, T) -> Void) {
        int(items.count)
        for item in items { write(&self, item) }
    }

    /// A timestamp as its seconds and fraction digits: its text would be parsed again when read.
    mutating func timestamp(_ t: Timestamp?) {
        optional(t) { e, t in
            e.int(Int(t.epochSeconds))
            e.string(t.fraction)
        }
    }

    mutating func money(_ m: Money) {
        string(m.currency)
        string(m.amount.description)
    }

    mutating func customer(_ c: CustomerRecord) {
        string(c.ref?.value)
        bool(c.kind == .registered)
        string(c.email?.value)
        string(c.username)
        optional(c.passwordHash) { e, h in e.string(h.algorithm.rawValue); e.string(h.value) }
        bool(c.passwordResetRequired)
        string(c.status?.rawValue)
        // One call per field: a literal array of them was an allocation per record (and per address).
        string(c.salutation); string(c.firstName); string(c.middleName); string(c.lastName); string(c.gender)
        string(c.dateOfBirth); string(c.phone); string(c.company); string(c.taxVat); string(c.locale)
        list(c.groups) { $0.string($1) }
        list(c.sites) { $0.string($1) }
        optional(c.acceptsMarketing) { $0.bool($1) }
        list(c.addresses) { e, a in
            e.string(a.firstName); e.string(a.lastName); e.string(a.company); e.string(a.street1); e.string(a.street2)
            e.string(a.city); e.string(a.region); e.string(a.postalCode); e.string(a.country); e.string(a.phone)
            e.bool(a.defaultBilling)
            e.bool(a.defaultShipping)
        }
        list(c.notes) { e, n in e.string(n.text); e.timestamp(n.createdAt) }
        optional(c.orders) { e, o in
            e.int(o.count)
            e.list(o.totals) { $0.money($1) }
            e.timestamp(o.lastOrderAt)
        }
        optional(c.storeCredit) { $0.money($1) }
        list(c.wishlist) { $0.string($1) }
        if c.attributes.isEmpty { int(0) } else { list(c.attributes.keys.sorted()) { e, k in e.string(k); e.string(c.attributes[k]!) } }
        timestamp(c.createdAt)
        timestamp(c.updatedAt)
        list(c.sources) { e, s in e.string(s.system); e.string(s.id); e.string(s.file); e.int(s.line) }
        timestamp(c.anonymizedAt)
    }
}

/// Reads values back in the order ``SpillEncoder`` wrote them.
struct SpillDecoder {
    let bytes: [UInt8]
    var offset: Int

    init(_ bytes: [UInt8], offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    mutating func int() -> Int {
        var u: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let b = bytes[offset]
            offset += 1
            u |= UInt64(b & 0x7F) << shift
            if b < 0x80 { break }
            shift += 7
        }
        return Int(Int64(bitPattern: (u >> 1) ^ (0 &- (u & 1))))
    }

    mutating func word() -> UInt64 {
        var v: UInt64 = 0
        for i in 0..<8 { v |= UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
        offset += 8
        return v
    }

    mutating func bool() -> Bool {
        defer { offset += 1 }
        return bytes[offset] != 0
    }

    mutating func word32() -> UInt32 {
        var v: UInt32 = 0
        for i in 0..<4 { v |= UInt32(bytes[offset + i]) << (8 * UInt32(i)) }
        offset += 4
        return v
    }

    mutating func string() -> String {
        let n = int()
        defer { offset += n }
        return String(decoding: bytes[offset..<(offset + n)], as: UTF8.self)
    }

    mutating func optionalString() -> String? { bool() ? string() : nil }

    mutating func timestamp() -> Timestamp? {
        guard bool() else { return nil }
        let seconds = Int64(int())
        return Timestamp(trustedEpochSeconds: seconds, fraction: string())
    }

    mutating func list<T>(_ read: (inout SpillDecoder) -> T) -> [T] {
        let n = int()
        var items: [T] = []
        items.reserveCapacity(n)
        for _ in 0..<n { items.append(read(&self)) }
        return items
    }

    mutating func money() -> Money {
        let currency = string()
        let amount = string()
        return Money(currency: currency, amount: DecimalAmount(amount)!)
    }

    mutating func customer() -> CustomerRecord {
        var c = CustomerRecord()
        // A ref this run checked or made itself: not checked again.
        c.ref = optionalString().map(CustomerRef.init(trusted:))
        c.kind = bool() ? .registered : .guest
        c.email = optionalString().map(NormalizedEmail.init(trusted:))
        c.username = optionalString()
        if bool() {
            let algorithm = PasswordHashAlgorithm(rawValue: string()) ?? .unknown
            c.passwordHash = PasswordHash(algorithm: algorithm, value: string())
        }
        c.passwordResetRequired = bool()
        c.status = optionalString().flatMap(AccountStatus.init(rawValue:))
        c.salutation = optionalString()
        c.firstName = optionalString()
        c.middleName = optionalString()
        c.lastName = optionalString()
        c.gender = optionalString()
        c.dateOfBirth = optionalString()
        c.phone = optionalString()
        c.company = optionalString()
        c.taxVat = optionalString()
        c.locale = optionalString()
        c.groups = list { $0.string() }
        c.sites = list { $0.string() }
        c.acceptsMarketing = bool() ? bool() : nil
        c.addresses = list { d in
            var a = Address()
            a.firstName = d.optionalString()
            a.lastName = d.optionalString()
            a.company = d.optionalString()
            a.street1 = d.optionalString()
            a.street2 = d.optionalString()
            a.city = d.optionalString()
            a.region = d.optionalString()
            a.postalCode = d.optionalString()
            a.country = d.optionalString()
            a.phone = d.optionalString()
            a.defaultBilling = d.bool()
            a.defaultShipping = d.bool()
            return a
        }
        c.notes = list { d in
            let text = d.string()
            return Note(text: text, createdAt: d.timestamp())
        }
        if bool() {
            var o = OrderSummary()
            o.count = int()
            o.totals = list { $0.money() }
            o.lastOrderAt = timestamp()
            c.orders = o
        }
        if bool() { c.storeCredit = money() }
        c.wishlist = list { $0.string() }
        for (k, v) in list({ d -> (String, String) in let k = d.string(); return (k, d.string()) }) { c.attributes[k] = v }
        c.createdAt = timestamp()
        c.updatedAt = timestamp()
        c.sources = list { d in
            let system = d.string(), id = d.string(), file = d.string()
            return SourceReference(system: system, id: id, file: file, line: d.int())
        }
        c.anonymizedAt = timestamp()
        return c
    }
}

// A record's input tree (an XML record's, a JSON array element's), for the rejects file: a tag
// byte, then the content. Writing it as JSON text instead was an eighth of an XML import, for
// the few records reconciliation rejects.
extension SpillEncoder {
    mutating func jsonValue(_ v: JSONValue) {
        switch v {
        case .null: out.append(0)
        case let .bool(b): out.append(b ? 2 : 1)
        case let .number(literal): out.append(3); string(literal)
        case let .string(text): out.append(4); string(text)
        case let .array(items):
            out.append(5)
            int(items.count)
            for item in items { jsonValue(item) }
        case let .object(members):
            out.append(6)
            int(members.count)
            for member in members {
                string(member.key)
                jsonValue(member.value)
            }
        }
    }
}

extension SpillDecoder {
    mutating func jsonValue() -> JSONValue {
        let tag = bytes[offset]
        offset += 1
        switch tag {
        case 0: return .null
        case 1: return .bool(false)
        case 2: return .bool(true)
        case 3: return .number(string())
        case 4: return .string(string())
        case 5: return .array(list { $0.jsonValue() })
        default:
            return .object(list { d in
                let key = d.string()
                return JSONMember(key, d.jsonValue())
            })
        }
    }
}
