import Crypto

/// A 128-bit digest standing for a string in the in-memory indexes: 16 bytes a record whatever
/// the string's length, so the index stays small (SPEC §3) and deterministic.
struct IdentityKey: Hashable, Sendable {
    let high: UInt64
    let low: UInt64

    init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    init(_ text: String) {
        // Hashed in place, and the first 16 bytes of the digest read as two big-endian words (a
        // copy of the text and a byte-by-byte walk over the digest were most of a key's cost).
        var text = text
        let digest = text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        (high, low) = digest.withUnsafeBytes { raw in
            (UInt64(bigEndian: raw.loadUnaligned(as: UInt64.self)), UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)))
        }
    }
}

/// The run-wide indexes that cannot wait for the email partitions: source ids (each account once
/// per system) and usernames (unique among registered accounts, case-insensitively).
///
/// - Complexity: O(1) per record; memory about 24–48 bytes per accepted record (a 16-byte key and an 8-byte locator, in hash tables).
struct AccountIdentityIndex {
    /// Where an indexed record was read, for messages naming it: packed in 8 bytes (file index,
    /// line, and whether the username is the email) so that a million accounts cost little.
    struct Holder: Sendable {
        /// The holder in one word, as the claim spill files keep it.
        let packed: UInt64

        init(packed: UInt64) { self.packed = packed }

        init(fileIndex: Int, line: Int, usernameIsEmail: Bool) {
            packed = UInt64(truncatingIfNeeded: fileIndex & 0xFFFF) << 48
                | UInt64(truncatingIfNeeded: line & 0x7FFF_FFFF_FFFF) << 1 | (usernameIsEmail ? 1 : 0)
        }

        var fileIndex: Int { Int(packed >> 48) }
        var line: Int { Int((packed >> 1) & 0x7FFF_FFFF_FFFF) }
        var usernameIsEmail: Bool { packed & 1 == 1 }
    }

    private var ids: [IdentityKey: Holder] = [:]
    private var usernames: [IdentityKey: Holder] = [:]

    /// The key an account's `system`/`id` is indexed by (computed where the record is mapped, off
    /// the thread that owns the index).
    static func idKey(system: String, id: String) -> IdentityKey { IdentityKey(system + "\u{1F}" + id) }

    /// The key a username is indexed by: usernames are unique case-insensitively.
    static func usernameKey(_ username: String) -> IdentityKey { IdentityKey(username.lowercased()) }

    /// The record already holding the id `key` (``idKey(system:id:)``), else records this one and returns nil.
    mutating func claimID(_ key: IdentityKey, holder: Holder) -> Holder? {
        if let existing = ids[key] { return existing }
        ids[key] = holder
        return nil
    }

    /// The registered account already holding `username`, else records this one and returns nil.
    ///
    /// Two accounts whose usernames are their (equal) emails are left to the email rule, which
    /// settles them by `--on-duplicate`; every other clash is a username clash, first come first served.
    mutating func claimUsername(_ key: IdentityKey, holder: Holder) -> Holder? {
        if let existing = usernames[key] {
            if existing.usernameIsEmail && holder.usernameIsEmail { return nil }
            return existing
        }
        usernames[key] = holder
        return nil
    }

    /// Forgets an id again (the record was rejected after claiming it).
    mutating func releaseID(_ key: IdentityKey) {
        ids[key] = nil
    }
}
