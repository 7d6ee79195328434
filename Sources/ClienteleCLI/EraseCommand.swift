import ArgumentParser
import Clientele
import ClienteleModel

/// `clientele erase`: an erasure request, a new archive with one person anonymized.
struct EraseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "erase",
        abstract: "Write a new archive in which one person is anonymized (erasure request).",
        discussion: """
            Every customer matching the email (or the ref) loses its personal and address data, notes and \
            password hash; its email becomes erased-<ref>@erased.invalid (unique, and the original address is \
            free for a new registration), status disabled, anonymizedAt set; ref, orders, store credit and \
            groups stay. The person's rejected records are dropped, crosswalk rows lose the source id, and \
            report.json lists the refs erased. Everything else is unchanged. Idempotent. --out may be the \
            archive itself: it is replaced whole, only when the new archive is complete.

            Example:
              clientele erase archive --email ann.lee@example.com --out archive
            """)

    @Argument(help: "The archive directory.")
    var archive: String

    @OptionGroup var person: PersonOptions

    @Option(help: "The new archive directory (may be ARCHIVE itself).")
    var out: String

    @Option(help: "The anonymizedAt time to record (RFC 3339; default: now).")
    var at: String?

    @Option(name: .customLong("report-json"), help: "Also write the new report.json here ('-' for standard output).")
    var reportJSON: String?

    @Flag(help: "No summary line.")
    var quiet = false

    @OptionGroup var operation: OperationOptions

    func validate() throws {
        if let at, Timestamp(at) == nil { throw ValidationError("--at: '\(at)' is not an RFC 3339 timestamp") }
    }

    func run() throws {
        let query = try person.query()
        var options = EraseOptions(archive: archive, query: query, outputDirectory: out)
        options.anonymizedAt = at.flatMap(Timestamp.init)
        let job = EraseJob(options: options)
        job.logger = operation.logger()
        let summary = try withLocks(writing: out, reading: [archive]) {
            let summary: EraseSummary
            do { summary = try job.run() } catch { throw ExitStatus.fail(error) }
            if let reportJSON { try copyReport(from: out, to: reportJSON) }
            return summary
        }
        if !quiet { printError(summary.line + " → " + out) }
    }
}
