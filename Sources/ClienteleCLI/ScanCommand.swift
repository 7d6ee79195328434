import ArgumentParser
import Clientele

#if canImport(Glibc)
import Glibc
#endif

/// `clientele scan`: reads inputs up to their records and reports the reader's throughput.
/// Hidden: a tool for measuring readers (README "XML" has the benchmark), not part of the job.
struct ScanCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "scan",
        abstract: "Read inputs up to their records (no mapping, nothing written) and report the rate.",
        discussion: """
            Prints, per input, its detected format, records read (and how many a reader would reject) and \
            the rate in MB/s of file bytes. For benchmarking the readers, e.g. XML against xmllint --stream.
            """,
        shouldDisplay: false)

    @OptionGroup var input: InputOptions

    func run() throws {
        let options = try input.importOptions(output: nil)
        let clock = ContinuousClock()
        for path in options.inputs {
            let start = clock.now
            let result: InputScan.Result
            do { result = try InputScan.run(path: path, options: options) } catch { throw ExitStatus.fail(error) }
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let mb = Double(result.bytes) / 1_000_000
            let line = "\(path): \(result.format), \(result.records) records (\(result.defects) defective), "
                + "\(formatted(mb)) MB in \(formatted(seconds)) s = \(formatted(mb / max(seconds, 1e-9))) MB/s\n"
            var text = line
            text.withUTF8 { _ = write(1, $0.baseAddress, $0.count) }
        }
    }

    private func formatted(_ x: Double) -> String {
        let scaled = (x * 100).rounded() / 100
        return String(scaled)
    }
}
