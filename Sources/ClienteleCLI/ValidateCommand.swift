import ArgumentParser
import Clientele

/// `clientele validate`: every check of `import`, nothing written.
struct ValidateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check inputs as import would, and write nothing.",
        discussion: "Exits 0 when every record would be written or merged, 1 when some would be rejected.")

    @OptionGroup var input: InputOptions

    @OptionGroup var operation: OperationOptions

    func run() throws {
        let summary = try runImport(try input.importOptions(output: nil), quiet: input.quiet, logger: operation.logger())
        if !input.quiet { printError(summary.line + " (validate: nothing written)") }
        if summary.exitCode != 0 { throw ExitCode(summary.exitCode) }
    }
}
