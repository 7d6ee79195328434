#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import ClienteleIO

/// The files of an archive to read: its directory (SPEC §4) and the customers file in it, found by
/// name (`customers.jsonl`, `.csv` or `.xml`, each optionally `.gz`). A customers file may also be
/// named directly, for commands that need no other file of the archive (`diff`).
///
/// ```swift
/// let archive = try ArchiveLocation(path: "archive")
/// archive.customersPath        // "archive/customers.jsonl.gz"
/// archive.crosswalkPath        // "archive/crosswalk.csv"
/// ```
public struct ArchiveLocation: Sendable {
    /// The archive directory, or `nil` when a customers file was named directly.
    public let directory: String?
    /// The customers file.
    public let customersPath: String
    /// Its name (`customers.jsonl.gz`), kept when a command writes a new archive from this one.
    public let customersFileName: String

    /// The names a customers file can have, in the order they are looked for.
    public static let customersFileNames: [String] = ["jsonl", "csv", "xml"].flatMap { ["customers." + $0, "customers." + $0 + ".gz"] }

    /// Finds the customers file of the archive directory `path`, or takes `path` itself when it is
    /// a file.
    ///
    /// - Throws: ``ClienteleError/io(_:)`` with `.cannotOpen` (exit 66) when `path` is missing or
    ///   the directory holds no customers file; ``ClienteleError/unsupportedInput(file:detail:)``
    ///   (exit 65) when it holds more than one.
    public init(path: String) throws(ClienteleError) {
        var p = path
        while p.count > 1 && p.hasSuffix("/") { p.removeLast() }
        guard FileSystem.exists(p) else { throw .io(.cannotOpen(path: path, errno: ENOENT)) }
        guard FileSystem.isDirectory(p) else {
            directory = nil
            customersPath = p
            customersFileName = String(p.split(separator: "/").last ?? Substring(p))
            return
        }
        let found = ArchiveLocation.customersFileNames.filter { FileSystem.exists(p + "/" + $0) }
        guard let name = found.first else {
            throw .io(.cannotOpen(path: p + "/customers.jsonl", errno: ENOENT))
        }
        guard found.count == 1 else {
            throw .unsupportedInput(file: p, detail: "holds several customers files (\(found.joined(separator: ", "))); which one is the archive?")
        }
        directory = p
        customersPath = p + "/" + name
        customersFileName = name
    }

    /// A file of the archive directory, when there is a directory and the file exists.
    public func file(_ name: String) -> String? {
        guard let directory, FileSystem.exists(directory + "/" + name) else { return nil }
        return directory + "/" + name
    }

    /// `crosswalk.csv`, when present.
    public var crosswalkPath: String? { file(ArchiveLayout.crosswalk) }
    /// `rejects.jsonl`, when present.
    public var rejectsPath: String? { file(ArchiveLayout.rejectsJSONL) }
    /// `rejects.csv`, when present.
    public var rejectsCSVPath: String? { file(ArchiveLayout.rejectsCSV) }
    /// `report.json`, when present.
    public var reportPath: String? { file(ArchiveLayout.report) }

    /// Whether the customers file is gzipped, by its name (the reader trusts the content instead).
    public var isGzipName: Bool { customersFileName.hasSuffix(".gz") }
}
