import ArgumentParser
import Clientele
import ClienteleModel

/// `clientele export`: an archive's customers in a platform's own import layout.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write an archive's customers in a platform's import layout.",
        discussion: """
            Streams the archive and writes one file in the layout the platform imports: \
            \(ProfileCatalog.names.joined(separator: ", ")). CSV cells a spreadsheet would run as a formula get a \
            leading ' . The file is created with mode 0600 and appears only when complete. The README lists, per \
            platform, the fields its layout cannot carry.

            Example:
              clientele export archive --to magento2 --out customer_composite.csv
            """)

    @Argument(help: "The archive directory (or a customers file).")
    var archive: String

    @Option(name: .customLong("to"), help: ArgumentHelp("The platform layout to write.", valueName: "profile"))
    var profile: String

    @Option(help: ArgumentHelp("A mapping file: write its columns (the layout --mapping reads).", valueName: "file"))
    var mapping: String?

    @Option(help: "The file to write ('-' for standard output).")
    var out: String

    @Flag(help: "Compress the file with gzip.")
    var gzip = false

    @Flag(help: "No summary line.")
    var quiet = false

    @OptionGroup var operation: OperationOptions

    func validate() throws {
        guard ProfileCatalog.profile(named: profile) != nil || profile == "mapping" else {
            throw ValidationError("unknown profile '\(profile)'; available: \(ProfileCatalog.names.joined(separator: ", ")), mapping (with --mapping)")
        }
        if profile == "mapping", mapping == nil { throw ValidationError("--to mapping needs --mapping FILE") }
        if mapping != nil, profile != "mapping" { throw ValidationError("--mapping goes with --to mapping") }
    }

    func run() throws {
        let chosen: any CustomerProfile
        if let mapping {
            do { chosen = try MappingProfile.load(path: mapping) } catch { throw ExitStatus.fail(error) }
        } else {
            chosen = ProfileCatalog.profile(named: profile)!
        }
        var options = ExportOptions(archive: archive, profile: chosen, output: out)
        options.gzip = gzip
        let job = ExportJob(options: options)
        job.logger = operation.logger()
        let summary = try withLocks(writing: out, reading: [archive]) {
            do { return try job.run() } catch { throw ExitStatus.fail(error) }
        }
        if !quiet { printError(summary.line + (out == "-" ? "" : " → " + out)) }
    }
}
