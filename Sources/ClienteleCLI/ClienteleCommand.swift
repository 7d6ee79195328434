import ArgumentParser

/// The `clientele` command: moves e-commerce customer accounts between systems in bulk.
@main
struct ClienteleCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "clientele",
        abstract: "Move e-commerce customer accounts between systems in bulk.",
        discussion: """
            Reads CSV, JSON and XML exports (optionally gzipped), validates and normalizes every record, enforces one \
            registered account per email, folds guests that share an email into one customer, and writes a \
            normalized customer archive with an exact account of every input record.

            Exit codes: 0 all written or merged; 1 some records rejected; 64 usage; 65 data error (run aborted); \
            66 input missing or unreadable; 73 output cannot be created; 75 another run holds the lock of --out \
            (or of an archive being read): nothing was done, try again later.
            """,
        version: "0.1.0",
        subcommands: [ImportCommand.self, ValidateCommand.self, ExportCommand.self, GenerateCommand.self, SubjectCommand.self, EraseCommand.self,
                      DiffCommand.self, ScanCommand.self])

    static func main() {
        ProcessSignals.ignoreWriteSignals()
        main(nil)
    }
}
