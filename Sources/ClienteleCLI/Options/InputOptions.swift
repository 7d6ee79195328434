import ArgumentParser
import Clientele
import ClienteleFormats
import ClienteleModel

/// How inputs are read: shared by `import` and `validate`.
struct InputOptions: ParsableArguments {
    @Argument(help: "Input files (CSV, JSON Lines, a JSON array or XML, optionally gzipped); '-' is standard input.")
    var inputs: [String]

    @Option(name: .customLong("from"), help: ArgumentHelp(
        "The platform layout the inputs are in: \(ProfileCatalog.names.joined(separator: " | ")).", valueName: "profile"))
    var profile: String?

    @Option(help: ArgumentHelp("A mapping file describing a home-grown layout (see the README).", valueName: "file"))
    var mapping: String?

    @Option(help: "The source system recorded in 'sources' and used for refs (default: the profile's name).")
    var system: String?

    @Option(name: .customLong("on-duplicate"), help: "Several registered accounts with one email: reject | keep-latest.")
    var onDuplicate: ImportOptions.DuplicatePolicy = .reject

    @Option(name: .customLong("max-errors"), help: "Abort (exit 65) once more than N records are rejected.")
    var maxErrors: Int?

    @Option(name: .customLong("ref-key-file"), help: "A file whose bytes are the secret key customer refs are derived with.")
    var refKeyFile: String?

    @Option(help: "Encoding of CSV inputs: utf-8 | windows-1252 | latin1 (default: the profile's or mapping's, else utf-8).")
    var encoding: TextEncoding?

    @Option(help: "CSV delimiter (default: detected among , ; tab |). Write 'tab' for a tab.")
    var delimiter: String?

    @Option(name: .customLong("max-record-bytes"), help: "The largest record accepted, in bytes.")
    var maxRecordBytes: Int = 1 << 20

    @Option(help: ArgumentHelp("Validate XML inputs against this XML Schema as they stream; a record that fails it is rejected.",
                               valueName: "file"))
    var xsd: String?

    @Flag(help: "No progress line and no summary.")
    var quiet = false

    func validate() throws {
        if let profile, ProfileCatalog.profile(named: profile) == nil {
            throw ValidationError("unknown profile '\(profile)'; available: \(ProfileCatalog.names.joined(separator: ", "))")
        }
        if profile != nil, mapping != nil { throw ValidationError("--from and --mapping exclude each other: a mapping file is its own layout") }
        if let maxErrors, maxErrors < 0 { throw ValidationError("--max-errors must be 0 or more") }
        if maxRecordBytes < 1024 { throw ValidationError("--max-record-bytes must be at least 1024") }
        _ = try delimiterByte()
    }

    func delimiterByte() throws -> UInt8? {
        guard let delimiter else { return nil }
        if delimiter == "tab" || delimiter == "\\t" || delimiter == "\t" { return 9 }
        guard delimiter.utf8.count == 1, let b = delimiter.utf8.first, b != UInt8(ascii: "\""), b != 10, b != 13 else {
            throw ValidationError("--delimiter must be one character other than a quote or a line break")
        }
        return b
    }

    /// The library's options for these arguments.
    func importOptions(output: String?) throws -> ImportOptions {
        var options = ImportOptions(inputs: inputs, outputDirectory: output)
        if let mapping {
            let loaded: MappingProfile
            do { loaded = try MappingProfile.load(path: mapping) } catch { throw ExitStatus.fail(error) }
            options.customerProfile = loaded
            options.profile = "mapping"
            options.mappingFile = mapping
            options.system = system ?? loaded.name
        } else {
            let chosen = ProfileCatalog.profile(named: profile ?? "canonical")!
            options.customerProfile = chosen
            options.profile = chosen.name
        }
        if mapping == nil { options.system = system }
        options.onDuplicate = onDuplicate
        options.maxErrors = maxErrors
        options.encoding = encoding ?? options.customerProfile?.input.encoding ?? .utf8
        options.delimiter = try delimiterByte()
        options.maxRecordBytes = maxRecordBytes
        if let xsd {
            // Compiled here too, so a bad schema is a usage error before any input is read.
            do { _ = try XMLSchema(path: xsd) } catch {
                if case .io = error { throw ExitStatus.fail(ClienteleError.format(error)) }
                throw ExitStatus.fail(ClienteleError.usage("--xsd \(error)"))
            }
            options.xsdPath = xsd
        }
        if let refKeyFile {
            do { options.refKey = try CustomerRefKey.load(fromFile: refKeyFile) } catch { throw ExitStatus.fail(error) }
        }
        return options
    }
}

extension ImportOptions.DuplicatePolicy: ExpressibleByArgument {}
extension ImportOptions.OutputFormat: ExpressibleByArgument {}
extension TextEncoding: ExpressibleByArgument {}
extension GenerateJob.Format: ExpressibleByArgument {}
