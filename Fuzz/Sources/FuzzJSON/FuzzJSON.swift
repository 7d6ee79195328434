import ClienteleFormats
import ClienteleIO
import FuzzSupport

// libFuzzer target: the JSON record reader (JSON Lines and one top-level array, over
// JSONRecordStream, JSONTokenizer and JSONValueBuilder) and the whole-document parser.
//
// For every input, with the default limits and with small ones (256-byte records, depth 4):
// - no crash, no hang, no unbounded memory;
// - reading whole and drip-fed in small random chunks gives the same records, positions, defects
//   and the same final error;
// - record numbers count 1, 2, 3…, lines and offsets never go backwards;
// - every clean record is an object; written with JSONTextWriter it is one line that
//   JSONDocument.parse reads back as the same value, and writing that again gives the same bytes;
// - JSONDocument.parse of the whole input never crashes, and what it accepts writes and re-parses
//   to the same value.

struct JSONOutcome: Equatable {
    var layout: JSONRecordReader.Layout?
    var records: [JSONRecord] = []
    var error: FormatError?
}

extension JSONRecord: @retroactive Equatable {
    public static func == (a: JSONRecord, b: JSONRecord) -> Bool {
        a.value == b.value && a.position == b.position && a.defect == b.defect
    }
}

func readAll(_ source: ByteSource, maxRecordBytes: Int, maxDepth: Int) -> JSONOutcome {
    var outcome = JSONOutcome()
    do throws(FormatError) {
        let reader = try JSONRecordReader(source: source, maxRecordBytes: maxRecordBytes, maxDepth: maxDepth)
        outcome.layout = reader.layout
        while let record = try reader.next() {
            outcome.records.append(record)
            check(outcome.records.count <= 1 << 20, "more records than input bytes")
        }
    } catch {
        outcome.error = error
    }
    return outcome
}

func text(_ value: JSONValue) -> [UInt8] {
    var writer = JSONTextWriter(capacity: 256)
    writer.write(value)
    return writer.bytes
}

func checkRoundTrip(_ value: JSONValue) {
    let written = text(value)
    check(!written.contains(10) && !written.contains(13), "written JSON holds a line break")
    do {
        let back = try JSONDocument.parse(written, maxDepth: 1024)
        check(back == value, "value \(value) came back as \(back)")
        check(text(back) == written, "writing is not stable")
    } catch {
        check(false, "written JSON does not parse: \(error): \(String(decoding: written, as: UTF8.self))")
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSON(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let bytes = Array(input)
    var random = InputRandom(input)
    for (maxRecordBytes, maxDepth) in [(1 << 20, 64), (256, 4)] {
        let whole = readAll(MemoryByteSource(bytes), maxRecordBytes: maxRecordBytes, maxDepth: maxDepth)
        let dripped = readAll(MemoryByteSource(bytes, chunkSizes: random.chunkSizes()),
                              maxRecordBytes: maxRecordBytes, maxDepth: maxDepth)
        check(whole == dripped, "whole and chunked reads differ:\n\(whole)\n\(dripped)")
        var lastLine = 0
        var lastOffset: Int64 = -1
        for (i, record) in whole.records.enumerated() {
            check(record.position.record == i + 1, "record numbers count up")
            check(record.position.line >= lastLine, "lines go backwards")
            check(record.position.byteOffset > lastOffset, "offsets go backwards")
            check(record.position.byteOffset < Int64(size), "offset past the input")
            lastLine = record.position.line
            lastOffset = record.position.byteOffset
            if whole.layout == .lines {
                check(record.position.line > (i == 0 ? 0 : whole.records[i - 1].position.line), "two records on one line")
            }
            if record.defect == nil {
                guard case .object = record.value else {
                    check(false, "a clean record is not an object: \(record.value)")
                    continue
                }
                checkRoundTrip(record.value)
            }
        }
    }
    // The whole-document parser (used on the pipeline's own spill and bucket files).
    if let value = try? JSONDocument.parse(bytes) { checkRoundTrip(value) }
    return 0
}

/// The process entry point (see FuzzDriver.swift).
@_cdecl("FuzzJSON_main")
public func fuzzJSONMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzJSON)
}
