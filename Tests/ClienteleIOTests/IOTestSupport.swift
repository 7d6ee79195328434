import ClienteleTestSupport
import Foundation
import Testing

@testable import ClienteleIO

/// A fresh directory under /tmp for one test; `remove()` it in a `defer`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/clientele-io-test-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!) }) else {
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        path = String(cString: made)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func write(_ bytes: [UInt8], to name: String) throws -> String {
        let target = file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: target))
        return target
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Reads `source` to its end with reads of `bufferSize` bytes.
func readAll(_ source: ByteSource, bufferSize: Int = 64 << 10) throws(IOError) -> [UInt8] {
    var result: [UInt8] = []
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
    defer { buffer.deallocate() }
    while true {
        let n = try source.read(into: buffer)
        if n == 0 { return result }
        result.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<n]))
    }
}

/// Compresses `bytes` with ``GzipByteSink`` into memory, written in pieces of `pieceSize`.
func gzip(_ bytes: [UInt8], level: Int32 = 6, pieceSize: Int = 100_000) throws(IOError) -> [UInt8] {
    let memory = MemoryByteSink()
    let sink = try GzipByteSink(wrapping: memory, level: level)
    var failure: IOError?
    bytes.withUnsafeBytes { raw in
        var offset = 0
        do throws(IOError) {
            while offset < raw.count {
                let end = min(raw.count, offset + pieceSize)
                try sink.write(UnsafeRawBufferPointer(rebasing: raw[offset..<end]))
                offset = end
            }
        } catch { failure = error }
    }
    if let failure { throw failure }
    try sink.close()
    #expect(memory.isClosed)
    return memory.bytes
}

/// Inflates gzip bytes held in memory.
func gunzip(
    _ bytes: [UInt8], chunkSizes: [Int] = [], bufferSize: Int = 64 << 10, limit: DecompressionLimit = .default
) throws(IOError) -> [UInt8] {
    let source = try GzipByteSource(wrapping: ChunkedByteSource(bytes, chunkSizes: chunkSizes), limit: limit)
    return try readAll(source, bufferSize: bufferSize)
}

/// Random bytes from a repeatable generator.
func randomBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var rng = SplitMix64(seed: seed)
    var bytes = [UInt8](repeating: 0, count: (count + 7) / 8 * 8)
    bytes.withUnsafeMutableBytes { raw in
        let words = raw.bindMemory(to: UInt64.self)
        for i in words.indices { words[i] = rng.next() }
    }
    bytes.removeLast(bytes.count - count)
    return bytes
}

/// Text that compresses well but is not trivial: CSV-like lines with counters.
func repetitiveText(lines: Int) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(lines * 48)
    for i in 0..<lines {
        bytes.append(contentsOf: "\(i),Customer \(i % 977),user\(i)@example.com,DE,\(i % 13 == 0)\n".utf8)
    }
    return bytes
}

/// Runs a command-line tool, feeding `input` and returning its standard output.
func run(_ executable: String, _ arguments: [String], input: [UInt8] = []) throws -> (status: Int32, output: [UInt8]) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let stdinPipe = Pipe()
    let stdoutPipe = Pipe()
    process.standardInput = stdinPipe
    process.standardOutput = stdoutPipe
    try process.run()
    // Write on another thread so a large output cannot block the tool before it reads everything.
    let writer = Thread {
        stdinPipe.fileHandleForWriting.write(Data(input))
        try? stdinPipe.fileHandleForWriting.close()
    }
    writer.start()
    let output = stdoutPipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, Array(output))
}

/// The permission bits of `path`.
func permissions(of path: String) -> mode_t {
    var info = stat()
    guard stat(path, &info) == 0 else { return 0xFFFF }
    return info.st_mode & 0o7777
}
