import ClienteleFormats
import ClienteleIO
import ClienteleModel
import Crypto
import Dispatch
import Logging

#if canImport(Glibc)
import Glibc
#endif

/// The main job (SPEC §3): read → map → validate → normalize → reconcile → write.
///
/// Memory stays bounded by spilling: accepted records go to temporary files partitioned by a
/// hash of their email, each partition is reconciled on its own, and the customers it yields go
/// to files partitioned by ref range, which are sorted one at a time into the customers file.
/// Ids and usernames are settled from spill files too (``IdentityClaims``): memory grows only with
/// the records that share an id or a username.
///
/// ```swift
/// var options = ImportOptions(inputs: ["SampleData/customers.csv"], outputDirectory: "out")
/// let summary = try ImportJob(options: options).run()
/// print(summary.line)   // read 40, written 30, merged 6, rejected 4 in 0.05 s (800 records/s)
/// ```
///
/// The archive is staged beside `--out` and moved into place only when complete; on any error
/// nothing appears there.
public final class ImportJob {
    public let options: ImportOptions
    /// Called now and then with the run's progress (from the running thread).
    public var onProgress: ((ImportProgress) -> Void)?
    /// Where the run's events go (counts, positions and codes only: never a record's values).
    public var logger = Logger(label: "clientele", factory: { _ in SwiftLogNoOpLogHandler() })

    private var summary = ImportSummary()
    /// Each input's CSV header (nil for JSON and XML), by file index: names a rejected row's cells.
    private var rawColumns: [[String]?] = []
    /// With `--max-errors`: where each record rejected while reading was read (at most the limit's
    /// worth), to name the record that passed the limit once ids and usernames are settled too.
    private var intakeRejectPositions: [(seq: Int, fileIndex: Int, line: Int)] = []
    private var identitiesSettled = false
    private var claims: IdentityClaims?
    private var seq = 0
    private let clock = ContinuousClock()
    private var started: ContinuousClock.Instant
    private var lastProgress: ContinuousClock.Instant
    private var csvRejectColumns: [String] = []
    /// The same names as a set: a hostile header has 100 000 columns, and a linear search each was quadratic.
    private var csvRejectColumnSet: Set<String> = []

    public init(options: ImportOptions) {
        self.options = options
        started = clock.now
        lastProgress = started
    }

