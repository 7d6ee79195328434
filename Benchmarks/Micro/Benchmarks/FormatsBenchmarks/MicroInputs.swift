import Clientele
import ClienteleIO

#if canImport(Glibc)
import Glibc
#endif

/// The generated customers every micro-benchmark reads: the same records as CSV, JSON Lines,
/// gzipped JSON Lines and XML, held in memory. Made once, on first use (the warm-up iteration).
///
/// `MICRO_COUNT` sets the number of records (default 20,000: 7.3 MB of CSV, 17.2 MB of JSON Lines).
struct MicroInputs: Sendable {
    let count: Int
    let csv: [UInt8]
    let jsonl: [UInt8]
    let jsonlGzip: [UInt8]
    let xml: [UInt8]

    static let shared: MicroInputs = {
        let count = getenv("MICRO_COUNT").flatMap { Int(String(cString: $0)) } ?? 20_000
        return MicroInputs(count: count)
    }()

    init(count: Int) {
        self.count = count
        csv = MicroInputs.generate(count: count, format: .csv, gzip: false)
        jsonl = MicroInputs.generate(count: count, format: .jsonl, gzip: false)
        jsonlGzip = MicroInputs.generate(count: count, format: .jsonl, gzip: true)
        xml = MicroInputs.generate(count: count, format: .xml, gzip: false)
    }

    /// Generates through the public `GenerateJob` (it writes files), then reads the file back.
    private static func generate(count: Int, format: GenerateJob.Format, gzip: Bool) -> [UInt8] {
        let path = "/tmp/clientele-micro-\(getpid())-\(format.rawValue)\(gzip ? ".gz" : "")"
        defer { unlink(path) }
        do {
            try GenerateJob(count: count, format: format, seed: 42, output: path, gzip: gzip).run()
            let source = try FileByteSource(path: path)
            var bytes: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            while case let n = try source.read(into: &buffer), n > 0 { bytes += buffer[..<n] }
            source.close()
            return bytes
        } catch {
            fatalError("cannot generate the \(format.rawValue) input: \(error)")
        }
    }
}
