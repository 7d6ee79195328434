import ClienteleFormats
import ClienteleIO

/// Why a run stopped. Records with bad data are not errors (they are rejected and the run goes
/// on); these end the run, and the CLI maps each to its exit code (SPEC §4).
public enum ClienteleError: Error, CustomStringConvertible {
    /// An input's structure is broken beyond one record, or its gzip stream is corrupt (65).
    case format(FormatError)
    /// An input is missing or unreadable (66); an output cannot be created or written (73); a
    /// corrupt gzip stream (65).
    case io(IOError)
    /// More records were rejected than `--max-errors` allows (65).
    case tooManyRejects(limit: Int, file: String, line: Int)
    /// An input is not in a format Clientele reads (65).
    case unsupportedInput(file: String, detail: String)
    /// The options do not make sense together (64).
    case usage(String)
    /// The output directory exists and is not an archive Clientele may replace (73).
    case outputInUse(path: String, detail: String)
    /// Another run holds the advisory lock of this path (`.NAME.lock` beside it): it is writing
    /// that output, or reading that archive (75, EX_TEMPFAIL: try again later).
    case locked(path: String, lockFile: String)

    public var description: String {
        switch self {
        case let .format(e): return e.description
        case let .io(e): return e.description
        case let .tooManyRejects(limit, file, line):
            return "\(file):\(line): more than \(limit) records rejected (--max-errors); nothing was written"
        case let .unsupportedInput(file, detail): return "\(file): \(detail)"
        case let .usage(message): return message
        case let .outputInUse(path, detail): return "\(path): \(detail)"
        case let .locked(path, lockFile):
            return "\(path): another clientele run is using it (\(lockFile) is locked); nothing was done, try again later"
        }
    }

    /// The exit code of SPEC §4.
    public var exitCode: Int32 {
        switch self {
        case .format(.io(let e)), .io(let e):
            switch e {
            case .cannotOpen, .readFailed: return 66
            case .cannotCreate, .writeFailed: return 73
            case .corruptGzip, .truncatedGzip, .decompressionLimitExceeded: return 65
            }
        case .format, .tooManyRejects, .unsupportedInput: return 65
        case .usage: return 64
        case .outputInUse: return 73
        case .locked: return 75
        }
    }
}

extension ClienteleError {
    /// An error thrown below the library, as the library's own: I/O and format errors keep their
    /// meaning (and exit codes); anything else, which those layers do not throw, is reported
    /// against `file`. One mapping for every `catch` that wraps several typed throwers.
    public init(wrapping error: any Error, file: String) {
        switch error {
        case let e as ClienteleError: self = e
        case let e as IOError: self = .io(e)
        case let e as FormatError: self = .format(e)
        default: self = .unsupportedInput(file: file, detail: "\(error)")
        }
    }
}
