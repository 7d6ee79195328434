#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// This process's memory as the kernel counts it, and a way to hand freed memory back.
///
/// A long run's phases allocate on different threads, and glibc gives each thread its own arena:
/// what one phase frees stays mapped in its arenas, out of reach of the next phase's threads, so
/// resident memory became the sum of the phases rather than the largest of them.
///
/// ```swift
/// ProcessMemory.releaseFreedMemory()   // between phases
/// print(ProcessMemory.residentBytes ?? 0, ProcessMemory.peakResidentBytes ?? 0)
/// ```
public enum ProcessMemory {
    /// Returns the free pages of every malloc arena to the system (`malloc_trim(0)`); a no-op where
    /// the C library has no such call.
    public static func releaseFreedMemory() {
        _ = mallocTrim?(0)
    }

    /// glibc's `malloc_trim`, looked up at run time: `<malloc.h>` is not part of the Glibc module.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        #if canImport(Glibc)
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
        #else
        return nil
        #endif
    }()

    /// Resident memory now (`VmRSS`), or nil where `/proc/self/status` cannot be read.
    public static var residentBytes: Int? { statusField("VmRSS:") }

    /// The most resident memory so far (`VmHWM`), or nil where `/proc/self/status` cannot be read.
    public static var peakResidentBytes: Int? { statusField("VmHWM:") }

    /// A `/proc/self/status` line's value in kB (`VmRSS:\t  102380 kB`), as bytes.
    private static func statusField(_ name: String) -> Int? {
        guard let source = try? FileByteSource(path: "/proc/self/status") else { return nil }
        var buffer = [UInt8](repeating: 0, count: 8192)
        var bytes: [UInt8] = []
        while let n = try? source.read(into: &buffer), n > 0 { bytes += buffer[0..<n] }
        let line = String(decoding: bytes, as: UTF8.self).split(separator: "\n").first { $0.hasPrefix(name) }
        guard let value = line?.dropFirst(name.count).split(whereSeparator: { $0 == " " || $0 == "\t" }).first,
              let kB = Int(value) else { return nil }
        return kB * 1024
    }
}
