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
    private var encoder: CSVRecordEncoder
    private static let flushThreshold = 1 << 16

    public init(sink: ByteSink, delimiter: UInt8 = UInt8(ascii: ","), guardFormulas: Bool = false) {
        self.sink = sink
        encoder = CSVRecordEncoder(delimiter: delimiter, guardFormulas: guardFormulas)
        encoder.bytes.reserveCapacity(Self.flushThreshold + 4096)
    }

    /// Appends one record and a line feed.
    public mutating func writeRecord(_ fields: [String]) throws(IOError) {
        encoder.appendRecord(fields)
        if encoder.bytes.count >= Self.flushThreshold { try flush() }
    }

    /// Appends bytes that are already CSV records (from a ``CSVRecordEncoder`` with the same settings).
    public mutating func writeEncoded(_ records: some Collection<UInt8>) throws(IOError) {
        encoder.bytes.append(contentsOf: records)
        if encoder.bytes.count >= Self.flushThreshold { try flush() }
    }

    /// Pushes buffered bytes to the sink (does not close it).
    public mutating func flush() throws(IOError) {
        guard !encoder.bytes.isEmpty else { return }
        try sink.write(encoder.bytes)
        encoder.bytes.removeAll(keepingCapacity: true)
    }
}

/// Encodes records as CSV text into a byte buffer, with the rules of ``CSVWriter`` (which writes
/// through one): for text made in one place and written later, such as rows that wait in a spill file.
///
/// ```swift
/// var encoder = CSVRecordEncoder()
/// encoder.appendRecord(["a", "b,c"])
/// String(decoding: encoder.bytes, as: UTF8.self)   // "a,\"b,c\"\n"
/// ```
public struct CSVRecordEncoder {
    /// The text so far.
    public var bytes: [UInt8] = []
    private let delimiter: UInt8
    private let guardFormulas: Bool

    public init(delimiter: UInt8 = UInt8(ascii: ","), guardFormulas: Bool = false) {
        self.delimiter = delimiter
        self.guardFormulas = guardFormulas
    }

    /// Appends one record and a line feed.
    public mutating func appendRecord(_ fields: [String]) {
        if fields.count == 1, fields[0].isEmpty {
            bytes.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "\""), 10])
        } else {
            for (k, field) in fields.enumerated() {
                if k > 0 { bytes.append(delimiter) }
                append(field)
            }
            bytes.append(10)
        }
    }

    private mutating func append(_ field: String) {
        var field = field
        field.withUTF8 { utf8 in
            let guarded = guardFormulas && !utf8.isEmpty && Self.startsFormula(utf8[0])
            if !guarded && !needsQuotes(utf8) {
                bytes.append(contentsOf: utf8)
                return
            }
            // A guarded cell starts with `'`, so only the delimiter, quotes, CR and LF matter.
            let quoted = guarded ? containsSpecial(utf8) || utf8.last == 0x20 : true
            if quoted { bytes.append(UInt8(ascii: "\"")) }
            if guarded { bytes.append(UInt8(ascii: "'")) }
            for b in utf8 {
                if b == UInt8(ascii: "\"") { bytes.append(b) }
                bytes.append(b)
            }
            if quoted { bytes.append(UInt8(ascii: "\"")) }
        }
    }

    private func needsQuotes(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = utf8.first else { return false }
        return first == 0x20 || utf8.last == 0x20 || containsSpecial(utf8)
    }

    private func containsSpecial(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        let d = delimiter
        for b in utf8 where b == d || b == UInt8(ascii: "\"") || b == 10 || b == 13 { return true }
        return false
    }

    private static func startsFormula(_ b: UInt8) -> Bool {
        b == UInt8(ascii: "=") || b == UInt8(ascii: "+") || b == UInt8(ascii: "-") || b == UInt8(ascii: "@")
            || b == 9 || b == 13
    }
}