    /// Runs the import. Records with bad data are rejected, not thrown.
    ///
    /// - Throws: ``ClienteleError`` when the run must stop; nothing is left at the output path then.
    public func run() throws(ClienteleError) -> ImportSummary {
        started = clock.now
        summary.usedDefaultRefKey = options.refKey.isDefault
        logger.info("import started", metadata: ["inputs": "\(options.inputs.count)", "out": "\(options.outputDirectory ?? "-")"])
        let staging: StagingDirectory?
        let workPath: String
        if let out = options.outputDirectory {
            if FileSystem.exists(out), !FileSystem.isDirectory(out) {
                throw .outputInUse(path: out, detail: "exists and is not a directory")
            }
            if FileSystem.isDirectory(out), !FileSystem.exists(out + "/" + ArchiveLayout.report), !FileSystem.isEmptyDirectory(out) {
                throw .outputInUse(path: out, detail: "exists and is not a Clientele archive; refusing to replace it")
            }
            do { staging = try StagingDirectory(finalPath: out) } catch { throw .io(error) }
            workPath = staging!.path + "/" + ArchiveLayout.work
        } else {
            staging = nil
            workPath = options.temporaryDirectory + "/clientele-validate-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        }
        do throws(ClienteleError) {
            do { try FileSystem.makeDirectory(workPath, mode: 0o700) } catch { throw ClienteleError.io(error) }
            defer { FileSystem.removeRecursively(workPath) }
            try runPhases(workPath: workPath, archivePath: staging?.path)
            // Rejections were counted as they happened (for --max-errors); the rest is summed from the files.
            let rejected = summary.totals.rejected
            summary.totals = summary.inputs.reduce(into: RunCounts()) { $0 += $1.counts }
            assert(summary.totals.rejected == rejected, "every rejection is counted against its file")
            FileSystem.removeRecursively(workPath)
            if let staging {
                let digestStart = ContinuousClock.now
                try finishOutputs(at: staging.path)
                let d = (ContinuousClock.now - digestStart).components
                logger.debug("phase finished", metadata: ["phase": "digests", "seconds": "\(Double(d.seconds) + Double(d.attoseconds) / 1e18)"])
                do { try staging.commit() } catch { throw ClienteleError.io(error) }
            }
        } catch {
            staging?.discard()
            logger.notice("import aborted; nothing was written", metadata: ["exitCode": "\(error.exitCode)"])
            throw error
        }
        summary.wallSeconds = seconds(since: started)
        let t = summary.totals
        logger.info("import finished", metadata: ["read": "\(t.read)", "written": "\(t.written)", "merged": "\(t.merged)",
                                                 "rejected": "\(t.rejected)", "seconds": "\(summary.wallSeconds)"])
        return summary
    }

    // MARK: - Phases

    private func runPhases(workPath: String, archivePath: String?) throws(ClienteleError) {
        let partitionCount = choosePartitionCount()
        let partitions = SpillFile.set(count: partitionCount, budget: ImportJob.spillBufferBudget) { workPath + "/p\($0).spill" }
        let intakeRejects = SpillFile(path: workPath + "/rejects-intake.spill")
        // A claim is some 40 bytes against a record's few kilobytes: fewer, fuller files.
        let claims = IdentityClaims(directory: workPath, partitionCount: max(1, partitionCount / 8))
        self.claims = claims

        let clock = ContinuousClock()
        var phaseStart = clock.now
        func phaseDone(_ name: String) {
            let now = clock.now
            let d = (now - phaseStart).components
            // What this phase freed goes back to the system before the next one starts: left in the
            // arenas of the threads that freed it, the next phase's threads could not reuse it, and
            // the run's peak grew with the number of spill files (see ``ProcessMemory``).
            ProcessMemory.releaseFreedMemory()
            // The figures are read only when debug events are logged (the metadata is an autoclosure).
            logger.debug("phase finished", metadata: ["phase": "\(name)", "seconds": "\(Double(d.seconds) + Double(d.attoseconds) / 1e18)",
                                                     "peakMiB": "\((ProcessMemory.peakResidentBytes ?? 0) >> 20)",
                                                     "residentMiB": "\((ProcessMemory.residentBytes ?? 0) >> 20)"])
            phaseStart = now
        }

        // Phase 1: read, map, validate, index ids and usernames, spill by email.
        for (fileIndex, path) in options.inputs.enumerated() {
            try readInput(path, fileIndex: fileIndex, partitions: partitions, claims: claims, rejects: intakeRejects)
        }
        for p in partitions { try p.finishWriting() }
        try intakeRejects.finishWriting()
        try claims.finishWriting()
        phaseDone("read")
        let conflicts = try claims.settle()
        logger.debug("identities settled", metadata: ["contested": "\(claims.contestedCount)", "lost": "\(claims.losers.count)"])
        try checkRejectLimit(identityLosers: claims.losers)
        phaseDone("identities")

        // Phase 2: reconcile each partition; customers spill by ref range, rejects by input order.
        let accepted = partitions.reduce(0) { $0 + $1.count }
        let bucketCount = ImportJob.powerOfTwo(atLeast: accepted / 8192, max: 1024)
        let buckets = SpillFile.set(count: bucketCount, budget: ImportJob.spillBufferBudget / 2) { workPath + "/r\($0).spill" }
        let lateRejects = SpillFile.set(count: bucketCount, budget: ImportJob.spillBufferBudget / 2) { workPath + "/rejects-\($0).spill" }
        var columns = Set<String>()
        let reconciler = EmailGroupReconciler(policy: options.onDuplicate, fileNames: options.inputs)
        // Partitions are independent: reconcile as many at once as there are workers, then write
        // their results in partition order (so the output does not depend on the thread count).
        // One more lane writes the previous slice's results meanwhile: written after each slice,
        // they left a core idle for a fifth of the phase.
        var start = 0
        let inputs = options.inputs
        let csvColumns = options.format == .csv
        var previous: (slice: [SpillFile], outcomes: [Result<PartitionOutcome, ClienteleError>]) = ([], [])
        nonisolated(unsafe) let job = self
        while start < partitions.count || !previous.slice.isEmpty {
            let slice = Array(partitions[start..<min(partitions.count, start + ImportJob.workerCount)])
            let results = UnsafeMutableBufferPointer<Result<PartitionOutcome, ClienteleError>?>.allocate(capacity: slice.count)
            results.initialize(repeating: nil)
            defer { results.deinitialize().deallocate() }
            nonisolated(unsafe) let out = results
            nonisolated(unsafe) let work = slice
            nonisolated(unsafe) let done = previous
            nonisolated(unsafe) var commitError: ClienteleError?
            nonisolated(unsafe) var columnsHere = columns
            nonisolated(unsafe) let (bucketFiles, rejectFiles) = (buckets, lateRejects)
            let lanes = slice.count
            DispatchQueue.concurrentPerform(iterations: lanes + 1) { i in
                if i == lanes {
                    do throws(ClienteleError) {
                        for (k, outcome) in done.outcomes.enumerated() {
                            try job.commit(outcome.get(), buckets: bucketFiles, rejects: rejectFiles, columns: &columnsHere)
                            done.slice[k].remove()
                        }
                    } catch {
                        commitError = error
                    }
                    return
                }
                out[i] = Result { () throws(ClienteleError) in
                    try PartitionOutcome(reconciling: work[i], with: reconciler, conflicts: conflicts, inputs: inputs,
                                         bucketCount: bucketCount, collectColumns: csvColumns)
                }
            }
            if let commitError { throw commitError }
            columns = columnsHere
            previous = (slice, results.map { $0! })
            start += slice.count
        }
        for b in buckets { try b.finishWriting() }
        for r in lateRejects { try r.finishWriting() }
        report(phase: "writing", force: true)
        phaseDone("reconcile")

        // Phase 3: the archive, sorted by ref; rejects in input order.
        guard let archivePath else {
            // validate: the buckets hold what would have been written; nothing more to do.
            return
        }
        // The rejects files come after the customers file, not beside it: written while it was
        // compressed, they saved half a second at a million records but raised that run's peak
        // memory by a tenth (both files' buffers at once).
        try writeCustomers(from: buckets, to: archivePath, columns: FlatColumns.canonicalOrder(columns))
        phaseDone("customers")
        try writeRejects(intake: intakeRejects, late: lateRejects, to: archivePath)
        phaseDone("rejects")
    }

    /// What a set of spill files open at once may buffer together (see ``SpillFile/set(count:budget:path:)``).
    static let spillBufferBudget = 6 << 20

    /// Enough partitions that one holds about 1.5 MB of input, so the two reconciled at once (and
    /// the outcomes being written) take the same memory at any N. Any count works (records go by
    /// email hash modulo the count): rounding up to a power of two made a partition anything from
    /// 1 to 2 MB, and memory at 10M records 30 % above that at 1M. Every partition keeps a file
    /// open while reading, so the open-file limit is raised for them, and bounds their number
    /// where it cannot be.
    private func choosePartitionCount() -> Int {
        var total: Int64 = 0
        for path in options.inputs {
            var size = path == "-" ? Int64(1) << 30 : (FileSystem.fileSize(path) ?? 0)
            if path.hasSuffix(".gz") { size *= 6 }  // about what customer data deflates to
            total += size
        }
        let wanted = min(8192, max(8, Int((total + 1_499_999) / 1_500_000)))
        // Partitions, claim files (an eighth as many, twice) and some room for everything else.
        let openFiles = FileSystem.raiseOpenFileLimit(to: wanted + wanted / 4 + 256)
        return max(8, min(wanted, (openFiles - 128) * 4 / 5))
    }

    static func powerOfTwo(atLeast n: Int, max upper: Int, min lower: Int = 1) -> Int {
        var p = lower
        while p < n && p < upper { p *= 2 }
        return p
    }

    // MARK: - Phase 1

    private func readInput(_ path: String, fileIndex: Int, partitions: [SpillFile], claims: IdentityClaims,
                           rejects: SpillFile) throws(ClienteleError) {
        let stream = try InputRecordStream(path: path, options: options)
        logger.debug("reading input", metadata: ["file": "\(path)", "format": "\(stream.formatName)", "gzip": "\(stream.opened.isGzip)"])
        var file = ImportSummary.InputFile(path: path, format: stream.formatName, gzip: stream.opened.isGzip, bytes: 0)
        rawColumns.append(stream.csvHeader)
        if let header = stream.csvHeader {
            for column in header where !InputRecordStream.rejectsOnlyColumns.contains(column) && csvRejectColumnSet.insert(column).inserted {
                csvRejectColumns.append(column)
            }
        }
        // The input's digest is read on the side while its records are: hashing is a tenth of the work.
        // Only a regular file can be opened a second time for its digest: a second reader of a named
        // pipe or of /dev/fd/N (bash's <(…)) takes bytes away from the import, or waits forever.
        let inputDigest = path == "-" || stream.opened.file.fileSize == nil ? nil : BackgroundDigest(path: path)
        var unknown = Set(stream.unknownProfileColumns)
        let preparer = RecordPreparer(system: options.effectiveSystem, refKey: options.refKey, partitionCount: partitions.count,
                                      profile: options.customerProfile.flatMap { $0 is CanonicalProfile ? nil : $0 })
        let isCSV = stream.csvHeader != nil

        // Records are read in batches; while the workers prepare one batch, one lane reads the next
        // and another commits the previous: claims and writes follow input order on that lane, so
        // the output does not depend on the number of threads. (Committed after each batch, they
        // left a core idle for a tenth of the phase.)
        // Small enough that the batches in flight (one read ahead, one prepared, one committing:
        // their records, trees and frames) stay a few megabytes; 2048 held some 60 MB of JSON trees.
        let batchSize = 512
        let lanes = ImportJob.workerCount * 2
        var current = try ImportJob.readBatch(stream, max: batchSize)
        var committing: [RecordPreparer.Prepared] = []
        var issued = seq
        nonisolated(unsafe) let job = self
        nonisolated(unsafe) let (partitionFiles, rejectFile, claimFiles) = (partitions, rejects, claims)
        while !current.isEmpty || !committing.isEmpty {
            let base = issued
            issued += current.count
            let batch = current
            nonisolated(unsafe) var next: [InputRecord] = []
            nonisolated(unsafe) var readError: ClienteleError?
            nonisolated(unsafe) var commitError: ClienteleError?
            nonisolated(unsafe) var fileHere = file
            nonisolated(unsafe) var unknownHere = unknown
            let done = committing
            let results = UnsafeMutableBufferPointer<RecordPreparer.Prepared?>.allocate(capacity: batch.count)
            results.initialize(repeating: nil)
            defer { results.deinitialize().deallocate() }
            nonisolated(unsafe) let out = results
            nonisolated(unsafe) let stream = stream
            let lanesHere = min(lanes, max(1, batch.count / 64))
            DispatchQueue.concurrentPerform(iterations: lanesHere + 2) { lane in
                if lane == lanesHere {
                    guard !batch.isEmpty else { return }
                    do throws(ClienteleError) { next = try ImportJob.readBatch(stream, max: batchSize) } catch { readError = error }
                    return
                }
                if lane == lanesHere + 1 {
                    do throws(ClienteleError) {
                        try job.commit(done, fileIndex: fileIndex, isCSV: isCSV, file: &fileHere, unknown: &unknownHere,
                                       partitions: partitionFiles, claims: claimFiles, rejects: rejectFile)
                    } catch {
                        commitError = error
                    }
                    return
                }
                var scratch = RecordPreparer.Scratch()
                var i = lane * batch.count / lanesHere
                let end = (lane + 1) * batch.count / lanesHere
                while i < end {
                    out[i] = preparer.prepare(batch[i], seq: base + i + 1, fileIndex: fileIndex, path: path, scratch: &scratch)
                    i += 1
                }
            }
            file = fileHere
            unknown = unknownHere
            if let commitError { throw commitError }
            committing = results.map { $0! }
            reportIntake(stream)
            if let readError {
                // What was read before the error counts first (a run over --max-errors there says so).
                try commit(committing, fileIndex: fileIndex, isCSV: isCSV, file: &file, unknown: &unknown, partitions: partitions,
                           claims: claims, rejects: rejects)
                throw readError
            }
            current = next
        }
        file.unknownFields = unknown.sorted()
        file.bytes = stream.opened.file.bytesRead
        file.sha256 = inputDigest?.wait()
        summary.inputs.append(file)
    }

    /// Threads that prepare records: one per online core.
    static let workerCount = max(1, min(8, sysconf(Int32(_SC_NPROCESSORS_ONLN))))

    /// Up to `max` records of `stream`.
    static func readBatch(_ stream: InputRecordStream, max: Int) throws(ClienteleError) -> [InputRecord] {
        var batch: [InputRecord] = []
        batch.reserveCapacity(max)
        while batch.count < max, let record = try stream.next() { batch.append(record) }
        return batch
    }

    /// Commits a batch of prepared records in input order.
    private func commit(_ batch: [RecordPreparer.Prepared], fileIndex: Int, isCSV: Bool, file: inout ImportSummary.InputFile,
                        unknown: inout Set<String>, partitions: [SpillFile], claims: IdentityClaims,
                        rejects: SpillFile) throws(ClienteleError) {
        for prepared in batch {
            seq = prepared.seq
            file.counts.read += 1
            if !prepared.unknownFields.isEmpty { unknown.formUnion(prepared.unknownFields) }
            try commit(prepared, fileIndex: fileIndex, isCSV: isCSV, file: &file, partitions: partitions, claims: claims, rejects: rejects)
        }
    }

    /// Writes a prepared record to its partition and its claims to theirs, or rejects it.
    private func commit(_ prepared: RecordPreparer.Prepared, fileIndex: Int, isCSV: Bool, file: inout ImportSummary.InputFile,
                        partitions: [SpillFile], claims: IdentityClaims, rejects: SpillFile) throws(ClienteleError) {
        switch prepared.outcome {
        case let .rejected(issues):
            file.counts.rejected += 1
            try recordReject(seq: prepared.seq, fileIndex: fileIndex, position: prepared.input.position, issues: issues,
                             raw: prepared.input.raw(), isCSV: isCSV, into: rejects)
        case let .accepted(a):
            try claims.add(a.claim)
            try partitions[a.partition].appendFrame(a.frame)
        }
    }

    private func recordReject(seq: Int, fileIndex: Int, position: SourcePosition, issues: [ValidationIssue], raw: JSONValue,
                              isCSV: Bool, into spill: SpillFile) throws(ClienteleError) {
        summary.totals.rejected += 1
        for issue in issues { summary.errorCounts[issue.code.rawValue, default: 0] += 1 }
        // Codes and fields only: messages quote input values.
        logger.debug("record rejected", metadata: ["file": "\(options.inputs[fileIndex])", "line": "\(position.line)",
                                                  "codes": "\(issues.map { $0.code.rawValue + "(" + $0.field + ")" }.joined(separator: ","))"])
        if let limit = options.maxErrors {
            if !identitiesSettled {
                intakeRejectPositions.append((seq, fileIndex, position.line))
                if summary.totals.rejected > limit, let claims {
                    // Claims so far settle as they would at the end (input order decides), so the
                    // record that really passed the limit may be an earlier repeated id or username.
                    try claims.finishWriting()
                    _ = try claims.settle()
                    try checkRejectLimit(identityLosers: claims.losers)
                }
            }
            if summary.totals.rejected > limit {
                throw .tooManyRejects(limit: limit, file: options.inputs[fileIndex], line: position.line)
            }
        }
        try spill.append(RejectEntry(seq: seq, fileIndex: fileIndex, line: position.line, record: position.record,
                                     issues: issues, raw: raw, isCSV: isCSV).envelope)
    }

    /// Ids and usernames are settled after reading (``IdentityClaims``), so a run over `--max-errors`
    /// by their rejections is stopped then, naming the record that passed the limit in input order.
    private func checkRejectLimit(identityLosers: [(seq: Int, at: AccountIdentityIndex.Holder)]) throws(ClienteleError) {
        identitiesSettled = true
        guard let limit = options.maxErrors, intakeRejectPositions.count + identityLosers.count > limit else { return }
        var all = intakeRejectPositions
        all += identityLosers.map { ($0.seq, $0.at.fileIndex, $0.at.line) }
        all.sort { $0.seq < $1.seq }
        let passing = all[limit]
        throw .tooManyRejects(limit: limit, file: options.inputs[passing.fileIndex], line: passing.line)
    }

    static func issue(for defect: RecordDefect) -> ValidationIssue {
        switch defect {
        case .invalidUTF8:
            return ValidationIssue(.encodingInvalid, field: "", "\(defect) (is the file in another encoding? see --encoding)")
        case .fieldCount, .malformed:
            return ValidationIssue(.recordMalformed, field: "", defect.description)
        }
    }

    // MARK: - Phase 2

    private func commit(_ outcome: PartitionOutcome, buckets: [SpillFile], rejects: [SpillFile],
                        columns: inout Set<String>) throws(ClienteleError) {
        let totalRead = seq
        for (record, issue) in outcome.rejected {
            summary.inputs[record.fileIndex].counts.rejected += 1
            let spill = rejects[min(rejects.count - 1, (record.seq - 1) * rejects.count / max(totalRead, 1))]
            try recordReject(seq: record.seq, fileIndex: record.fileIndex,
                             position: SourcePosition(line: record.line, byteOffset: 0, record: record.recordNumber),
                             issues: [issue], raw: record.rawValue(columns: rawColumns[record.fileIndex]),
                             isCSV: summary.inputs[record.fileIndex].format == "csv", into: spill)
        }
        for (fileIndex, counts) in outcome.counts.enumerated() {
            summary.inputs[fileIndex].counts.written += counts.written
            summary.inputs[fileIndex].counts.merged += counts.merged
        }
        for (code, count) in outcome.warningCounts { summary.warningCounts[code.rawValue, default: 0] += count }
        summary.mergeGroups += outcome.mergeGroups
        summary.largestMergeGroup = max(summary.largestMergeGroup, outcome.largestMergeGroup)
        columns.formUnion(outcome.columns)
        for (bucket, frame) in outcome.frames { try buckets[bucket].appendFrame(frame) }
    }

    // MARK: - Phase 3

    private func writeCustomers(from buckets: [SpillFile], to archive: String, columns: [String]) throws(ClienteleError) {
        let customersPath = archive + "/" + ArchiveLayout.customersFile(format: options.format, gzip: options.gzip)
        do {
            let customers = try CustomerFileWriter(path: customersPath, format: options.format, gzip: options.gzip,
                                                   gzipLevel: options.gzipLevel, columns: columns)
            let crosswalkSink = try FileByteSink(path: archive + "/" + ArchiveLayout.crosswalk)
            var crosswalk = CSVWriter(sink: crosswalkSink)
            try crosswalk.writeRecord(["system", "source_id", "file", "line", "ref", "disposition"])
            for bucket in buckets {
                var entries: [(ref: String, customer: ArraySlice<UInt8>, rows: ArraySlice<UInt8>)] = []
                try bucket.forEachFrame { frame throws(ClienteleError) in
                    var d = SpillDecoder(frame)
                    let ref = d.string()
                    let length = d.int()
                    entries.append((ref, frame[d.offset..<(d.offset + length)], frame[(d.offset + length)...]))
                }
                entries.sort { $0.ref < $1.ref }
                for entry in entries {
                    try customers.write(text: entry.customer)
                    try crosswalk.writeEncoded(entry.rows)
                }
                bucket.remove()
            }
            try customers.close()
            try crosswalk.flush()
            try crosswalkSink.close()
        } catch {
            throw ClienteleError(wrapping: error, file: customersPath)
        }
    }

    private func writeRejects(intake: SpillFile, late: [SpillFile], to archive: String) throws(ClienteleError) {
        let hasCSV = summary.inputs.contains { $0.format == "csv" }
        do {
            // In the inputs' own delimiter where the layout fixes one, so the file feeds back with the same options.
            let delimiter = options.delimiter ?? options.customerProfile?.input.delimiter ?? UInt8(ascii: ",")
            let writer = try RejectsWriter(directory: archive, csvColumns: hasCSV ? csvRejectColumns : nil, inputs: options.inputs,
                                           delimiter: delimiter)
            // Intake rejects are in input order already; late ones are sorted bucket by bucket (a bucket
            // is a range of input order) and merged in. Intake rejects are pulled one at a time: held
            // whole, they were the largest thing in memory at the end of a big run.
            var intakeCursor = try intake.lineCursor()
            var nextIntake = try intakeCursor.next().map(RejectEntry.init(envelope:))
            for bucket in late {
                var lateEntries: [RejectEntry] = []
                try bucket.forEach { v throws(ClienteleError) in lateEntries.append(RejectEntry(envelope: v)) }
                lateEntries.sort { $0.seq < $1.seq }
                for entry in lateEntries {
                    while let pending = nextIntake, pending.seq < entry.seq {
                        try writer.write(pending)
                        nextIntake = try intakeCursor.next().map(RejectEntry.init(envelope:))
                    }
                    try writer.write(entry)
                }
            }
            while let pending = nextIntake {
                try writer.write(pending)
                nextIntake = try intakeCursor.next().map(RejectEntry.init(envelope:))
            }
            try writer.close()
        } catch {
            throw ClienteleError(wrapping: error, file: archive)
        }
    }

    // MARK: - Report

    private func finishOutputs(at archive: String) throws(ClienteleError) {
        var names = [ArchiveLayout.customersFile(format: options.format, gzip: options.gzip), ArchiveLayout.crosswalk, ArchiveLayout.rejectsJSONL]
        if summary.inputs.contains(where: { $0.format == "csv" }) { names.append(ArchiveLayout.rejectsCSV) }
        let sorted = names.sorted()
        let digests = ImportJob.sha256(ofFiles: sorted.map { archive + "/" + $0 })
        summary.outputs = sorted.enumerated().map { i, name in
            ImportSummary.OutputFile(path: name, bytes: FileSystem.fileSize(archive + "/" + name) ?? 0, sha256: digests[i] ?? "")
        }
        summary.wallSeconds = seconds(since: started)
        let report = RunReport(summary: summary, options: options)
        do {
            let sink = try FileByteSink(path: archive + "/" + ArchiveLayout.report)
            try sink.write(report.jsonText())
            try sink.close()
        } catch {
            throw .io(error)
        }
    }

    private func reportIntake(_ stream: InputRecordStream) {
        guard onProgress != nil else { return }
        let now = clock.now
        guard now - lastProgress > .milliseconds(200) else { return }
        lastProgress = now
        onProgress?(ImportProgress(phase: "reading", bytesRead: stream.opened.file.bytesRead, totalBytes: stream.opened.file.fileSize,
                                   records: seq, elapsedSeconds: seconds(since: started)))
    }

    private func report(phase: String, force: Bool) {
        onProgress?(ImportProgress(phase: phase, bytesRead: 0, totalBytes: nil, records: seq, elapsedSeconds: seconds(since: started)))
    }

    private func seconds(since start: ContinuousClock.Instant) -> Double {
        let d = clock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// The SHA-256 of each file, hashed at once on all cores.
    static func sha256(ofFiles paths: [String]) -> [String?] {
        concurrentMap(paths) { sha256(ofFile: $0) }
    }

    /// The SHA-256 of a file's bytes, as lowercase hex.
    static func sha256(ofFile path: String) -> String? {
        guard let source = try? FileByteSource(path: path) else { return nil }
        var hasher = SHA256()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n: Int
            do {
                n = try source.read(into: &buffer)
            } catch {
                return nil
            }
            if n == 0 { break }
            buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
        }
        return hasher.finalize().map { String($0, radix: 16).leftPadded(2) }.joined()
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}

/// A file's SHA-256, computed on a background thread.
final class BackgroundDigest: @unchecked Sendable {
    private let group = DispatchGroup()
    private var digest: String?

    init(path: String) {
        DispatchQueue.global().async(group: group) { self.digest = ImportJob.sha256(ofFile: path) }
    }

    /// Waits for the digest (nil if the file could not be read).
    func wait() -> String? {
        group.wait()
        return digest
    }
}
