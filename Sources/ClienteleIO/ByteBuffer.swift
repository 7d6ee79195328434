/// A growable run of bytes that the encoders of the pipeline append to, record after record.
///
/// Not an `Array`: an `Array.append` costs a uniqueness check and a generic copy each time, and a
/// record's text is a few hundred appends (a JSON member name cost 27 ns through an `Array`, 14.6 ns
/// through a pointer; the text writers were a fifth of an import's instructions, see BENCHMARKS.md).
/// Noncopyable, so its memory has exactly one owner, which frees it.
///
/// ```swift
/// var buffer = ByteBuffer(capacity: 64)
/// buffer.append(UInt8(ascii: "{"))
/// buffer.append(contentsOf: Array(#""a":1}"#.utf8))
/// try sink.write(buffer)            // {"a":1}
/// buffer.removeAll()                // the capacity stays for the next record
/// ```
public struct ByteBuffer: ~Copyable {
    @usableFromInline var start: UnsafeMutablePointer<UInt8>
    @usableFromInline var used: Int
    @usableFromInline var allocated: Int

    public init(capacity: Int = 4096) {
        allocated = max(16, capacity)
        start = .allocate(capacity: allocated)
        used = 0
    }

    deinit { start.deallocate() }

    /// How many bytes are written.
    @inlinable public var count: Int { used }
    /// How many bytes fit before the storage grows.
    @inlinable public var capacity: Int { allocated }
    @inlinable public var isEmpty: Bool { used == 0 }

    /// The bytes, as an array (a copy).
    public var array: [UInt8] { Array(UnsafeBufferPointer(start: start, count: used)) }

    /// Calls `body` with the bytes (valid only during the call).
    @inlinable
    public func withUnsafeBytes<R, E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> R) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: start, count: used))
    }

    /// The byte at `i` (`0..<count`), to patch a length written before what it measures was known.
    @inlinable
    public subscript(i: Int) -> UInt8 {
        get {
            precondition(i >= 0 && i < used, "index out of range")
            return start[i]
        }
        set {
            precondition(i >= 0 && i < used, "index out of range")
            start[i] = newValue
        }
    }

    /// Makes room for `n` more bytes.
    @inlinable @inline(__always)
    public mutating func reserve(_ n: Int) {
        if _slowPath(used + n > allocated) { grow(toHold: used + n) }
    }

    /// Makes the capacity at least `minimum`.
    public mutating func reserveCapacity(_ minimum: Int) {
        if minimum > allocated { grow(toHold: minimum) }
    }

    @usableFromInline
    mutating func grow(toHold needed: Int) {
        let newCapacity = max(needed, allocated * 2)
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
        bigger.update(from: start, count: used)
        start.deallocate()
        start = bigger
        allocated = newCapacity
    }

    /// Appends one byte.
    @inlinable @inline(__always)
    public mutating func append(_ byte: UInt8) {
        reserve(1)
        start[used] = byte
        used += 1
    }

    /// Appends bytes as they are.
    @inlinable
    public mutating func append(contentsOf bytes: UnsafeRawBufferPointer) {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return }
        reserve(bytes.count)
        (start + used).initialize(from: base.assumingMemoryBound(to: UInt8.self), count: bytes.count)
        used += bytes.count
    }

    /// Appends bytes as they are.
    @inlinable
    public mutating func append(contentsOf bytes: UnsafeBufferPointer<UInt8>) {
        append(contentsOf: UnsafeRawBufferPointer(bytes))
    }

    /// Appends bytes as they are.
    public mutating func append(contentsOf bytes: [UInt8]) {
        bytes.withUnsafeBytes { append(contentsOf: $0) }
    }

    /// Appends bytes as they are.
    public mutating func append(contentsOf bytes: ArraySlice<UInt8>) {
        bytes.withUnsafeBytes { append(contentsOf: $0) }
    }

    /// Appends `value` as an unsigned LEB128 varint (7 bits a byte, low first), with one capacity
    /// check for all its bytes.
    @inlinable
    public mutating func appendLEB128(_ value: UInt64) {
        reserve(10)
        var u = value
        let p = start + used
        var n = 0
        while u >= 0x80 {
            p[n] = UInt8(truncatingIfNeeded: u) | 0x80
            u >>= 7
            n += 1
        }
        p[n] = UInt8(u)
        used += n + 1
    }

    /// Appends `"` + `name` + `":` in one step (a JSON member name that needs no escaping).
    @inlinable
    public mutating func appendQuotedKey(_ name: StaticString) {
        let n = name.utf8CodeUnitCount
        reserve(n + 3)
        let p = start + used
        p[0] = UInt8(ascii: "\"")
        (p + 1).initialize(from: name.utf8Start, count: n)
        p[n + 1] = UInt8(ascii: "\"")
        p[n + 2] = UInt8(ascii: ":")
        used += n + 3
    }

    /// Drops the bytes from `count` on (a text run that turned out not to be kept).
    @inlinable
    public mutating func truncate(to count: Int) {
        precondition(count >= 0 && count <= used, "truncating past the end")
        used = count
    }

    /// The bytes from `start` to the end; valid until the next change.
    @inlinable
    public func suffix(from start: Int) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(start: self.start + start, count: used - start)
    }

    /// Empties the buffer, keeping the capacity.
    @inlinable
    public mutating func removeAll() { used = 0 }
}

extension ByteSink {
    /// Writes the bytes `buffer` holds.
    public func write(_ buffer: borrowing ByteBuffer) throws(IOError) {
        try buffer.withUnsafeBytes { (bytes) throws(IOError) in try write(bytes) }
    }
}
