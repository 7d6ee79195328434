import ArgumentParser
import Clientele

/// `clientele generate`: realistic, messy test data, the same for the same seed.
struct GenerateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Generate realistic, messy customer exports (deterministic by --seed).",
        discussion: """
            Guests sharing emails, case and space variants, duplicate registered emails, invalid rows, \
            non-ASCII names and embedded newlines; two addresses per record.
            """)

    @Option(help: "How many records.") var count: Int
    @Option(help: "csv | jsonl | xml") var format: GenerateJob.Format
    @Option(help: "The random seed.") var seed: UInt64
    @Option(help: "The file to write ('-' for standard output).") var out: String
    @Flag(help: "Gzip the output.") var gzip = false

    func validate() throws {
        if count < 0 { throw ValidationError("--count must be 0 or more") }
    }

    func run() throws {
        do {
            try GenerateJob(count: count, format: format, seed: seed, output: out, gzip: gzip).run()
        } catch {
            throw ExitStatus.fail(error)
        }
    }
}
