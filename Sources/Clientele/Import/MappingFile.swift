import ClienteleIO
import ClienteleModel

extension MappingProfile {
    /// Reads the mapping file at `path` (`--mapping`).
    ///
    /// - Throws: ``ClienteleError/io(_:)`` when it cannot be read (66), `.usage` for a mistake in it,
    ///   naming the key (64).
    public static func load(path: String) throws(ClienteleError) -> MappingProfile {
        let bytes = try SmallFile.read(path, limit: 1 << 20, what: "--mapping")
        do { return try MappingProfile(json: bytes, file: path) } catch { throw .usage(error.description) }
    }
}

/// Whole small files the user names (a mapping, a key): read at once, with a size limit that catches
/// a wrong path pointing at a big file.
enum SmallFile {
    static func read(_ path: String, limit: Int, what: String) throws(ClienteleError) -> [UInt8] {
        var bytes: [UInt8] = []
        do {
            let source = try FileByteSource(path: path)
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = try source.read(into: &buffer)
                if n == 0 { break }
                bytes += buffer[0..<n]
                if bytes.count > limit { throw ClienteleError.usage("\(what) \(path): larger than \(limit >> 10) KiB; is it the right file?") }
            }
        } catch {
            throw ClienteleError(wrapping: error, file: path)
        }
        return bytes
    }
}
