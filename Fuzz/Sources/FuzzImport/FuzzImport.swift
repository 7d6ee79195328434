import Clientele
import ClienteleFormats
import ClienteleIO
import ClienteleModel
import FuzzSupport

#if canImport(Glibc)
import Glibc
#endif

// libFuzzer target: a whole `import` of one input file through the library's ImportJob, into a
// scratch directory, with options chosen from the input's hash (output JSONL, CSV or XML, gzip, duplicate
// policy, record limit, --max-errors, the file given once or twice).
//
// Invariants checked on every input (issue 6):
// - no crash, no hang; the outcome is 0, 1 or 65 (never 64, 66, 70 or 73 for a readable input);
// - on 65 nothing is at --out and no staging folder is left beside it;
// - otherwise read = written + merged + rejected for the run and for every file, the customers
//   file holds exactly `written` records, the crosswalk `written + merged` rows, rejects.jsonl
//   `rejected` lines, and report.json states the same totals;
// - `validate` on the same input and options counts the same;
// - importing the archive's customers file again gives the same customers file (SPEC §3).

/// On /dev/shm when there is one: a run fsyncs its staging folder and the parent at commit, which
/// costs milliseconds on a disk and nothing on tmpfs.
let scratch: String = {
    let base = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    let path = base + "/clientele-fuzz-import-\(getpid())"
    FileSystem.removeRecursively(path)
    do { try FileSystem.makeDirectory(path, mode: 0o700) } catch { fatalError("cannot create \(path): \(error)") }
    return path
}()

func writeFile(_ path: String, _ bytes: UnsafeBufferPointer<UInt8>) {
    do {
        let sink = try FileByteSink(path: path)
        try sink.write(UnsafeRawBufferPointer(bytes))
        try sink.close()
    } catch {
        fatalError("cannot write \(path): \(error)")
    }
}

/// The decompressed bytes of a file of the archive.
func contents(_ path: String) -> [UInt8] {
    do {
        var source: ByteSource = try FileByteSource(path: path)
        if path.hasSuffix(".gz") { source = try GzipByteSource(wrapping: source, limit: .unlimited) }
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1 << 16)
        while case let n = try source.read(into: &buffer), n > 0 { out += buffer[0..<n] }
        return out
    } catch {
        fatalError("cannot read \(path): \(error)")
    }
}

func lineCount(_ bytes: [UInt8]) -> Int { bytes.reduce(0) { $0 + ($1 == 10 ? 1 : 0) } }

/// Records of a CSV file the tool wrote (quoted fields may hold line breaks, so lines are not rows).
func csvRecordCount(_ bytes: [UInt8], name: String) -> Int {
    do {
        let reader = try CSVReader(source: MemoryByteSource(bytes, name: name), options: CSVOptions(maxRecordBytes: 1 << 30))
        var n = 0
        while let record = try reader.next() {
            check(record.defect == nil, "\(name) as written has a bad row: \(record.defect!)")
            n += 1
        }
        return n
    } catch {
        fatalError("\(name) as written does not read back: \(error)")
    }
}

/// Customers of an XML customers file the tool wrote; each must read back clean.
func xmlRecordCount(_ bytes: [UInt8], name: String) -> Int {
    do {
        let reader = try XMLRecordReader(source: MemoryByteSource(bytes, name: name), layout: .customers,
                                         options: XMLRecordReader.Options(maxRecordBytes: 1 << 30))
        var n = 0
        while let record = try reader.next() {
            check(record.defect == nil, "\(name) as written has a bad customer: \(record.defect!)")
            n += 1
        }
        return n
    } catch {
        fatalError("\(name) as written does not read back: \(error)")
    }
}

func entries(of directory: String) -> [String] {
    guard let dir = opendir(directory) else { return [] }
    defer { closedir(dir) }
    var names: [String] = []
    while let entry = readdir(dir) {
        let name = withUnsafePointer(to: &entry.pointee.d_name) {
            $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
        }
        if name != "." && name != ".." { names.append(name) }
    }
    return names.sorted()
}

