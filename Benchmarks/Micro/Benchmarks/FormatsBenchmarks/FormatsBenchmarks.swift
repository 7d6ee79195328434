// Throughput of the readers and of gzip over generated, in-memory input (no disk in the loop).
//
// Every benchmark reports MB/s of *uncompressed* text (a custom metric) besides wall clock and
// mallocs, and fails (precondition, active in release) when it did not see every record.
//
//   cd Benchmarks/Micro && swift package benchmark
//   swift package benchmark --filter "CSV.*"
import Benchmark
import Clientele
import ClienteleFormats
import ClienteleIO
import ClienteleModel

/// Megabytes per second of input text, per iteration; larger is better.
let megabytesPerSecond = BenchmarkMetric.custom("MB/s", polarity: .prefersLarger, useScalingFactor: false)

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .mallocCountTotal, .peakMemoryResident, megabytesPerSecond],
        warmupIterations: 1,
        maxDuration: .seconds(5),
        maxIterations: 20)

    Benchmark("CSVReader: generated customers") { benchmark in
        let input = MicroInputs.shared
        let elapsed = try measure {
            let reader = try CSVReader(source: MemoryByteSource(input.csv))
            var records = 0
            while let record = try reader.next() {
                records += 1
                blackHole(record.fields.count)
            }
            precondition(records == input.count, "CSVReader read \(records) records, expected \(input.count)")
        }
        benchmark.measurement(megabytesPerSecond, rate(input.csv.count, elapsed))
    }

    Benchmark("JSONRecordReader: generated customers, JSON Lines") { benchmark in
        let input = MicroInputs.shared
        let elapsed = try measure {
            let reader = try JSONRecordReader(source: MemoryByteSource(input.jsonl))
            var records = 0
            while let record = try reader.next() {
                records += 1
                blackHole(record.position.line)
            }
            precondition(records == input.count, "JSONRecordReader read \(records) records, expected \(input.count)")
        }
        benchmark.measurement(megabytesPerSecond, rate(input.jsonl.count, elapsed))
    }

    Benchmark("XMLRecordReader: generated customers") { benchmark in
        let input = MicroInputs.shared
        let elapsed = try measure {
            let reader = try XMLRecordReader(source: MemoryByteSource(input.xml), layout: .customers)
            var records = 0
            while let record = try reader.next() {
                records += 1
                blackHole(record.position.line)
            }
            precondition(records == input.count, "XMLRecordReader read \(records) records, expected \(input.count)")
        }
        benchmark.measurement(megabytesPerSecond, rate(input.xml.count, elapsed))
    }

    Benchmark("GzipByteSource: inflate JSON Lines") { benchmark in
        let input = MicroInputs.shared
        let elapsed = try measure {
            let (bytes, lines) = try inflate(input.jsonlGzip)
            precondition(bytes == input.jsonl.count, "inflated \(bytes) bytes, expected \(input.jsonl.count)")
            precondition(lines == input.count, "inflated \(lines) records, expected \(input.count)")
        }
        benchmark.measurement(megabytesPerSecond, rate(input.jsonl.count, elapsed))
    }

    // What the archive's customers file goes through: 1 MiB gzip members on every core, by
    // libdeflate where installed (CLIENTELE_DEFLATE=zlib measures zlib instead).
    Benchmark("ParallelGzipByteSink: deflate JSON Lines, level 6, all cores") { benchmark in
        try deflateBenchmark(benchmark) { try ParallelGzipByteSink(wrapping: $0, level: 6) }
    }

    for level: Int32 in [1, 6] {
        Benchmark("GzipByteSink: deflate JSON Lines, level \(level)") { benchmark in
            try deflateBenchmark(benchmark) { try GzipByteSink(wrapping: $0, level: level) }
        }
    }
}

/// Deflates the JSON Lines through the sink `make` wraps around a collector, in 1 MiB writes, and
/// checks outside the measured part that every record survives the round trip.
func deflateBenchmark(_ benchmark: Benchmark, _ make: (ByteSink) throws -> ByteSink) throws {
    let input = MicroInputs.shared
    let collected = CollectingByteSink()
    benchmark.startMeasurement()  // paired with the stop below, which leaves the round trip out
    let elapsed = try measure {
        let sink = try make(collected)
        try input.jsonl.withUnsafeBytes { all in
            var offset = 0
            while offset < all.count {
                let end = min(all.count, offset + (1 << 20))
                try sink.write(UnsafeRawBufferPointer(rebasing: all[offset..<end]))
                offset = end
            }
        }
        try sink.close()
    }
    benchmark.stopMeasurement()
    let lines = try countLines(inflating: collected.bytes)
    precondition(lines == input.count, "deflate round trip gave \(lines) records, expected \(input.count)")
    benchmark.measurement(megabytesPerSecond, rate(input.jsonl.count, elapsed))
}

/// Runs `body` once and returns its wall time in seconds.
func measure(_ body: () throws -> Void) rethrows -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    try body()
    let d = clock.now - start
    return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

/// Whole megabytes (10^6 bytes) per second.
func rate(_ bytes: Int, _ seconds: Double) -> Int {
    seconds > 0 ? Int((Double(bytes) / 1e6 / seconds).rounded()) : 0
}

/// Inflates `gzip` in 1 MiB reads: the uncompressed byte count and its lines.
func inflate(_ gzip: [UInt8]) throws(IOError) -> (bytes: Int, lines: Int) {
    let source = try GzipByteSource(wrapping: MemoryByteSource(gzip))
    var buffer = [UInt8](repeating: 0, count: 1 << 20)
    var bytes = 0
    var lines = 0
    while case let n = try source.read(into: &buffer), n > 0 {
        bytes += n
        lines += countNewlines(buffer[..<n])
    }
    return (bytes, lines)
}

func countLines(inflating gzip: [UInt8]) throws(IOError) -> Int { try inflate(gzip).lines }

func countNewlines(_ bytes: ArraySlice<UInt8>) -> Int {
    bytes.withUnsafeBufferPointer { buffer in
        var n = 0
        for b in buffer where b == 10 { n += 1 }
        return n
    }
}
