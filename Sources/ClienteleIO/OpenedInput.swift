/// An input opened for the readers, its compression and format detected from its content.
///
/// Gzip is recognised by its magic bytes (1f 8b), never by the file name, and the format by the
/// first non-blank byte after an optional UTF-8 BOM (see ``SniffedFormat``). The bytes read
/// while sniffing are replayed, so `source` yields the decompressed input from its very first byte.
///
/// ```swift
/// let input = try OpenedInput.open(path: "export.dat")    // or "-" for standard input
/// switch input.format {
/// case .csv: …  // read input.source; show progress from input.file.bytesRead / input.file.fileSize
/// }
/// ```
public struct OpenedInput {
    /// The decompressed bytes, starting at the very first byte.
    public let source: ByteSource
    /// Whether the input was gzip-compressed.
    public let isGzip: Bool
    /// The format its first non-blank byte shows.
    public let format: SniffedFormat
    /// The file itself, for raw `bytesRead` and `fileSize` (progress).
    public let file: FileByteSource

    /// How far sniffing looks for a non-blank byte before it settles on CSV.
    static let sniffLimit = 64 << 10

    /// Opens `path` (`-` for standard input) and detects gzip and the format.
    ///
    /// - Throws: ``IOError/cannotOpen(path:errno:)``, ``IOError/readFailed(path:errno:)``, and the
    ///   gzip errors of ``GzipByteSource`` met while reading the first bytes.
    public static func open(path: String, limit: DecompressionLimit = .default) throws(IOError) -> OpenedInput {
        let file = try FileByteSource(path: path)
        let magic = try readPrefix(of: file, count: 2)
        let isGzip = magic.count == 2 && magic[0] == 0x1F && magic[1] == 0x8B
        var bytes: ByteSource = ReplayingByteSource(prefix: magic, then: file)
        if isGzip {
            bytes = try GzipByteSource(wrapping: bytes, limit: limit)
        }
        let (format, sniffed) = try sniff(bytes)
        return OpenedInput(
            source: ReplayingByteSource(prefix: sniffed, then: bytes), isGzip: isGzip, format: format, file: file)
    }

    /// Reads until `count` bytes are in hand or the source ends (pipes may deliver less per read).
    private static func readPrefix(of source: ByteSource, count: Int) throws(IOError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        var failure: IOError?
        bytes.withUnsafeMutableBytes { buffer in
            do throws(IOError) {
                while filled < count {
                    let n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                    if n == 0 { break }
                    filled += n
                }
            } catch { failure = error }
        }
        if let failure { throw failure }
        bytes.removeSubrange(filled...)
        return bytes
    }

    /// Reads from `source` until a non-blank byte decides the format, the input ends, or
    /// ``sniffLimit`` bytes were blank; returns the format and the bytes read.
    private static func sniff(_ source: ByteSource) throws(IOError) -> (SniffedFormat, [UInt8]) {
        var bytes: [UInt8] = []
        while bytes.count < sniffLimit {
            let chunk = try readPrefix(of: source, count: 4096)
            bytes.append(contentsOf: chunk)
            if let format = bytes.withUnsafeBytes({ SniffedFormat.detect($0) }) { return (format, bytes) }
            // A short chunk means the input ended: nothing but blanks (or a BOM) in it.
            if chunk.count < 4096 { return (.empty, bytes) }
        }
        return (.csv, bytes)
    }
}
