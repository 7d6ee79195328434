import ClienteleFormats
import ClienteleIO
import FuzzSupport

// libFuzzer target: the CSV reader (CSVReader over CSVRecordScanner and CSVTokenizer).
//
// For every input, under three option sets (defaults; a 64-byte record limit; Windows-1252 with a
// `;` delimiter):
// - no crash, no hang, no unbounded memory (libFuzzer's -rss_limit_mb / -timeout);
// - reading the input whole and drip-fed in small random chunks gives the same records, positions,
//   defects and the same final error;
// - positions grow: lines and byte offsets never go backwards, record numbers count 1, 2, 3…;
// - every clean record written back with CSVWriter and read again gives the same fields.

/// Everything a read produced, for comparing two reads of the same bytes.
struct CSVOutcome: Equatable {
    var header: [String]?
    var delimiter: UInt8?
    var records: [CSVRecord] = []
    var error: FormatError?
}

extension CSVRecord: @retroactive Equatable {
    public static func == (a: CSVRecord, b: CSVRecord) -> Bool {
        a.fields == b.fields && a.position == b.position && a.defect == b.defect
    }
}

func readAll(_ source: ByteSource, _ options: CSVOptions) -> CSVOutcome {
    var outcome = CSVOutcome()
    do throws(FormatError) {
        let reader = try CSVReader(source: source, options: options)
        outcome.header = reader.header
        outcome.delimiter = reader.delimiter
        // A record is at least one byte, so this bound only stops a reader that loops.
        var guardCount = 0
        while let record = try reader.next() {
            outcome.records.append(record)
            guardCount += 1
            check(guardCount <= 1 << 20, "more records than input bytes")
        }
    } catch {
        outcome.error = error
    }
    return outcome
}

func checkPositions(_ outcome: CSVOutcome, inputCount: Int) {
    var lastLine = 1
    var lastOffset: Int64 = -1
    for (i, record) in outcome.records.enumerated() {
        let p = record.position
        check(p.record == i + 1, "record numbers count up: \(p.record) at index \(i)")
        check(p.line > lastLine, "line \(p.line) after line \(lastLine)")
        check(p.byteOffset > lastOffset && p.byteOffset < Int64(inputCount), "byte offset \(p.byteOffset) out of order")
        lastLine = p.line
        lastOffset = p.byteOffset
        if let header = outcome.header, record.defect == nil {
            check(record.fields.count == header.count, "a clean record has as many fields as the header")
        }
    }
    if let header = outcome.header {
        check(!header.isEmpty && Set(header).count == header.count, "header names are unique and present")
    }
}

/// Writes the header and the clean records with CSVWriter and reads them back.
func checkRoundTrip(_ outcome: CSVOutcome, _ options: CSVOptions) {
    guard let header = outcome.header, let delimiter = outcome.delimiter, options.encoding == .utf8 else { return }
    // A file that starts with two byte order marks keeps the second in its first column name; written
    // out, that name starts the file with a BOM, which the reader drops (see HOSTILE.md).
    if header[0].unicodeScalars.first == "\u{FEFF}" { return }
    let clean = outcome.records.filter { $0.defect == nil }
    let sink = MemoryByteSink()
    var writer = CSVWriter(sink: sink, delimiter: delimiter)
    do {
        try writer.writeRecord(header)
        for record in clean { try writer.writeRecord(record.fields) }
        try writer.flush()
    } catch {
        check(false, "writing to memory failed: \(error)")
    }
    var again = CSVOptions(delimiter: delimiter, encoding: .utf8, maxRecordBytes: 1 << 30)
    again.maxRecordBytes = 1 << 30
    let back = readAll(MemoryByteSource(sink.bytes), again)
    check(back.error == nil, "re-reading written CSV failed: \(String(describing: back.error))")
    check(back.header == header, "header \(header) came back as \(String(describing: back.header))")
    check(back.records.count == clean.count, "\(clean.count) records written, \(back.records.count) read back")
    for (a, b) in zip(clean, back.records) {
        check(b.defect == nil, "a written record reads back with a defect: \(String(describing: b.defect))")
        check(a.fields == b.fields, "fields \(a.fields) came back as \(b.fields)")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzCSV(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let bytes = Array(input)
    var random = InputRandom(input)
    let optionSets = [
        CSVOptions(),
        CSVOptions(maxRecordBytes: 64),
        CSVOptions(delimiter: UInt8(ascii: ";"), encoding: .windows1252),
    ]
    for options in optionSets {
        let whole = readAll(MemoryByteSource(bytes), options)
        let dripped = readAll(MemoryByteSource(bytes, chunkSizes: random.chunkSizes()), options)
        check(whole == dripped, "whole and chunked reads differ:\n\(whole)\n\(dripped)")
        checkPositions(whole, inputCount: size)
        checkRoundTrip(whole, options)
    }
    return 0
}

/// The process entry point (see FuzzDriver.swift).
@_cdecl("FuzzCSV_main")
public func fuzzCSVMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzCSV)
}
