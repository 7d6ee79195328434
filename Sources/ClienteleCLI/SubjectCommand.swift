import ArgumentParser
import Clientele

/// `clientele subject`: an access request, one document with everything held about one person.
struct SubjectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "subject",
        abstract: "Export everything an archive holds about one person (access request).",
        discussion: """
            Writes one document with every customer whose normalized email (or whose ref) matches, with all \
            fields, notes and sources (guests merged into a customer are among its sources), their crosswalk \
            rows, and the person's rejected records, and nothing about anyone else. The archive is streamed. \
            The file is created with mode 0600 and appears only when complete. A request that matches no one \
            writes a document with empty lists and exits 0.

            Example:
              clientele subject archive --email ann.lee@example.com --out ann.json
            """)

    @Argument(help: "The archive directory (or a customers file).")
    var archive: String

    @OptionGroup var person: PersonOptions

    @Option(help: "The document to write ('-' for standard output).")
    var out: String

    @Option(help: "json | xml")
    var format: SubjectOptions.Format = .json

    @Flag(help: "No summary line.")
    var quiet = false

    @OptionGroup var operation: OperationOptions

    func run() throws {
        let query = try person.query()
        var options = SubjectOptions(archive: archive, query: query, output: out)
        options.format = format
        let job = SubjectJob(options: options)
        job.logger = operation.logger()
        let summary = try withLocks(writing: out, reading: [archive]) {
            do { return try job.run() } catch { throw ExitStatus.fail(error) }
        }
        if !quiet { printError(summary.line + (out == "-" ? "" : " → " + out)) }
    }
}

extension SubjectOptions.Format: ExpressibleByArgument {}
