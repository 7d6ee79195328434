import ClienteleFormats
import ClienteleModel

/// What the intake does with one input record before the run-wide id and username indexes see it:
/// map, validate, normalize, give it its ref, and encode its spill frame. Pure (no shared state),
/// so batches of records are prepared on several threads; only the index claims and the writes,
/// which must follow input order, stay on the job's thread.
struct RecordPreparer: Sendable {
    let mapper = CanonicalMapper()
    let system: String
    let refKey: CustomerRefKey
    /// How many email partitions there are (any number: a record's is its email hash modulo this).
    let partitionCount: Int
    /// The platform layout the inputs are in; `nil` for the canonical layout.
    let profile: (any CustomerProfile)?

    /// An input record, prepared.
    struct Prepared: @unchecked Sendable {
        var input: InputRecord
        var seq: Int
        var unknownFields: [String] = []
        var outcome: Outcome

        enum Outcome {
            case rejected([ValidationIssue])
            case accepted(Accepted)
        }
    }

    /// A record that passed validation, waiting for its id and username claims (settled after
    /// the whole input is read, by ``IdentityClaims``).
    struct Accepted {
        var claim: IdentityClaim
        var partition: Int
        var frame: [UInt8]
    }

    /// Scratch buffers one thread reuses from record to record.
    struct Scratch: ~Copyable {
        var text = JSONTextWriter(capacity: 16 * 1024)
        var encoder = SpillEncoder()
    }

    func prepare(_ input: InputRecord, seq: Int, fileIndex: Int, path: String, scratch: inout Scratch) -> Prepared {
        if let defect = input.defect {
            return Prepared(input: input, seq: seq, outcome: .rejected([ImportJob.issue(for: defect)]))
        }
        var mapped: MappedRecord
        if let profile {
            let draft = profile.draft(from: input.profileRecord)
            mapped = mapper.map(draft.tree)
            mapped.issues = draft.issues + mapped.issues
        } else {
            mapped = mapper.map(input.tree)
        }
        if mapped.hasErrors {
            return Prepared(input: input, seq: seq, unknownFields: mapped.unknownFields, outcome: .rejected(mapped.errors))
        }
        // The customer is completed in place and encoded from its parts: a copy of it, and a
        // StagedRecord made only to be encoded, were two more copies of every string it holds.
        let firstSource = mapped.customer.sources.first
        let recordSystem = mapped.sourceID == nil ? (firstSource?.system ?? system) : system
        let sourceID = mapped.sourceID ?? firstSource?.id ?? mapped.customer.ref!.value
        let idKey = mapped.sourceID.map { AccountIdentityIndex.idKey(system: system, id: $0) }
            ?? AccountIdentityIndex.idKey(system: "ref", id: mapped.customer.ref!.value)
        let email = mapped.customer.email?.value
        let holder = AccountIdentityIndex.Holder(
            fileIndex: fileIndex, line: input.position.line,
            usernameIsEmail: mapped.customer.username.map { $0.unicodeLowercased == email } ?? false)
        let username = mapped.customer.kind == .registered ? mapped.customer.username : nil

        if mapped.customer.ref == nil { mapped.customer.ref = refKey.ref(system: system, sourceID: sourceID) }
        if mapped.customer.sources.isEmpty {
            mapped.customer.sources = [SourceReference(system: system, id: sourceID, file: path, line: input.position.line)]
        }
        let partitionKey = email.map { IdentityKey($0) } ?? IdentityKey("\u{0}" + mapped.customer.ref!.value)
        scratch.encoder.removeAll()
        StagedRecord.encode(seq: seq, fileIndex: fileIndex, line: input.position.line, recordNumber: input.position.record,
                            system: recordSystem, sourceID: sourceID, username: username, warnings: mapped.warnings.map(\.code),
                            customer: mapped.customer, raw: input.kept(), into: &scratch.encoder, text: &scratch.text)
        let claim = IdentityClaim(seq: seq, id: idKey, username: username.map(AccountIdentityIndex.usernameKey), holder: holder)
        let accepted = Accepted(claim: claim, partition: Int(partitionKey.low % UInt64(partitionCount)),
                                frame: scratch.encoder.bytes)
        return Prepared(input: input, seq: seq, unknownFields: mapped.unknownFields, outcome: .accepted(accepted))
    }
}
