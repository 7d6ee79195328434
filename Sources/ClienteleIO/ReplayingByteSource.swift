/// Hands out bytes already read from a source (while sniffing), then the rest of that source.
///
/// This is how ``OpenedInput`` peeks at an input without losing a byte of it.
final class ReplayingByteSource: ByteSource {
    let name: String
    private let prefix: [UInt8]
    private var offset = 0
    private let base: ByteSource

    init(prefix: [UInt8], then base: ByteSource) {
        self.prefix = prefix
        self.base = base
        name = base.name
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int {
        guard buffer.count > 0 else { return 0 }
        let remaining = prefix.count - offset
        guard remaining > 0 else { return try base.read(into: buffer) }
        let n = min(remaining, buffer.count)
        prefix.withUnsafeBytes { bytes in
            buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: n)
        }
        offset += n
        return n
    }
}
