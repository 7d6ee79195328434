import ClienteleFormats
import ClienteleIO
import Logging

/// What `clientele diff` is told.
public struct DiffOptions: Sendable {
    /// The older archive (a directory, or its customers file).
    public var old: String
    /// The newer archive.
    public var new: String
    /// The delta file (JSON Lines); `-` is standard output.
    public var output: String

    public init(old: String, new: String, output: String) {
        self.old = old
        self.new = new
        self.output = output
    }
}

/// What a diff found.
public struct DiffSummary: Sendable, Equatable {
    public var added = 0
    public var changed = 0
    public var removed = 0
    public var unchanged = 0
    public var wallSeconds: Double = 0

    /// The line printed at the end.
    public var line: String {
        "diff: \(added) added, \(changed) changed, \(removed) removed, \(unchanged) unchanged"
    }

    /// The counts as a JSON object (`--report-json`).
    public var json: JSONValue {
        .object([JSONMember("tool", .string("clientele")), JSONMember("command", .string("diff")),
                 JSONMember("added", .number(String(added))), JSONMember("changed", .number(String(changed))),
                 JSONMember("removed", .number(String(removed))), JSONMember("unchanged", .number(String(unchanged))),
                 JSONMember("timing", .object([JSONMember("wallSeconds", .number(String((wallSeconds * 1000).rounded() / 1000)))]))])
    }
}

// Invariants:
// - Both customers files are read once, front to back, one customer each in hand: memory does not
//   grow with the archives (SPEC §3). This needs both sorted by ref, strictly; the readers check it.
// - Each step emits at most one line for the smaller ref (or for the shared one), so the delta is
//   ordered by ref like the archives.

/// The nightly delta (SPEC §7): one JSON line per customer that differs between two archives,
/// ordered by ref, by a merge-join of their ref-sorted customers files.
///
/// `{"op":"add","ref":R,"customer":{…}}` for a customer only in the new archive,
/// `{"op":"change","ref":R,"fields":[…],"customer":{…}}` for one whose fields differ (provenance
/// aside, see ``CustomerDelta``), `{"op":"remove","ref":R}` for one only in the old archive. The
/// customer is the new record, in canonical JSON whatever the archive's format.
///
/// ```swift
/// let summary = try DiffJob(options: DiffOptions(old: "yesterday", new: "today", output: "delta.jsonl")).run()
/// print(summary.line)   // diff: 12 added, 30 changed, 2 removed, 9956 unchanged
/// ```
public final class DiffJob {
    public let options: DiffOptions
    /// Where progress goes; never given a record value.
    public var logger = Logger(label: "clientele", factory: { _ in SwiftLogNoOpLogHandler() })
    private let clock = ContinuousClock()

    public init(options: DiffOptions) {
        self.options = options
    }

    /// Compares the archives and writes the delta (renamed into place when complete).
    ///
    /// - Throws: ``ClienteleError``: 66 an archive is missing, 65 one cannot be read or is not
    ///   sorted by ref, 73 the delta cannot be written.
    public func run() throws(ClienteleError) -> DiffSummary {
        let started = clock.now
        let old = try ArchiveReader(path: try ArchiveLocation(path: options.old).customersPath, checkingOrder: true)
        let new = try ArchiveReader(path: try ArchiveLocation(path: options.new).customersPath, checkingOrder: true)
        logger.info("diff started", metadata: ["old": "\(old.path)", "new": "\(new.path)"])
        let file: StagedFile
        do { file = try StagedFile(finalPath: options.output) } catch { throw .io(error) }
        var summary = DiffSummary()
        var text = JSONTextWriter(capacity: 64 * 1024)
        do throws(ClienteleError) {
            var a = try old.next()
            var b = try new.next()
            while a != nil || b != nil {
                let order: Int
                if let x = a, let y = b {
                    order = x.ref == y.ref ? 0 : (x.ref.utf8.lexicographicallyPrecedes(y.ref.utf8) ? -1 : 1)
                } else {
                    order = a != nil ? -1 : 1
                }
                if order < 0 {
                    emit(&text, op: "remove", ref: a!.ref, fields: nil, customer: nil)
                    summary.removed += 1
                    a = try old.next()
                } else if order > 0 {
                    emit(&text, op: "add", ref: b!.ref, fields: nil, customer: try b!.canonical())
                    summary.added += 1
                    b = try new.next()
                } else {
                    let after = try b!.canonical()
                    let fields = CustomerDelta.changedFields(old: try a!.canonical(), new: after)
                    if fields.isEmpty {
                        summary.unchanged += 1
                    } else {
                        emit(&text, op: "change", ref: b!.ref, fields: fields, customer: after)
                        summary.changed += 1
                        logger.trace("customer changed", metadata: ["ref": "\(b!.ref)", "fields": "\(fields.joined(separator: ","))"])
                    }
                    a = try old.next()
                    b = try new.next()
                }
                if text.count >= 60 * 1024 {
                    do { try file.sink.write(text) } catch { throw .io(error) }
                    text.removeAll()
                }
            }
            do {
                try file.sink.write(text)
                try file.commit()
            } catch {
                throw .io(error)
            }
        } catch {
            file.discard()
            throw error
        }
        let d = clock.now - started
        summary.wallSeconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
        logger.info("diff finished", metadata: ["added": "\(summary.added)", "changed": "\(summary.changed)",
                                               "removed": "\(summary.removed)", "unchanged": "\(summary.unchanged)"])
        return summary
    }

    private func emit(_ text: inout JSONTextWriter, op: String, ref: String, fields: [String]?, customer: JSONValue?) {
        var members = [JSONMember("op", .string(op)), JSONMember("ref", .string(ref))]
        if let fields { members.append(JSONMember("fields", .array(fields.map { .string($0) }))) }
        if let customer { members.append(JSONMember("customer", customer)) }
        text.write(.object(members))
        text.writeRaw("\n")
    }
}
