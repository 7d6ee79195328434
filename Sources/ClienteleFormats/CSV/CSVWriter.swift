import ClienteleIO

/// Writes records as RFC 4180 CSV with LF line endings, buffered.
///
/// A field is quoted when it contains the delimiter, a quote, CR or LF, or starts or ends with a
/// space (so no reader trims it); quotes inside are doubled. A record of one empty field is
/// written as `""`, since an empty line would be skipped as blank. With `guardFormulas`, a cell
/// starting with `=`, `+`, `-`, `@`, tab or CR gets a leading `'` so that spreadsheets do not run
/// it (CSV injection, SPEC §7). Output collects in a 64 KiB buffer: call ``flush()`` before
/// closing the sink.
///
/// ```swift
/// var writer = CSVWriter(sink: sink, guardFormulas: true)
/// try writer.writeRecord(["email", "note"])
/// try writer.writeRecord(["ann@example.com", "=1+1"])   // ann@example.com,'=1+1
/// try writer.flush()
/// ```
public struct CSVWriter {
    private let sink: ByteSink
    private let delimiter: UInt8
    private let guardFormulas: Bool
    private var buffer: [UInt8] = []
    private static let flushThreshold = 1 << 16

    public init(sink: ByteSink, delimiter: UInt8 = UInt8(ascii: ","), guardFormulas: Bool = false) {
        self.sink = sink
        self.delimiter = delimiter
        self.guardFormulas = guardFormulas
        buffer.reserveCapacity(Self.flushThreshold + 4096)
    }

    /// Appends one record and a line feed.
    public mutating func writeRecord(_ fields: [String]) throws(IOError) {
        if fields.count == 1, fields[0].isEmpty {
            buffer.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "\""), 10])
        } else {
            for (k, field) in fields.enumerated() {
                if k > 0 { buffer.append(delimiter) }
                append(field)
            }
            buffer.append(10)
        }
        if buffer.count >= Self.flushThreshold { try flush() }
    }

    /// Pushes buffered bytes to the sink (does not close it).
    public mutating func flush() throws(IOError) {
        guard !buffer.isEmpty else { return }
        try sink.write(buffer)
        buffer.removeAll(keepingCapacity: true)
    }

    private mutating func append(_ field: String) {
        var field = field
        field.withUTF8 { bytes in
            let guarded = guardFormulas && !bytes.isEmpty && Self.startsFormula(bytes[0])
            if !guarded && !needsQuotes(bytes) {
                buffer.append(contentsOf: bytes)
                return
            }
            // A guarded cell starts with `'`, so only the delimiter, quotes, CR and LF matter.
            let quoted = guarded ? containsSpecial(bytes) || bytes.last == 0x20 : true
            if quoted { buffer.append(UInt8(ascii: "\"")) }
            if guarded { buffer.append(UInt8(ascii: "'")) }
            for b in bytes {
                if b == UInt8(ascii: "\"") { buffer.append(b) }
                buffer.append(b)
            }
            if quoted { buffer.append(UInt8(ascii: "\"")) }
        }
    }

    private func needsQuotes(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = bytes.first else { return false }
        return first == 0x20 || bytes.last == 0x20 || containsSpecial(bytes)
    }

    private func containsSpecial(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        let d = delimiter
        for b in bytes where b == d || b == UInt8(ascii: "\"") || b == 10 || b == 13 { return true }
        return false
    }

    private static func startsFormula(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "=") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: "@")
            || b == 9 || b == 13
    }
}
