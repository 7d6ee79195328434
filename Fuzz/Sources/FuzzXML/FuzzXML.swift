import ClienteleFormats
import ClienteleIO
import ClienteleModel
import FuzzSupport

// libFuzzer target: the XML record reader (libxml2's SAX2 push parser under XMLRecordReader and
// XMLRecordAssembler), with the canonical customers layout.
//
// For every input, with the default limits and with small ones (256-byte records, depth 4):
// - no crash, no hang, no unbounded memory; ASan covers libxml2's calls into our callbacks;
// - reading whole (64 KiB to libxml2 at a time) and drip-fed (the source in random small chunks,
//   libxml2 fed 1–64 bytes at a time) gives the same records, positions and defects, and an error
//   of the same kind (when both stop with one, only the clean records before it must agree);
// - record numbers count 1, 2, 3…; lines and byte offsets never go backwards.

struct XMLOutcome: Equatable {
    var records: [XMLRecord] = []
    /// The error's case only: libxml2's own wording may depend on where a chunk ended.
    var errorKind: String?
}

extension XMLRecord: @retroactive Equatable {
    public static func == (a: XMLRecord, b: XMLRecord) -> Bool {
        a.value == b.value && a.position == b.position && (a.defect == nil) == (b.defect == nil)
    }
}

func kind(_ error: FormatError) -> String {
    switch error {
    case .unterminatedQuote: return "unterminatedQuote"
    case .recordTooLarge: return "recordTooLarge"
    case .malformed: return "malformed"
    case .badHeader: return "badHeader"
    case .tooDeep: return "tooDeep"
    case .io: return "io"
    }
}

func readAll(_ source: ByteSource, _ options: XMLRecordReader.Options) -> XMLOutcome {
    var outcome = XMLOutcome()
    do throws(FormatError) {
        let reader = try XMLRecordReader(source: source, layout: .customers, options: options)
        while let record = try reader.next() {
            outcome.records.append(record)
            check(outcome.records.count <= 1 << 20, "more records than input bytes")
        }
    } catch {
        outcome.errorKind = kind(error)
    }
    return outcome
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzXML(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    let bytes = Array(input)
    var random = InputRandom(input)
    for (maxRecordBytes, maxDepth) in [(1 << 20, 64), (256, 4)] {
        let whole = readAll(MemoryByteSource(bytes), XMLRecordReader.Options(maxRecordBytes: maxRecordBytes, maxDepth: maxDepth))
        let feed = Int(random.next() % 64) + 1
        let dripped = readAll(MemoryByteSource(bytes, chunkSizes: random.chunkSizes()),
                              XMLRecordReader.Options(maxRecordBytes: maxRecordBytes, maxDepth: maxDepth, chunkSize: feed))
        if whole.errorKind != nil && whole.errorKind == dripped.errorKind {
            // Both reads stop with the same kind of error, so a run stops the same way (exit 65, nothing
            // written). Before it, libxml2 may report an illegal character inside a record (a defect) or
            // only at the document level, depending on where its input ended: only clean records must agree.
            check(whole.records.filter { $0.defect == nil } == dripped.records.filter { $0.defect == nil },
                  "clean records before the error differ (libxml2 fed \(feed) bytes at a time):\n\(whole)\n\(dripped)")
        } else {
            check(whole == dripped, "whole and chunked (libxml2 fed \(feed) bytes at a time) reads differ:\n\(whole)\n\(dripped)")
        }
        var lastLine = 0
        var lastOffset: Int64 = -1
        for (i, record) in whole.records.enumerated() {
            check(record.position.record == i + 1, "record numbers count up")
            check(record.position.line >= lastLine, "lines go backwards")
            check(record.position.byteOffset > lastOffset, "offsets go backwards")
            lastLine = record.position.line
            lastOffset = record.position.byteOffset
            if record.defect == nil, case .object = record.value {} else if record.defect == nil {
                check(false, "a clean record is not an object: \(record.value)")
            }
        }
    }
    return 0
}

/// The process entry point (see FuzzDriver.swift).
@_cdecl("FuzzXML_main")
public func fuzzXMLMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzXML)
}
