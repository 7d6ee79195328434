import ClienteleIO
import ClienteleFormats
import ClienteleModel

/// Everything `clientele import` (and `validate`) is told.
public struct ImportOptions: Sendable {
    /// How several registered accounts with one email are settled (SPEC §3).
    public enum DuplicatePolicy: String, Sendable, CaseIterable {
        /// The first in input order is kept; the others are rejected with `email.duplicate`.
        case reject
        /// The one with the newest `updatedAt` is kept.
        case keepLatest = "keep-latest"
    }

    /// The format of the customers file.
    public enum OutputFormat: String, Sendable, CaseIterable {
        case jsonl
        case csv
        case xml
    }

    /// Input paths; `-` is standard input.
    public var inputs: [String]
    /// The archive directory; `nil` for `validate` (check, write nothing).
    public var outputDirectory: String?
    public var format: OutputFormat = .jsonl
    public var gzip = false
    /// zlib level for `--gzip`.
    public var gzipLevel: Int32 = 6
    public var onDuplicate: DuplicatePolicy = .reject
    /// Abort (exit 65) once more than this many records are rejected; `nil` is no limit.
    public var maxErrors: Int?
    /// The source system named in `sources` and used for refs; by default the profile's name.
    public var system: String?
    /// The profile the inputs are read with (its name, for the report).
    public var profile: String = "canonical"
    /// The profile or mapping that reads the inputs; `nil` is the canonical layout, read directly.
    public var customerProfile: (any CustomerProfile)?
    /// The `--mapping` file the profile was read from, for the report.
    public var mappingFile: String?
    public var refKey: CustomerRefKey = .builtIn
    public var encoding: TextEncoding = .utf8
    public var delimiter: UInt8?
    public var maxRecordBytes: Int = 1 << 20
    /// An XML Schema that XML inputs are validated against as they stream (`--xsd`): a record
    /// that fails it is rejected (`record.malformed`, the schema's message); a document whose
    /// root fails it ends the run (exit 65). Other inputs are read as usual.
    public var xsdPath: String?
    /// Where temporary spill files go when there is no output directory (validate).
    public var temporaryDirectory: String = "/tmp"

    public init(inputs: [String], outputDirectory: String?) {
        self.inputs = inputs
        self.outputDirectory = outputDirectory
    }

    /// The system name in effect.
    public var effectiveSystem: String { system ?? profile }
}

extension CustomerRefKey {
    /// The key in a `--ref-key-file`: the file's bytes, less trailing line breaks.
    ///
    /// - Throws: ``ClienteleError/io(_:)`` when it cannot be read; `.usage` when it is empty.
    public static func load(fromFile path: String) throws(ClienteleError) -> CustomerRefKey {
        var bytes = try SmallFile.read(path, limit: 1 << 20, what: "--ref-key-file")
        while bytes.last == 10 || bytes.last == 13 { bytes.removeLast() }
        guard !bytes.isEmpty else { throw .usage("--ref-key-file \(path) is empty") }
        return CustomerRefKey(bytes: bytes)
    }
}
