import Foundation
import PropertyBased
import Testing
@testable import Clientele

/// Settling ids and usernames from spill files must decide exactly what one in-memory index fed
/// every claim in input order decides (the way the import did it before).
@Suite struct IdentityClaimsTests {
    /// The reference: every claim through one index, in input order.
    static func replayAll(_ claims: [IdentityClaim]) -> [Int: String] {
        var index = AccountIdentityIndex()
        var out: [Int: String] = [:]
        for claim in claims {
            if let first = index.claimID(claim.id, holder: claim.holder) {
                out[claim.seq] = "id@\(first.line)"
            } else if let u = claim.username, let holder = index.claimUsername(u, holder: claim.holder) {
                index.releaseID(claim.id)
                out[claim.seq] = "username@\(holder.line)"
            }
        }
        return out
    }

    static func describe(_ conflicts: [Int: IdentityConflict]) -> [Int: String] {
        conflicts.mapValues {
            switch $0 {
            case let .id(h): return "id@\(h.line)"
            case let .username(h): return "username@\(h.line)"
            }
        }
    }

    @Test func settlingFromSpillsDecidesWhatOneIndexDecides() async throws {
        await propertyCheck(count: 40, input: Gen.int(in: 0...1_000_000)) { seed in
            var state = UInt64(seed) &+ 0x9E37_79B9_7F4A_7C15
            func random(_ n: Int) -> Int {  // splitmix64: reproducible from the seed
                state &+= 0x9E37_79B9_7F4A_7C15
                var z = state
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                return Int((z ^ (z >> 31)) % UInt64(n))
            }
            // Few distinct keys, so ids and usernames clash often and in chains.
            let count = 1 + random(300), ids = 1 + random(60), names = 1 + random(30)
            let claims = (1...count).map { seq in
                IdentityClaim(seq: seq, id: IdentityKey(high: 0, low: UInt64(random(ids))),
                              username: random(3) == 0 ? nil : IdentityKey(high: 1, low: UInt64(random(names))),
                              holder: AccountIdentityIndex.Holder(fileIndex: 0, line: seq + 1, usernameIsEmail: random(2) == 0))
            }
            let directory = FileManager.default.temporaryDirectory.path + "/claims-\(UUID().uuidString)"
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let spilled = IdentityClaims(directory: directory, partitionCount: [1, 4, 16][random(3)])
            for claim in claims { try? spilled.add(claim) }
            try? spilled.finishWriting()
            let settled = try? spilled.settle()
            #expect(settled.map(Self.describe) == Self.replayAll(claims))
            #expect((try? FileManager.default.contentsOfDirectory(atPath: directory))?.isEmpty == true, "settling removes its spills")
        }
    }

    @Test func aUsernameClashFreesTheIdForALaterRecord() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/claims-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        func claim(_ seq: Int, id: UInt64, name: UInt64?) -> IdentityClaim {
            IdentityClaim(seq: seq, id: IdentityKey(high: 0, low: id), username: name.map { IdentityKey(high: 1, low: $0) },
                          holder: AccountIdentityIndex.Holder(fileIndex: 0, line: seq + 1, usernameIsEmail: false))
        }
        let claims = IdentityClaims(directory: directory, partitionCount: 2)
        // 2 loses its username to 1, so its id 7 stays free and 3 (also id 7) keeps it.
        for c in [claim(1, id: 1, name: 5), claim(2, id: 7, name: 5), claim(3, id: 7, name: nil), claim(4, id: 9, name: nil)] {
            try claims.add(c)
        }
        try claims.finishWriting()
        #expect(Self.describe(try claims.settle()) == [2: "username@2"])
    }
}

/// Only claims that can lose are held while settling: duplicate registrations (usernames that are
/// their equal emails) are left to the email rule and cost nothing here.
@Suite struct IdentityClaimsMemoryTests {
    func settle(_ claims: [IdentityClaim]) throws -> (conflicts: [Int: String], contested: Int) {
        let scratch = FileManager.default.temporaryDirectory.path + "/claims-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        let spilled = IdentityClaims(directory: scratch, partitionCount: 4)
        for claim in claims { try spilled.add(claim) }
        try spilled.finishWriting()
        let conflicts = try spilled.settle()
        return (IdentityClaimsTests.describe(conflicts), spilled.contestedCount)
    }

    func claim(_ seq: Int, id: UInt64, name: UInt64, isEmail: Bool) -> IdentityClaim {
        IdentityClaim(seq: seq, id: IdentityKey(high: 0, low: id), username: IdentityKey(high: 1, low: name),
                      holder: AccountIdentityIndex.Holder(fileIndex: 0, line: seq + 1, usernameIsEmail: isEmail))
    }

    @Test func duplicateRegistrationsAreNotHeld() throws {
        // 1,000 accounts in 500 pairs sharing an email that is their username; ids all distinct.
        let claims = (0..<1000).map { claim($0 + 1, id: UInt64($0), name: UInt64($0 / 2), isEmail: true) }
        let settled = try settle(claims)
        #expect(settled.conflicts.isEmpty)
        #expect(settled.contested == 0)
    }

    @Test func oneRealUsernameInAGroupMakesTheGroupContested() throws {
        var claims = (0..<1000).map { claim($0 + 1, id: UInt64($0), name: UInt64($0 / 2), isEmail: true) }
        // Account 1001 chose a username equal to pair 7's email: the later one loses it.
        claims.append(claim(1001, id: 5000, name: 7, isEmail: false))
        let settled = try settle(claims)
        #expect(settled.conflicts == [1001: "username@16"])  // held by seq 15, read on line 16
        #expect(settled.contested == 3)
        // Also when it came first: then both of pair 7 lose to it.
        claims = [claim(1, id: 5000, name: 7, isEmail: false)] + claims.dropLast().map { claim($0.seq + 1, id: $0.id.low, name: $0.username!.low, isEmail: true) }
        let first = try settle(claims)
        #expect(first.conflicts == [16: "username@2", 17: "username@2"])
        #expect(first.contested == 3)
    }
}
