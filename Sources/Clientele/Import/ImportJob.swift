import ClienteleFormats
import ClienteleIO
import ClienteleModel
import Crypto

#if canImport(Glibc)
import Glibc
#endif

/// The main job (SPEC §3): read → map → validate → normalize → reconcile → write.
///
/// Memory stays bounded by spilling: accepted records go to temporary files partitioned by a
/// hash of their email, each partition is reconciled on its own, and the customers it yields go
/// to files partitioned by ref range, which are sorted one at a time into the customers file.
/// Only the id and username index grows with the input (about 40 bytes a record).
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

    private let mapper = CanonicalMapper()
    private var summary = ImportSummary()
    private var identities = AccountIdentityIndex()
    private var seq = 0
    private let clock = ContinuousClock()
    private var started: ContinuousClock.Instant
    private var lastProgress: ContinuousClock.Instant
    private var csvRejectColumns: [String] = []
    /// The same names as a set: a hostile header has 100 000 columns, and a linear search each was quadratic.
    private var csvRejectColumnSet: Set<String> = []
    private var textWriter = JSONTextWriter(capacity: 16 * 1024)
    private var spillEncoder = SpillEncoder()

    private func jsonText(_ value: JSONValue) -> [UInt8] {
        textWriter.removeAll()
        textWriter.write(value)
        return textWriter.bytes
    }

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
                try finishOutputs(at: staging.path)
                do { try staging.commit() } catch { throw ClienteleError.io(error) }
            }
        } catch {
            staging?.discard()
            throw error
        }
        summary.wallSeconds = seconds(since: started)
        return summary
    }

    // MARK: - Phases

    private func runPhases(workPath: String, archivePath: String?) throws(ClienteleError) {
        let partitionCount = choosePartitionCount()
        let partitions = (0..<partitionCount).map { SpillFile(path: workPath + "/p\($0).spill") }
        let intakeRejects = SpillFile(path: workPath + "/rejects-intake.spill")

        // Phase 1: read, map, validate, index ids and usernames, spill by email.
        for (fileIndex, path) in options.inputs.enumerated() {
            try readInput(path, fileIndex: fileIndex, partitions: partitions, rejects: intakeRejects)
        }
        for p in partitions { try p.finishWriting() }
        try intakeRejects.finishWriting()

        // Phase 2: reconcile each partition; customers spill by ref range, rejects by input order.
        let accepted = partitions.reduce(0) { $0 + $1.count }
        let bucketCount = ImportJob.powerOfTwo(atLeast: accepted / 8192, max: 1024)
        let buckets = (0..<bucketCount).map { SpillFile(path: workPath + "/r\($0).spill") }
        let lateRejects = (0..<bucketCount).map { SpillFile(path: workPath + "/rejects-\($0).spill") }
        var columns = Set<String>()
        let reconciler = EmailGroupReconciler(policy: options.onDuplicate, fileNames: options.inputs)
        for partition in partitions {
            try reconcile(partition, reconciler: reconciler, buckets: buckets, rejects: lateRejects, columns: &columns)
            partition.remove()
        }
        for b in buckets { try b.finishWriting() }
        for r in lateRejects { try r.finishWriting() }
        report(phase: "writing", force: true)

        // Phase 3: the archive, sorted by ref; rejects in input order.
        guard let archivePath else {
            // validate: the buckets hold what would have been written; nothing more to do.
            return
        }
        try writeCustomers(from: buckets, to: archivePath, columns: FlatColumns.canonicalOrder(columns))
        try writeRejects(intake: intakeRejects, late: lateRejects, to: archivePath)
    }

    /// Enough partitions that one holds a few megabytes of input: memory flat in N.
    private func choosePartitionCount() -> Int {
        var total: Int64 = 0
        for path in options.inputs {
            let size = path == "-" ? Int64(1) << 30 : (FileSystem.fileSize(path) ?? 0)
            total += size
        }
        return ImportJob.powerOfTwo(atLeast: Int(total / (2 << 20)), max: 512, min: 8)
    }

    static func powerOfTwo(atLeast n: Int, max upper: Int, min lower: Int = 1) -> Int {
        var p = lower
        while p < n && p < upper { p *= 2 }
        return p
    }

    // MARK: - Phase 1

    private func readInput(_ path: String, fileIndex: Int, partitions: [SpillFile], rejects: SpillFile) throws(ClienteleError) {
        let stream = try InputRecordStream(path: path, options: options)
        var file = ImportSummary.InputFile(path: path, format: stream.formatName, gzip: stream.opened.isGzip, bytes: 0)
        if let header = stream.csvHeader {
            for column in header where !InputRecordStream.rejectsOnlyColumns.contains(column) && csvRejectColumnSet.insert(column).inserted {
                csvRejectColumns.append(column)
            }
        }
        var unknown = Set<String>()
        let system = options.effectiveSystem
        let partitionMask = partitions.count - 1

        while let input = try stream.next() {
            seq += 1
            file.counts.read += 1
            if seq & 1023 == 0 { reportIntake(stream) }

            func reject(_ issues: [ValidationIssue]) throws(ClienteleError) {
                file.counts.rejected += 1
                try recordReject(seq: seq, fileIndex: fileIndex, position: input.position, issues: issues, raw: input.raw(),
                                 isCSV: stream.csvHeader != nil, into: rejects)
            }

            if let defect = input.defect {
                try reject([ImportJob.issue(for: defect)])
                continue
            }
            var mapped = mapper.map(input.tree)
            unknown.formUnion(mapped.unknownFields)
            if mapped.hasErrors {
                try reject(mapped.errors)
                continue
            }
            var customer = mapped.customer
            let firstSource = customer.sources.first
            let recordSystem = mapped.sourceID == nil ? (firstSource?.system ?? system) : system
            let sourceID = mapped.sourceID ?? firstSource?.id ?? customer.ref!.value
            let identity = mapped.sourceID.map { (system, $0) } ?? ("ref", customer.ref!.value)
            let holder = AccountIdentityIndex.Holder(
                fileIndex: fileIndex, line: input.position.line,
                usernameIsEmail: customer.username != nil && customer.username?.lowercased() == customer.email?.value)
            if let first = identities.claimID(system: identity.0, id: identity.1, holder: holder) {
                try reject([ValidationIssue(.idDuplicate, field: "id",
                                            "id '\(sourceID)' was already read at \(options.inputs[first.fileIndex]):\(first.line)")])
                continue
            }
            if customer.kind == .registered, let username = customer.username,
                let holderOfName = identities.claimUsername(username, holder: holder) {
                identities.releaseID(system: identity.0, id: identity.1)
                try reject([ValidationIssue(.usernameDuplicate, field: "username",
                                            "username '\(username)' already belongs to the account read at \(options.inputs[holderOfName.fileIndex]):\(holderOfName.line)")])
                continue
            }
            for warning in mapped.warnings { summary.warningCounts[warning.code.rawValue, default: 0] += 1 }
            mapped.issues = []

            if customer.ref == nil { customer.ref = options.refKey.ref(system: system, sourceID: sourceID) }
            if customer.sources.isEmpty {
                customer.sources = [SourceReference(system: system, id: sourceID, file: path, line: input.position.line)]
            }
            let staged = StagedRecord(
                seq: seq, fileIndex: fileIndex, line: input.position.line, recordNumber: input.position.record,
                system: recordSystem, sourceID: sourceID, customer: customer,
                rawJSON: customer.kind == .registered && customer.email != nil ? jsonText(input.raw()) : nil)
            let partitionKey = customer.email.map { IdentityKey($0.value) } ?? IdentityKey("\u{0}" + customer.ref!.value)
            spillEncoder.bytes.removeAll(keepingCapacity: true)
            staged.encoded(into: &spillEncoder)
            try partitions[Int(truncatingIfNeeded: partitionKey.low) & partitionMask].appendFrame(spillEncoder.bytes)
        }
        file.unknownFields = unknown.sorted()
        file.bytes = stream.opened.file.bytesRead
        // Only a regular file can be read a second time: reopening a named pipe waited forever.
        file.sha256 = stream.opened.file.fileSize == nil ? nil : ImportJob.sha256(ofFile: path)
        summary.inputs.append(file)
    }

    private func recordReject(seq: Int, fileIndex: Int, position: SourcePosition, issues: [ValidationIssue], raw: JSONValue,
                              isCSV: Bool, into spill: SpillFile) throws(ClienteleError) {
        summary.totals.rejected += 1
        for issue in issues { summary.errorCounts[issue.code.rawValue, default: 0] += 1 }
        if let limit = options.maxErrors, summary.totals.rejected > limit {
            throw .tooManyRejects(limit: limit, file: options.inputs[fileIndex], line: position.line)
        }
        try spill.append(RejectEntry(seq: seq, fileIndex: fileIndex, line: position.line, record: position.record,
                                     issues: issues, raw: raw, isCSV: isCSV).envelope)
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

    private func reconcile(_ partition: SpillFile, reconciler: EmailGroupReconciler, buckets: [SpillFile],
                           rejects: [SpillFile], columns: inout Set<String>) throws(ClienteleError) {
        var groups: [String: [StagedRecord]] = [:]
        var loners: [StagedRecord] = []
        try partition.forEachFrame { frame throws(ClienteleError) in
            var decoder = SpillDecoder(frame)
            let record = StagedRecord(decoding: &decoder)
            if let email = record.customer.email { groups[email.value, default: []].append(record) } else { loners.append(record) }
        }
        var outcomes: [ReconciledCustomer] = loners.map { ReconciledCustomer(customer: $0.customer, members: [($0, .written)]) }
        var rejected: [(StagedRecord, ValidationIssue)] = []
        for group in groups.values {
            let (customer, dropped) = reconciler.reconcile(group.sorted { $0.seq < $1.seq })
            if let customer { outcomes.append(customer) }
            rejected += dropped
        }
        let totalRead = seq
        for (record, issue) in rejected {
            summary.inputs[record.fileIndex].counts.rejected += 1
            let spill = rejects[min(rejects.count - 1, (record.seq - 1) * rejects.count / max(totalRead, 1))]
            try recordReject(seq: record.seq, fileIndex: record.fileIndex,
                             position: SourcePosition(line: record.line, byteOffset: 0, record: record.recordNumber),
                             issues: [issue], raw: record.raw ?? record.customer.jsonValue,
                             isCSV: summary.inputs[record.fileIndex].format == "csv", into: spill)
        }
        for outcome in outcomes {
            guard let ref = outcome.customer.ref else { continue }
            let json = outcome.customer.jsonValue
            if options.format == .csv { for (column, _) in FlatColumns.flatten(json) { columns.insert(column) } }
            var crosswalk: [JSONValue] = []
            for (record, disposition) in outcome.members {
                switch disposition {
                case .written: summary.inputs[record.fileIndex].counts.written += 1
                case .merged: summary.inputs[record.fileIndex].counts.merged += 1
                }
                crosswalk.append(.array([.string(record.system), .string(record.sourceID), .string(options.inputs[record.fileIndex]),
                                         .number(String(record.line)), .string(disposition.rawValue), .number(String(record.seq))]))
            }
            if outcome.members.count > 1 {
                summary.mergeGroups += 1
                summary.largestMergeGroup = max(summary.largestMergeGroup, outcome.members.count)
            }
            // A bucket line is `ref TAB customer TAB crosswalk`: the customer's JSON is final text, so
            // writing the archive needs no second parse for JSON Lines.
            textWriter.removeAll()
            textWriter.write(json)
            let customerText = textWriter.bytes
            textWriter.removeAll()
            textWriter.write(.array(crosswalk))
            try buckets[ref.bucket(of: buckets.count)].appendLine(Array(ref.value.utf8), customerText, textWriter.bytes)
        }
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
                var entries: [(ref: ArraySlice<UInt8>, customer: ArraySlice<UInt8>, rows: ArraySlice<UInt8>)] = []
                try bucket.forEachLine { line throws(ClienteleError) in
                    let parts = line.split(separator: 9, maxSplits: 2, omittingEmptySubsequences: false)
                    if parts.count == 3 { entries.append((parts[0], parts[1], parts[2])) }
                }
                entries.sort { $0.ref.lexicographicallyPrecedes($1.ref) }
                for entry in entries {
                    try customers.write(text: entry.customer)
                    let ref = String(decoding: entry.ref, as: UTF8.self)
                    guard case let .array(rows) = try? JSONDocument.parse(Array(entry.rows)) else { continue }
                    for row in rows {
                        guard case let .array(cells) = row, cells.count >= 5 else { continue }
                        let text = cells.map { cell -> String in
                            switch cell {
                            case let .string(s): return s
                            case let .number(n): return n
                            default: return ""
                            }
                        }
                        try crosswalk.writeRecord([text[0], text[1], text[2], text[3], ref, text[4]])
                    }
                }
                bucket.remove()
            }
            try customers.close()
            try crosswalk.flush()
            try crosswalkSink.close()
        } catch let error as IOError {
            throw .io(error)
        } catch let error as ClienteleError {
            throw error
        } catch {
            throw .usage("\(error)")
        }
    }

    private func writeRejects(intake: SpillFile, late: [SpillFile], to archive: String) throws(ClienteleError) {
        let hasCSV = summary.inputs.contains { $0.format == "csv" }
        do {
            let writer = try RejectsWriter(directory: archive, csvColumns: hasCSV ? csvRejectColumns : nil, inputs: options.inputs)
            // Intake rejects are in input order already; late ones are sorted bucket by bucket and merged in.
            var intakeEntries: [RejectEntry] = []
            var intakeIterator = 0
            try intake.forEach { v throws(ClienteleError) in intakeEntries.append(RejectEntry(envelope: v)) }
            for bucket in late {
                var lateEntries: [RejectEntry] = []
                try bucket.forEach { v throws(ClienteleError) in lateEntries.append(RejectEntry(envelope: v)) }
                lateEntries.sort { $0.seq < $1.seq }
                let upper = lateEntries.last?.seq ?? 0
                for entry in lateEntries {
                    while intakeIterator < intakeEntries.count, intakeEntries[intakeIterator].seq < entry.seq {
                        try writer.write(intakeEntries[intakeIterator])
                        intakeIterator += 1
                    }
                    try writer.write(entry)
                }
                _ = upper
            }
            while intakeIterator < intakeEntries.count {
                try writer.write(intakeEntries[intakeIterator])
                intakeIterator += 1
            }
            try writer.close()
        } catch let error as IOError {
            throw .io(error)
        } catch let error as ClienteleError {
            throw error
        } catch {
            throw .usage("\(error)")
        }
    }

    // MARK: - Report

    private func finishOutputs(at archive: String) throws(ClienteleError) {
        var names = [ArchiveLayout.customersFile(format: options.format, gzip: options.gzip), ArchiveLayout.crosswalk, ArchiveLayout.rejectsJSONL]
        if summary.inputs.contains(where: { $0.format == "csv" }) { names.append(ArchiveLayout.rejectsCSV) }
        summary.outputs = names.sorted().map { name in
            let path = archive + "/" + name
            return ImportSummary.OutputFile(path: name, bytes: FileSystem.fileSize(path) ?? 0, sha256: ImportJob.sha256(ofFile: path) ?? "")
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
