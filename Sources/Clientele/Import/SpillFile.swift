import ClienteleFormats
import ClienteleIO

/// A temporary file of JSON lines: the pipeline's way of keeping records out of memory (SPEC §3:
/// memory must not grow with the number of records beyond a small index).
final class SpillFile {
    let path: String
    private var sink: FileByteSink?
    /// The most a file buffers before it writes (its file writes straight through). The buffer never
    /// grows past it: a frame that does not fit flushes first, and a larger one is written on its own.
    let bufferBytes: Int
    /// The buffer of a file created without a budget.
    static let flushBytes = 8 * 1024
    private var writer = JSONTextWriter(capacity: 0)
    private(set) var count = 0
    /// The longest line read back: a customer with many folded guests outgrows one input record.
    /// (The reader's buffer is sized from it, so it must not be huge.)
    static let maxLineBytes = 16 << 20

    init(path: String, bufferBytes: Int = SpillFile.flushBytes) {
        self.path = path
        self.bufferBytes = max(64, bufferBytes)
    }

    /// `count` spill files whose buffers share `budget` bytes (each between 2 and 16 KiB).
    ///
    /// A run has hundreds of partitions at a million records and thousands at ten million: with a
    /// fixed buffer each, their buffers grew with the input (2,469 partitions of 16 KiB were 40 MB),
    /// and memory was not flat in N. With a shared budget they take the same memory at any N; a
    /// bigger run makes more, smaller writes instead.
    ///
    /// ```swift
    /// let partitions = SpillFile.set(count: 2469, budget: 6 << 20) { "work/p\($0).spill" }   // 2,548 bytes each
    /// ```
    static func set(count: Int, budget: Int, path: (Int) -> String) -> [SpillFile] {
        let each = min(16 << 10, max(2 << 10, budget / max(1, count)))
        return (0..<count).map { SpillFile(path: path($0), bufferBytes: each) }
    }

    func append(_ value: JSONValue) throws(ClienteleError) {
        do {
            if sink == nil { sink = try FileByteSink(path: path, bufferCapacity: 0) }
            writer.write(value)
            writer.writeRaw("\n")
            count += 1
            if writer.count >= bufferBytes { try flushBuffer() }
        } catch {
            throw .io(error)
        }
    }

    private func flushBuffer() throws(IOError) {
        guard let sink, !writer.isEmpty else { return }
        try sink.write(writer)
        if writer.capacity > 2 * bufferBytes {
            writer = JSONTextWriter(capacity: 0)  // a long JSON line grew it: give that back
        } else {
            writer.removeAll()
        }
    }

    /// Appends one binary frame (see ``SpillEncoder``): a 4-byte little-endian length, then the bytes.
    func appendFrame(_ frame: [UInt8]) throws(ClienteleError) {
        // Array.withUnsafeBytes rethrows untyped errors only: the typed error is carried out by hand.
        var failure: ClienteleError?
        frame.withUnsafeBytes { bytes in
            do throws(ClienteleError) { try appendFrame(bytes) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Appends one binary frame (see ``SpillEncoder``): a 4-byte little-endian length, then the bytes.
    func appendFrame(_ frame: UnsafeRawBufferPointer) throws(ClienteleError) {
        do {
            if sink == nil { sink = try FileByteSink(path: path, bufferCapacity: 0) }
            if writer.count + 4 + frame.count > bufferBytes { try flushBuffer() }
            writer.buffer.reserveCapacity(bufferBytes)
            let n = UInt32(frame.count)
            withUnsafeBytes(of: n.littleEndian) { writer.buffer.append(contentsOf: $0) }
            if 4 + frame.count > bufferBytes {
                try flushBuffer()
                try sink!.write(frame)
            } else {
                writer.buffer.append(contentsOf: frame)
            }
            count += 1
        } catch {
            throw .io(error)
        }
    }

    /// Reads every frame written with ``appendFrame(_:)`` back, in order.
    ///
    /// The file is read straight into one buffer that frames are cut from; a frame cut short at its
    /// end moves to the front before the next read (reading into a second buffer first and
    /// appending it to the pending bytes copied every byte once more).
    func forEachFrame(_ body: ([UInt8]) throws(ClienteleError) -> Void) throws(ClienteleError) {
        guard count > 0 else { return }
        let source: FileByteSource
        do { source = try FileByteSource(path: path) } catch { throw .io(error) }
        var buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 8)
        defer { buffer.deallocate() }
        var filled = 0
        var start = 0
        while true {
            if start > 0 {
                // What is left is less than one frame: moved to the front, it leaves room to read.
                if filled > start { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: filled - start) }
                filled -= start
                start = 0
            }
            if filled == buffer.count {
                // One frame is larger than the buffer: grow it to hold the frame.
                let bigger = UnsafeMutableRawBufferPointer.allocate(byteCount: buffer.count * 2, alignment: 8)
                bigger.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: filled)
                buffer.deallocate()
                buffer = bigger
            }
            let n: Int
            do { n = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...])) } catch { throw .io(error) }
            if n == 0 { break }
            filled += n
            while filled - start >= 4 {
                let length = Int(buffer[start]) | Int(buffer[start + 1]) << 8 | Int(buffer[start + 2]) << 16 | Int(buffer[start + 3]) << 24
                guard filled - start - 4 >= length else { break }
                try body(Array(UnsafeRawBufferPointer(rebasing: buffer[(start + 4)..<(start + 4 + length)])))
                start += 4 + length
            }
        }
    }

    /// Flushes and closes the file, so it can be read.
    func finishWriting() throws(ClienteleError) {
        do {
            try flushBuffer()
            try sink?.close()
            sink = nil
            writer = JSONTextWriter(capacity: 0)
        } catch {
            throw .io(error)
        }
    }

    /// Reads every line back in order.
    func forEach(_ body: (JSONValue) throws(ClienteleError) -> Void) throws(ClienteleError) {
        guard count > 0 else { return }
        do {
            let reader = try JSONRecordReader(source: try FileByteSource(path: path), maxRecordBytes: SpillFile.maxLineBytes, maxDepth: 512)
            while let record = try reader.next() {
                try body(record.value)
            }
        } catch {
            throw ClienteleError(wrapping: error, file: path)
        }
    }

    /// Reads the lines back one at a time, in order (to merge spills without holding one whole).
    func lineCursor() throws(ClienteleError) -> LineCursor {
        guard count > 0 else { return LineCursor(reader: nil, path: path) }
        do {
            return LineCursor(reader: try JSONRecordReader(source: try FileByteSource(path: path), maxRecordBytes: SpillFile.maxLineBytes,
                                                           maxDepth: 512), path: path)
        } catch {
            throw ClienteleError(wrapping: error, file: path)
        }
    }

    /// A spill file's lines, pulled one at a time.
    struct LineCursor {
        let reader: JSONRecordReader?
        let path: String

        mutating func next() throws(ClienteleError) -> JSONValue? {
            do { return try reader?.next()?.value } catch { throw ClienteleError(wrapping: error, file: path) }
        }
    }

    func remove() {
        FileSystem.removeRecursively(path)
    }
}
