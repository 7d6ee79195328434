import ArgumentParser
import Clientele
import ClienteleFormats

/// `clientele diff`: the nightly delta between two archives.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Write the delta between two archives as JSON Lines (nightly jobs).",
        discussion: """
            One line per customer that differs, ordered by ref: {"op":"add","ref":…,"customer":{…}}, \
            {"op":"change","ref":…,"fields":[…],"customer":{…}} or {"op":"remove","ref":…}. The customer is \
            the new record. Provenance (sources[].file and .line) is not a change. Both customers files are \
            streamed in one merge pass (they are sorted by ref; a file that is not is an error, exit 65), so \
            archives of any size fit in memory. The delta is created with mode 0600 and appears only when complete.

            Example:
              clientele diff archive.yesterday archive --out delta.jsonl
            """)

    @Argument(help: "The older archive (directory or customers file).")
    var old: String

    @Argument(help: "The newer archive (directory or customers file).")
    var new: String

    @Option(help: "The delta file to write ('-' for standard output).")
    var out: String

    @Option(name: .customLong("report-json"), help: "Also write the counts as JSON here ('-' for standard output).")
    var reportJSON: String?

    @Flag(help: "No summary line.")
    var quiet = false

    @OptionGroup var operation: OperationOptions

    func run() throws {
        let job = DiffJob(options: DiffOptions(old: old, new: new, output: out))
        job.logger = operation.logger()
        let summary = try withLocks(writing: out, reading: [old, new]) {
            do { return try job.run() } catch { throw ExitStatus.fail(error) }
        }
        if let reportJSON {
            var w = JSONTextWriter()
            w.write(summary.json)
            try writeReport(String(decoding: w.bytes, as: UTF8.self) + "\n", to: reportJSON)
        }
        if !quiet { printError(summary.line + (out == "-" ? "" : " → " + out)) }
    }
}
