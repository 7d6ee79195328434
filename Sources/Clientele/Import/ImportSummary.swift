/// What an import run did, for the report, the summary line and the exit code.
public struct ImportSummary: Sendable {
    /// One input file's part.
    public struct InputFile: Sendable {
        public var path: String
        public var format: String
        public var gzip: Bool
        public var bytes: Int64
        public var sha256: String?
        public var counts = RunCounts()
        /// Input fields the mapping did not know (ignored), sorted.
        public var unknownFields: [String] = []
    }

    /// One file of the archive.
    public struct OutputFile: Sendable {
        public var path: String
        public var bytes: Int64
        public var sha256: String
    }

    public var inputs: [InputFile] = []
    public var outputs: [OutputFile] = []
    public var totals = RunCounts()
    /// Rejected records by error code (a record with two errors counts under both).
    public var errorCounts: [String: Int] = [:]
    /// Warnings by code (the records were written).
    public var warningCounts: [String: Int] = [:]
    /// Customers that absorbed at least one other record, and the size of the largest such group.
    public var mergeGroups = 0
    public var largestMergeGroup = 0
    public var wallSeconds: Double = 0
    /// Whether refs were derived with the built-in key (no `--ref-key-file`).
    public var usedDefaultRefKey = false

    public var recordsPerSecond: Double { wallSeconds > 0 ? Double(totals.read) / wallSeconds : 0 }

    /// 0 when every record was written or merged, 1 when some were rejected (SPEC §4).
    public var exitCode: Int32 { totals.rejected > 0 ? 1 : 0 }

    /// The one-line summary printed at the end of a run.
    public var line: String {
        let seconds = (wallSeconds * 100).rounded() / 100
        return "read \(totals.read), written \(totals.written), merged \(totals.merged), rejected \(totals.rejected)"
            + " in \(seconds) s (\(Int(recordsPerSecond.rounded())) records/s)"
    }
}

/// Progress of a running import, for the progress line.
public struct ImportProgress: Sendable {
    public var phase: String
    public var bytesRead: Int64
    public var totalBytes: Int64?
    public var records: Int
    public var elapsedSeconds: Double
}
