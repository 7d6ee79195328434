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
    /// The flat CSV columns the customers use (only with `collectColumns`).
    var columns = Set<String>()

    init(reconciling partition: SpillFile, with reconciler: EmailGroupReconciler, inputs: [String], bucketCount: Int,
         collectColumns: Bool) throws(ClienteleError) {
        counts = Array(repeating: (0, 0), count: inputs.count)
        var groups: [String: [StagedRecord]] = [:]
        var loners: [StagedRecord] = []
        try partition.forEachFrame { frame throws(ClienteleError) in
            var decoder = SpillDecoder(frame)
            let record = StagedRecord(decoding: &decoder)
            if let email = record.customer.email { groups[email.value, default: []].append(record) } else { loners.append(record) }
        }
        var outcomes: [ReconciledCustomer] = loners.map { ReconciledCustomer(customer: $0.customer, members: [($0, .written)]) }
        for group in groups.values {
            let (customer, dropped) = reconciler.reconcile(group.sorted { $0.seq < $1.seq })
            if let customer { outcomes.append(customer) }
            rejected += dropped
        }
        var text = JSONTextWriter(capacity: 16 * 1024)
        var crosswalk = CSVRecordEncoder()
        for outcome in outcomes {
            guard let ref = outcome.customer.ref else { continue }
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
            var frame = SpillEncoder()
            frame.bytes.reserveCapacity(text.bytes.count + crosswalk.bytes.count + 48)
            frame.string(ref.value)
            frame.int(text.bytes.count)
            frame.bytes.append(contentsOf: text.bytes)
            frame.bytes.append(contentsOf: crosswalk.bytes)
            frames.append((ref.bucket(of: bucketCount), frame.bytes))
        }
    }
}
