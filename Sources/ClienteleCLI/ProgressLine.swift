import Clientele

#if canImport(Glibc)
import Glibc
#endif

/// The progress line drawn on standard error when it is a terminal: bytes, records, records/s, ETA.
final class ProgressLine {
    private let enabled: Bool
    private var drawn = false

    init(enabled: Bool) {
        self.enabled = enabled && isatty(2) == 1
    }

    func update(_ p: ImportProgress) {
        guard enabled else { return }
        let rate = p.elapsedSeconds > 0 ? Double(p.records) / p.elapsedSeconds : 0
        var line = "\(p.phase): \(p.records) records, \(Int(rate)) records/s"
        if p.bytesRead > 0 { line += ", \(p.bytesRead / 1_000_000) MB" }
        if let total = p.totalBytes, total > 0, p.bytesRead > 0 {
            line += " of \(total / 1_000_000) MB"
            let remaining = Double(total - p.bytesRead) / (Double(p.bytesRead) / max(p.elapsedSeconds, 0.001))
            line += ", ETA \(Int(remaining.rounded())) s"
        }
        draw("\r\u{1B}[2K" + line)
    }

    func clear() {
        guard enabled, drawn else { return }
        draw("\r\u{1B}[2K")
        drawn = false
    }

    private func draw(_ text: String) {
        drawn = true
        var t = text
        t.withUTF8 { _ = write(2, $0.baseAddress, $0.count) }
    }
}
