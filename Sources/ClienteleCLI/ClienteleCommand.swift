import ArgumentParser

/// The `clientele` command: moves e-commerce customer accounts between systems in bulk.
@main
struct ClienteleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clientele",
        abstract: "Move e-commerce customer accounts between systems in bulk.",
        discussion: """
            Reads CSV and JSON exports (optionally gzipped), validates and normalizes every record, enforces one \
            registered account per email, folds guests that share an email into one customer, and writes a \
            normalized customer archive with an exact account of every input record.

            Exit codes: 0 all written or merged; 1 some records rejected; 64 usage; 65 data error (run aborted); \
            66 input missing or unreadable; 73 output cannot be created.
            """,
        version: "0.1.0",
        subcommands: [ImportCommand.self, ValidateCommand.self, GenerateCommand.self])

    static func main() {
        ProcessSignals.ignoreWriteSignals()
        main(nil)
    }
}
