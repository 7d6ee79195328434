import ClienteleFormats
import ClienteleIO

/// A temporary file of JSON lines: the pipeline's way of keeping records out of memory (SPEC §3:
/// memory must not grow with the number of records beyond a small index).
final class SpillFile {
    let path: String
    private var sink: FileByteSink?
    private var writer = JSONTextWriter(capacity: 16 * 1024)
    private(set) var count = 0
    /// The longest line read back: a customer with many folded guests outgrows one input record.
    /// (The reader's buffer is sized from it, so it must not be huge.)
    static let maxLineBytes = 16 << 20

    init(path: String) {
        self.path = path
    }

    func append(_ value: JSONValue) throws(ClienteleError) {
        do {
            if sink == nil { sink = try FileByteSink(path: path) }
            writer.write(value)
            writer.writeRaw("\n")
            count += 1
            if writer.bytes.count >= 8 * 1024 { try flushBuffer() }
        } catch {
            throw .io(error)
        }
    }

    private func flushBuffer() throws(IOError) {
        guard let sink, !writer.bytes.isEmpty else { return }
        try sink.write(writer.bytes)
        writer.removeAll()
    }

    /// Flushes and closes the file, so it can be read.
    func finishWriting() throws(ClienteleError) {
        do {
            try flushBuffer()
            try sink?.close()
            sink = nil
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
        } catch let error as ClienteleError {
            throw error
        } catch let error as FormatError {
            throw .format(error)
        } catch let error as IOError {
            throw .io(error)
        } catch {
            throw .usage("\(error)")
        }
    }

    func remove() {
        FileSystem.removeRecursively(path)
    }
}
