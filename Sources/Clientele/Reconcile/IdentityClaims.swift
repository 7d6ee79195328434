/// One accepted record's claim on its source id and, for a registered account, its username.
struct IdentityClaim: Sendable {
    var seq: Int
    var id: IdentityKey
    var username: IdentityKey?
    var holder: AccountIdentityIndex.Holder
}

/// Why a record lost its claim, and the record that holds what it claimed.
enum IdentityConflict: Sendable {
    case id(heldBy: AccountIdentityIndex.Holder)
    case username(heldBy: AccountIdentityIndex.Holder)
}

/// The run-wide rules that a source id is used once per system and a username once (SPEC §3),
/// settled after the input is read, without an index of every record in memory.
///
/// Claims spill to files partitioned by key. Each partition, sorted by key, yields the keys claimed
/// more than once; only the claims holding such a key are then replayed, in input order, through an
/// ``AccountIdentityIndex``. A record whose keys are all its own always keeps them and changes no
/// one else's outcome, so replaying the contested claims alone gives what replaying every claim
/// would; nor can a username shared only by accounts whose usernames are their emails be lost, so
/// such a group is not replayed either. Memory grows with the number of records that can really
/// lose a claim, not with the input (an index of every id and username was 70 MB at a million
/// records, and would have been 700 MB at ten million).
///
/// ```swift
/// let claims = IdentityClaims(directory: work, partitionCount: 64)
/// try claims.add(claim)                 // for each accepted record, in input order
/// try claims.finishWriting()
/// let conflicts = try claims.settle()   // [seq: IdentityConflict]
/// ```
final class IdentityClaims {
    private let byID: [SpillFile]
    private let byUsername: [SpillFile]
    private let count: Int
    private var encoder = SpillEncoder()
    /// After ``settle()``: the records that lost their claim, in input order, and where each was read.
    private(set) var losers: [(seq: Int, at: AccountIdentityIndex.Holder)] = []
    /// After ``settle()``: how many claims were replayed (the ones whose id or username another claim
    /// holds too, and that could lose it): what this type holds in memory.
    private(set) var contestedCount = 0

    init(directory: String, partitionCount: Int) {
        byID = SpillFile.set(count: partitionCount, budget: ImportJob.spillBufferBudget / 4) { directory + "/ids-\($0).spill" }
        byUsername = SpillFile.set(count: partitionCount, budget: ImportJob.spillBufferBudget / 4) { directory + "/usernames-\($0).spill" }
        count = max(1, partitionCount)
    }

    func add(_ claim: IdentityClaim) throws(ClienteleError) {
        encoder.removeAll()
        IdentityClaims.encode(claim, into: &encoder)
        try encoder.withUnsafeBytes { (frame) throws(ClienteleError) in
            try byID[Int(claim.id.low % UInt64(count))].appendFrame(frame)
            if let username = claim.username {
                try byUsername[Int(username.low % UInt64(count))].appendFrame(frame)
            }
        }
    }

    func finishWriting() throws(ClienteleError) {
        for file in byID + byUsername { try file.finishWriting() }
    }

    /// The records that lose their claim, by seq: a later record with an id already read is an
    /// `id.duplicate`; a later registered account with a username already held, a `username.duplicate`
    /// (its id is then free again). Removes the spill files.
    ///
    /// The records that lost, with where each was read, are left in ``losers`` (in input order).
    func settle() throws(ClienteleError) -> [Int: IdentityConflict] {
        // Each file is sorted on its own, two at a time (one per core): sorted one after another,
        // they were a phase with a core idle. Each pair's contested claims go into `contested`
        // before the next pair is read: all files' lists held until the end were 19 MB at ten
        // million records, on top of `contested` itself.
        let jobs: [(file: SpillFile, usernames: Bool)] = byID.map { ($0, false) } + byUsername.map { ($0, true) }
        var contested: [Int: IdentityClaim] = [:]
        for start in stride(from: 0, to: jobs.count, by: ImportJob.workerCount) {
            let pair = jobs[start..<min(jobs.count, start + ImportJob.workerCount)]
            let found = concurrentMap(pair) { job in
                Result { () throws(ClienteleError) in try IdentityClaims.contestedClaims(in: job.file, byUsername: job.usernames) }
            }
            for result in found {
                for c in try result.get() { contested[c.seq] = c }
            }
        }
        contestedCount = contested.count
        var index = AccountIdentityIndex()
        var conflicts: [Int: IdentityConflict] = [:]
        for claim in contested.values.sorted(by: { $0.seq < $1.seq }) {
            if let first = index.claimID(claim.id, holder: claim.holder) {
                conflicts[claim.seq] = .id(heldBy: first)
                losers.append((claim.seq, claim.holder))
            } else if let username = claim.username, let holder = index.claimUsername(username, holder: claim.holder) {
                index.releaseID(claim.id)
                conflicts[claim.seq] = .username(heldBy: holder)
                losers.append((claim.seq, claim.holder))
            }
        }
        return conflicts
    }

    /// The claims in `file` whose key (id, or username) another claim in it holds too; removes the file.
    private static func contestedClaims(in file: SpillFile, byUsername: Bool) throws(ClienteleError) -> [IdentityClaim] {
        var claims: [IdentityClaim] = []
        try file.forEachFrame { frame throws(ClienteleError) in
            var d = SpillDecoder(frame)
            claims.append(IdentityClaims.decode(&d))
        }
        file.remove()
        func key(_ c: IdentityClaim) -> IdentityKey { byUsername ? c.username! : c.id }
        claims.sort { a, b in
            let ka = key(a), kb = key(b)
            return (ka.high, ka.low, a.seq) < (kb.high, kb.low, b.seq)
        }
        var contested: [IdentityClaim] = []
        var i = 0
        while i < claims.count {
            var j = i + 1
            while j < claims.count, key(claims[j]) == key(claims[i]) { j += 1 }
            // Accounts whose usernames are their (equal) emails never clash on the username (the
            // email rule settles them: ``AccountIdentityIndex/claimUsername(_:holder:)``), so such a
            // group decides nothing here. Every duplicate registration is one: held, they were the
            // one thing in memory that grew with N (60 MB at ten million records).
            if j - i > 1, !byUsername || claims[i..<j].contains(where: { !$0.holder.usernameIsEmail }) {
                contested += claims[i..<j]
            }
            i = j
        }
        return contested
    }

    static func encode(_ c: IdentityClaim, into e: inout SpillEncoder) {
        e.int(c.seq)
        e.word(c.id.high)
        e.word(c.id.low)
        e.word(c.holder.packed)
        e.optional(c.username) { e, key in
            e.word(key.high)
            e.word(key.low)
        }
    }

    static func decode(_ d: inout SpillDecoder) -> IdentityClaim {
        let seq = d.int()
        let id = IdentityKey(high: d.word(), low: d.word())
        let holder = AccountIdentityIndex.Holder(packed: d.word())
        let username = d.bool() ? IdentityKey(high: d.word(), low: d.word()) : nil
        return IdentityClaim(seq: seq, id: id, username: username, holder: holder)
    }
}
