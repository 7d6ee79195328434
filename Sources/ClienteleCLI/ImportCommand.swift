import ArgumentParser
import Clientele
import Logging

/// `clientele import`: the main job.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import customer exports into a normalized customer archive.",
        discussion: """
            Writes DIR/customers.jsonl (or .csv or .xml; .gz with --gzip), rejects.jsonl (and rejects.csv for CSV \
            inputs), crosswalk.csv and report.json. The archive is staged beside DIR and moved into place only \
            when complete: on any error nothing appears at DIR.

            Example:
              clientele import SampleData/customers.csv SampleData/guests.jsonl --out archive
            """)

    @OptionGroup var input: InputOptions

    @Option(help: "The archive directory to write.")
    var out: String

    @Option(help: "Format of the customers file: jsonl | csv | xml.")
    var format: ImportOptions.OutputFormat = .jsonl

    @Flag(help: "Gzip the customers file.")
    var gzip = false

    @Option(name: .customLong("report-json"), help: "Also write report.json here ('-' for standard output).")
    var reportJSON: String?

    @OptionGroup var operation: OperationOptions

    func run() throws {
        let options = try input.importOptions(output: out)
        let summary = try withLocks(writing: out) {
            let summary = try runImport(options, quiet: input.quiet, format: format, gzip: gzip, logger: operation.logger())
            if let reportJSON { try copyReport(from: out, to: reportJSON) }
            return summary
        }
        if !input.quiet { printError(summary.line + " → " + out) }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}

/// Runs an import with a progress line on a terminal, mapping a failure to its exit code.
func runImport(_ options: ImportOptions, quiet: Bool, format: ImportOptions.OutputFormat? = nil, gzip: Bool = false,
               logger: Logger? = nil) throws -> ImportSummary {
    var options = options
    if let format { options.format = format }
    options.gzip = options.gzip || gzip
    let job = ImportJob(options: options)
    if let logger { job.logger = logger }
    let progress = ProgressLine(enabled: !quiet)
    job.onProgress = { progress.update($0) }
    do {
        let summary = try job.run()
        progress.clear()
        return summary
    } catch {
        progress.clear()
        throw ExitStatus.fail(error)
    }
}
