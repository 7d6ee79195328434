/// The accounting of one input file or of a whole run: every record read ends in exactly one of
/// written, merged or rejected (SPEC §3).
public struct RunCounts: Equatable, Sendable {
    public var read = 0
    public var written = 0
    public var merged = 0
    public var rejected = 0

    public init() {}

    /// `read = written + merged + rejected`; a run for which this does not hold is a bug.
    public var balances: Bool { read == written + merged + rejected }

    public static func += (a: inout RunCounts, b: RunCounts) {
        a.read += b.read
        a.written += b.written
        a.merged += b.merged
        a.rejected += b.rejected
    }
}
