import Crypto

/// A customer reference: non-sequential (not guessable from its neighbours), stable across runs
/// for the same source account, derived with HMAC-SHA-256 under a key the user can supply
/// (`--ref-key-file`). `C` followed by 20 Crockford base-32 characters (100 bits).
///
/// Refs sort in the order of their hash bits, so an archive sorted by ref is spread evenly and
/// two archives can be compared by merging them in one pass.
///
/// ```swift
/// let key = CustomerRefKey(bytes: Array("secret".utf8))
/// key.ref(system: "shopify", sourceID: "1001").value   // "C…" (20 more characters), the same every run
/// ```
public struct CustomerRef: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let value: String

    /// Crockford's base-32 alphabet (no I, L, O, U), in ASCII order so refs sort like their bits.
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ".utf8)

    /// Accepts a ref in the canonical form (as read back from an archive).
    public init?(validating text: String) {
        let b = Array(text.trimmed.utf8)
        guard b.count == 21, b[0] == UInt8(ascii: "C"), b.dropFirst().allSatisfy({ CustomerRef.alphabet.contains($0) }) else {
            return nil
        }
        value = String(decoding: b, as: UTF8.self)
    }

    /// A ref this run made itself (read back from its own spill files): not checked again.
    public init(trusted value: String) { self.value = value }

    init(bits: UnsafeRawBufferPointer) {
        precondition(bits.count >= 13, "a ref takes 100 bits")
        // 100 bits = 20 characters of 5 bits, from the first 13 bytes, written into the string's own storage.
        value = String(unsafeUninitializedCapacity: 21) { out in
            out[0] = UInt8(ascii: "C")
            var acc: UInt64 = 0
            var accBits = 0
            var n = 1
            var i = 0
            while n < 21 {
                acc = (acc << 8) | UInt64(bits[i])
                i += 1
                accBits += 8
                while accBits >= 5, n < 21 {
                    accBits -= 5
                    out[n] = CustomerRef.alphabet[Int((acc >> UInt64(accBits)) & 31)]
                    n += 1
                }
            }
            return 21
        }
    }

    /// A number in `0..<buckets` that grows with the ref's order (for range-partitioning by ref).
    /// `buckets` must be a power of two no larger than 1024.
    public func bucket(of buckets: Int) -> Int {
        let b = Array(value.utf8)
        let hi = CustomerRef.alphabet.firstIndex(of: b[1]) ?? 0
        let lo = CustomerRef.alphabet.firstIndex(of: b[2]) ?? 0
        return (hi * 32 + lo) * buckets / 1024
    }

    public var description: String { value }
    public static func < (a: CustomerRef, b: CustomerRef) -> Bool { a.value < b.value }
}

/// The secret key refs are derived with.
// SymmetricKey is immutable once made; Crypto just does not mark it Sendable.
public struct CustomerRefKey: @unchecked Sendable {
    private let key: SymmetricKey
    /// HMAC with the key already absorbed: each ref copies it (a value) instead of setting the key
    /// up again, which was most of a ref's cost.
    private let keyed: HMAC<SHA256>
    /// Whether this is the built-in key (the report says so: refs are then guessable by anyone
    /// who has Clientele).
    public let isDefault: Bool

    public init(bytes: [UInt8]) {
        key = SymmetricKey(data: bytes)
        keyed = HMAC<SHA256>(key: key)
        isDefault = false
    }

    /// The built-in key, used when no `--ref-key-file` is given.
    public static let builtIn: CustomerRefKey = {
        var k = CustomerRefKey(bytes: Array("clientele-default-customer-ref-key-v1".utf8))
        k.markDefault()
        return k
    }()

    private init(key: SymmetricKey, isDefault: Bool) {
        self.key = key
        keyed = HMAC<SHA256>(key: key)
        self.isDefault = isDefault
    }

    private mutating func markDefault() { self = CustomerRefKey(key: key, isDefault: true) }

    /// The ref of the account `sourceID` of `system`.
    public func ref(system: String, sourceID: String) -> CustomerRef {
        // The message is system, a unit separator (("ab","c") and ("a","bc") must differ), and the
        // id, fed in place: one update of a copied-together array cost more than the hash.
        var hmac = keyed
        var (system, sourceID) = (system, sourceID)
        system.withUTF8 { hmac.update(data: UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(0x1F)) { hmac.update(data: $0) }
        sourceID.withUTF8 { hmac.update(data: UnsafeRawBufferPointer($0)) }
        return hmac.finalize().withUnsafeBytes { CustomerRef(bits: $0) }
    }
}
