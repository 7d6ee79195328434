import ClienteleIO

/// Keeps everything written to it, for checking a round trip afterwards.
final class CollectingByteSink: ByteSink {
    let name = "memory"
    private(set) var bytes: [UInt8] = []

    func write(_ bytes: UnsafeRawBufferPointer) throws(IOError) { self.bytes += bytes }
    func close() throws(IOError) {}
}
