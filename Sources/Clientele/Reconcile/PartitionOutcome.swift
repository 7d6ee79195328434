import ClienteleFormats
import ClienteleModel

/// Everything one email partition becomes in reconciliation: the customers as ref-bucket frames
/// (final JSON text and crosswalk rows), the records rejected as duplicates, and the counts.
///
/// Made without touching the job's state, so partitions are reconciled on several threads at
/// once; the job then applies the outcomes in partition order.
struct PartitionOutcome: @unchecked Sendable {
    /// `(ref bucket, frame)`: a frame is the ref, the customer's JSON text, and its crosswalk rows as CSV.
    var frames: [(bucket: Int, frame: [UInt8])] = []
    var rejected: [(StagedRecord, ValidationIssue)] = []
    /// Written and merged records per input file.
    var counts: [(written: Int, merged: Int)]
    var mergeGroups = 0
    var largestMergeGroup = 0
    /// Warnings of the records that stay accepted.
    var warningCounts: [IssueCode: Int] = [:]
    /// The flat CSV columns the customers use (only with `collectColumns`).
    var columns = Set<String>()

    /// - Parameter conflicts: the records that lost their id or username claim (``IdentityClaims``), by seq.
    init(reconciling partition: SpillFile, with reconciler: EmailGroupReconciler, conflicts: [Int: IdentityConflict],
         inputs: [String], bucketCount: Int, collectColumns: Bool) throws(ClienteleError) {
        counts = Array(repeating: (0, 0), count: inputs.count)
        // Frames are read back in input order, so each group's chain below is in input order too.
        // Only headers are decoded here: most emails have one record, which is written as it was staged.
        var frameList: [[UInt8]] = []
        var headers: [StagedRecord.Header] = []
        var bodyOffsets: [Int] = []
        var nextInGroup: [Int] = []
        var groupOfEmail: [String: Int] = [:]
        var groupFirst: [Int] = [], groupLast: [Int] = [], groupSize: [Int] = []
        var loners: [Int] = []
        try partition.forEachFrame { frame throws(ClienteleError) in
            var d = SpillDecoder(frame)
            let header = StagedRecord.Header(decoding: &d)
            if let conflict = conflicts[header.seq] {
                let record = StagedRecord(header: header, decodingBodyOf: &d)
                rejected.append((record, PartitionOutcome.issue(for: conflict, of: record, inputs: inputs)))
                return
            }
            for code in header.warnings { warningCounts[code, default: 0] += 1 }
            let index = headers.count
            if let email = header.email {
                if let g = groupOfEmail[email] {
                    nextInGroup[groupLast[g]] = index
                    groupLast[g] = index
                    groupSize[g] += 1
                } else {
                    groupOfEmail[email] = groupFirst.count
                    groupFirst.append(index)
                    groupLast.append(index)
                    groupSize.append(1)
                }
            } else {
                loners.append(index)
            }
            frameList.append(frame)
            headers.append(header)
            bodyOffsets.append(d.offset)
            nextInGroup.append(-1)
        }
        func decode(_ i: Int) -> StagedRecord {
            var d = SpillDecoder(frameList[i], offset: bodyOffsets[i])
            return StagedRecord(header: headers[i], decodingBodyOf: &d)
        }

        var text = JSONTextWriter(capacity: 16 * 1024)
        var crosswalk = CSVRecordEncoder()
        var frame = SpillEncoder()
        func emit(ref: String, json: UnsafeRawBufferPointer) {
            frame.removeAll()
            frame.string(ref)
            frame.int(json.count)
            frame.out.append(contentsOf: json)
            frame.out.append(contentsOf: crosswalk.bytes)
            frames.append((CustomerRef(trusted: ref).bucket(of: bucketCount), frame.bytes))
        }
        // A record alone with its email (or without one) becomes its customer unchanged.
        func emitAlone(_ i: Int) {
            let h = headers[i]
            if collectColumns {
                for (column, _) in FlatColumns.flatten(decode(i).customer.jsonValue) { columns.insert(column) }
            }
            counts[h.fileIndex].written += 1
            crosswalk.bytes.removeAll(keepingCapacity: true)
            crosswalk.appendRecord([h.system, h.sourceID, inputs[h.fileIndex], String(h.line), h.ref, Disposition.written.rawValue])
            frameList[i][h.json].withUnsafeBytes { emit(ref: h.ref, json: $0) }
        }
        func emit(_ outcome: ReconciledCustomer) {
            guard let ref = outcome.customer.ref else { return }
            if collectColumns {
                for (column, _) in FlatColumns.flatten(outcome.customer.jsonValue) { columns.insert(column) }
            }
            crosswalk.bytes.removeAll(keepingCapacity: true)
            for (record, disposition) in outcome.members {
                switch disposition {
                case .written: counts[record.fileIndex].written += 1
                case .merged: counts[record.fileIndex].merged += 1
                }
                crosswalk.appendRecord([record.system, record.sourceID, inputs[record.fileIndex],
                                        String(record.line), ref.value, disposition.rawValue])
            }
            if outcome.members.count > 1 {
                mergeGroups += 1
                largestMergeGroup = max(largestMergeGroup, outcome.members.count)
            }
            // The customer's JSON is final text, and so are its crosswalk rows: writing the archive
            // only sorts and copies bytes.
            text.removeAll()
            outcome.customer.writeJSON(into: &text)
            text.withUnsafeBytes { emit(ref: ref.value, json: $0) }
        }

        for i in loners { emitAlone(i) }
        for g in groupFirst.indices {
            if groupSize[g] == 1 {
                emitAlone(groupFirst[g])
                continue
            }
            var group: [StagedRecord] = []
            group.reserveCapacity(groupSize[g])
            var i = groupFirst[g]
            while i >= 0 {
                group.append(decode(i))
                i = nextInGroup[i]
            }
            let (customer, dropped) = reconciler.reconcile(group)
            if let customer { emit(customer) }
            rejected += dropped
        }
    }

    static func issue(for conflict: IdentityConflict, of record: StagedRecord, inputs: [String]) -> ValidationIssue {
        switch conflict {
        case let .id(first):
            return ValidationIssue(.idDuplicate, field: "id", "id '\(record.sourceID)' was already read at \(inputs[first.fileIndex]):\(first.line)")
        case let .username(holder):
            return ValidationIssue(.usernameDuplicate, field: "username",
                                   "username '\(record.username ?? "")' already belongs to the account read at \(inputs[holder.fileIndex]):\(holder.line)")
        }
    }
}
