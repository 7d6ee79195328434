/// A pull source of bytes: the bottom of every reader.
///
/// Readers ask for the next chunk into a buffer they own and reuse, so nothing above this
/// layer allocates per read. A source is read once, front to back.
///
/// ```swift
/// let source = try FileByteSource(path: "customers.csv.gz")
/// let bytes = try GzipDetectingByteSource(source)   // inflates only if the magic bytes say so
/// var buffer = [UInt8](repeating: 0, count: 1 << 20)
/// while case let n = try buffer.withUnsafeMutableBytes({ try bytes.read(into: $0) }), n > 0 { … }
/// ```
public protocol ByteSource: AnyObject {
    /// The name shown in messages: a path, or `-` for standard input.
    var name: String { get }

    /// Reads up to `buffer.count` bytes into `buffer`.
    ///
    /// - Returns: the number of bytes written to the front of `buffer`; `0` only at the end of input.
    /// - Throws: ``IOError`` when the underlying file or stream fails or is corrupt.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(IOError) -> Int
}

/// A push sink of bytes: the bottom of every writer.
public protocol ByteSink: AnyObject {
    /// The name shown in messages.
    var name: String { get }

    /// Writes all of `bytes` (buffering as the sink sees fit).
    func write(_ bytes: UnsafeRawBufferPointer) throws(IOError)

    /// Flushes everything, ends any compressed stream and closes the file. Idempotent.
    func close() throws(IOError)
}

extension ByteSink {
    // withUTF8/withUnsafeBytes only rethrow untyped errors, so the typed error is carried out by hand.

    /// Writes the UTF-8 bytes of `string`.
    public func write(_ string: String) throws(IOError) {
        var string = string
        var failure: IOError?
        string.withUTF8 { utf8 in
            do throws(IOError) { try write(UnsafeRawBufferPointer(utf8)) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Writes `bytes`.
    public func write(_ bytes: [UInt8]) throws(IOError) {
        var failure: IOError?
        bytes.withUnsafeBytes { raw in
            do throws(IOError) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }
}

extension ByteSource {
    /// Reads up to `buffer.count` bytes into the front of `buffer`; `0` only at the end of input.
    public func read(into buffer: inout [UInt8]) throws(IOError) -> Int {
        var failure: IOError?
        let n = buffer.withUnsafeMutableBytes { raw -> Int in
            do throws(IOError) { return try read(into: raw) } catch { failure = error; return 0 }
        }
        if let failure { throw failure }
        return n
    }
}