func checkArchive(_ out: String, _ options: ImportOptions, _ summary: ImportSummary) {
    let t = summary.totals
    check(t.read == t.written + t.merged + t.rejected, "totals do not balance: \(t)")
    check(summary.inputs.count == options.inputs.count, "one report entry per input")
    for file in summary.inputs {
        let c = file.counts
        check(c.read == c.written + c.merged + c.rejected, "\(file.path) does not balance: \(c)")
    }
    check(summary.inputs.reduce(0) { $0 + $1.counts.read } == t.read, "file counts add up to the totals")
    check(summary.exitCode == (t.rejected > 0 ? 1 : 0), "exit code \(summary.exitCode) with \(t.rejected) rejected")

    let customersName = "customers." + options.format.rawValue + (options.gzip ? ".gz" : "")
    let files = entries(of: out)
    check(files.contains(customersName) && files.contains("crosswalk.csv") && files.contains("rejects.jsonl")
          && files.contains("report.json"), "archive files: \(files)")
    let customers = contents(out + "/" + customersName)
    switch options.format {
    case .jsonl:
        check(lineCount(customers) == t.written, "customers.jsonl has \(lineCount(customers)) lines, written \(t.written)")
    case .csv:
        if t.written > 0 {
            let n = csvRecordCount(customers, name: customersName)
            check(n == t.written, "customers.csv has \(n) rows, written \(t.written)")
        }
    case .xml:
        let n = xmlRecordCount(customers, name: customersName)
        check(n == t.written, "customers.xml has \(n) customers, written \(t.written)")
    }
    let crosswalkRows = csvRecordCount(contents(out + "/crosswalk.csv"), name: "crosswalk.csv")
    check(crosswalkRows == t.written + t.merged, "crosswalk has \(crosswalkRows) rows, written + merged \(t.written + t.merged)")
    let rejects = lineCount(contents(out + "/rejects.jsonl"))
    check(rejects == t.rejected, "rejects.jsonl has \(rejects) lines, rejected \(t.rejected)")

    // report.json states the same totals.
    guard let report = try? JSONDocument.parse(contents(out + "/report.json")),
          case let .object(totals)? = report["totals"] else {
        check(false, "report.json does not parse or has no totals")
        return
    }
    for (key, value) in [("read", t.read), ("written", t.written), ("merged", t.merged), ("rejected", t.rejected)] {
        check(JSONValue.object(totals)[key] == .number(String(value)), "report.json totals.\(key) is not \(value)")
    }
}

enum Outcome: Equatable {
    case finished(RunCounts)
    case aborted(Int32)
}

func run(_ options: ImportOptions) -> (Outcome, ImportSummary?) {
    do {
        let summary = try ImportJob(options: options).run()
        return (.finished(summary.totals), summary)
    } catch {
        return (.aborted(error.exitCode), nil)
    }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzImport(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = UnsafeBufferPointer(start: data, count: size)
    var random = InputRandom(input)
    let inputPath = scratch + "/input"
    let out = scratch + "/out"
    writeFile(inputPath, input)
    defer { FileSystem.removeRecursively(out) }

    let r = random.next()
    var options = ImportOptions(inputs: r & 1 == 0 ? [inputPath] : [inputPath, inputPath], outputDirectory: out)
    options.format = [ImportOptions.OutputFormat.jsonl, .csv, .xml][Int((r >> 40) % 3)]
    options.gzip = r & 4 != 0
    options.gzipLevel = 1
    options.onDuplicate = r & 8 == 0 ? .reject : .keepLatest
    options.maxRecordBytes = r & 16 == 0 ? 1 << 20 : 1024
    options.maxErrors = r & 96 == 0 ? Int((r >> 8) % 4) : nil
    options.temporaryDirectory = scratch

    let (outcome, summary) = run(options)
    switch outcome {
    case let .aborted(code):
        check(code == 65, "import ended with exit code \(code)")
        check(!FileSystem.exists(out), "an aborted run left something at --out")
    case .finished:
        checkArchive(out, options, summary!)
    }
    check(entries(of: scratch).allSatisfy { $0 == "input" || $0 == "out" }, "stray files: \(entries(of: scratch))")

    // validate counts what import counted, and writes nothing.
    var validate = options
    validate.outputDirectory = nil
    let (checked, _) = run(validate)
    check(checked == outcome, "validate says \(checked), import said \(outcome)")
    check(entries(of: scratch).allSatisfy { $0 == "input" || $0 == "out" }, "validate left files: \(entries(of: scratch))")

    // Re-importing the archive's customers file gives the same customers file.
    if case let .finished(totals) = outcome, totals.written > 0, options.format == .jsonl, !options.gzip {
        let customers = contents(out + "/customers.jsonl")
        var again = ImportOptions(inputs: [out + "/customers.jsonl"], outputDirectory: scratch + "/again")
        again.temporaryDirectory = scratch
        let (second, _) = run(again)
        var expected = RunCounts()
        expected.read = totals.written
        expected.written = totals.written
        check(second == .finished(expected), "re-import of \(totals.written) customers: \(second)")
        let back = contents(scratch + "/again/customers.jsonl")
        check(back == customers, "re-import changed the customers file:\n\(String(decoding: customers, as: UTF8.self))\n"
              + String(decoding: back, as: UTF8.self))
        FileSystem.removeRecursively(scratch + "/again")
    }
    return 0
}

/// The process entry point (see FuzzDriver.swift).
@_cdecl("FuzzImport_main")
public func fuzzImportMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runFuzzer(argc: argc, argv: argv, fuzzImport)
}
