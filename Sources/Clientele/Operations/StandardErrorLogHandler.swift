#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Logging

/// A swift-log handler that writes one line per event to standard error (or to a closure, in
/// tests): `2025-03-01T02:00:07Z info clientele: import finished read=27 written=9`.
///
/// Clientele never passes record values to its logger: messages and metadata carry counts,
/// positions (file, line), refs and issue codes only, so password hashes, plaintext passwords
/// and note text cannot reach a log (SPEC §1). As a second line of defence, metadata whose key
/// names such a value (``LogRedaction``) is written as `<redacted>`.
///
/// ```swift
/// let logger = Logger(label: "clientele") { StandardErrorLogHandler(label: $0, level: .info) }
/// logger.info("import finished", metadata: ["read": "27"])
/// ```
public struct StandardErrorLogHandler: LogHandler {
    public var logLevel: Logger.Level
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let output: @Sendable (String) -> Void

    /// - Parameters:
    ///   - output: where finished lines go; by default one write(2) to standard error per line,
    ///     so lines from several processes of a cron job do not interleave.
    public init(label: String, level: Logger.Level, output: (@Sendable (String) -> Void)? = nil) {
        self.label = label
        self.logLevel = level
        self.output = output ?? StandardErrorLogHandler.writeToStandardError
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { $1 } }
        if let given = event.metadata { all.merge(given) { $1 } }
        var line = UTCTime.text(of: time(nil)) + " " + event.level.rawValue + " " + label + ": " + event.message.description
        for key in all.keys.sorted() {
            line += " " + key + "=" + (LogRedaction.isSensitive(key) ? LogRedaction.placeholder : Self.render(all[key]!))
        }
        output(line + "\n")
    }

    private static func render(_ value: Logger.Metadata.Value) -> String {
        let text = value.description
        // Values with spaces are quoted so a line stays parseable as key=value pairs.
        return text.contains(" ") || text.isEmpty ? "\"" + text + "\"" : text
    }

    private static let writeToStandardError: @Sendable (String) -> Void = { line in
        var text = line
        text.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}

/// The metadata keys whose values are never written to a log.
public enum LogRedaction {
    public static let placeholder = "<redacted>"

    /// Whether a metadata key names a value that must not be logged: anything about passwords,
    /// hashes or notes, and raw record content.
    public static func isSensitive(_ key: String) -> Bool {
        let k = key.lowercased()
        return k.contains("password") || k.contains("hash") || k.contains("note") || k == "text" || k.contains("raw")
            || k.contains("secret") || k.contains("key")
    }
}
