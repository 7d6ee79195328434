import ClienteleModel

/// What happened to one input record in reconciliation.
enum Disposition: String {
    case written
    case merged
}

/// One customer of the archive and every input record of this run that became it.
struct ReconciledCustomer {
    var customer: CustomerRecord
    /// The records folded into this customer (the survivor first), in input order after it.
    var members: [(record: StagedRecord, disposition: Disposition)]
}

/// Settles one email's accounts (SPEC §3): at most one registered account survives; guests fold
/// into it, or into the earliest guest. Records without an email never reach here together.
struct EmailGroupReconciler {
    let policy: ImportOptions.DuplicatePolicy
    /// Input paths by file index, for messages.
    let fileNames: [String]

    /// - Parameter group: every accepted record with one normalized email, in input order.
    /// - Returns: the customer they become (if any) and the records rejected as `email.duplicate`.
    func reconcile(_ group: [StagedRecord]) -> (customer: ReconciledCustomer?, rejected: [(StagedRecord, ValidationIssue)]) {
        let registered = group.filter { $0.customer.kind == .registered }
        let guests = group.filter { $0.customer.kind == .guest }
        var rejected: [(StagedRecord, ValidationIssue)] = []

        var survivor: StagedRecord
        if let first = registered.first {
            var kept = first
            if policy == .keepLatest {
                for candidate in registered.dropFirst() where EmailGroupReconciler.isNewer(candidate, than: kept) { kept = candidate }
            }
            for other in registered where other.seq != kept.seq {
                let email = other.customer.email?.value ?? ""
                rejected.append((other, ValidationIssue(
                    .emailDuplicate, field: "email",
                    "'\(email)' already belongs to registered account \(kept.sourceID) (\(fileNames[kept.fileIndex]):\(kept.line)); an email may be on one registered account only")))
            }
            survivor = kept
        } else if let earliest = guests.min(by: EmailGroupReconciler.isEarlierGuest) {
            survivor = earliest
        } else {
            return (nil, rejected)
        }

        let folded = guests.filter { $0.seq != survivor.seq }
        var merged = survivor
        merged.customer = GuestMerger.fold(survivor.customer, folded.map(\.customer))
        let members = [(survivor, Disposition.written)] + folded.map { ($0, Disposition.merged) }
        return (ReconciledCustomer(customer: merged.customer, members: members), rejected)
    }

    /// keep-latest: the newest `updatedAt` wins; a missing one is the oldest; ties keep input order.
    static func isNewer(_ a: StagedRecord, than b: StagedRecord) -> Bool {
        switch (a.customer.updatedAt, b.customer.updatedAt) {
        case let (x?, y?): return x > y
        case (.some, nil): return true
        default: return false
        }
    }

    /// The earliest guest by `createdAt` (a missing one sorts last), then input order.
    static func isEarlierGuest(_ a: StagedRecord, _ b: StagedRecord) -> Bool {
        switch (a.customer.createdAt, b.customer.createdAt) {
        case let (x?, y?) where x != y: return x < y
        case (.some, nil): return true
        case (nil, .some): return false
        default: return a.seq < b.seq
        }
    }
}
