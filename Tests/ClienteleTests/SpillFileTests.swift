import ClienteleIO
import ClienteleTestSupport
import Testing
@testable import Clientele

/// Spill files give back every frame in order, whatever its size against the write buffer.
@Suite struct SpillFileTests {
    @Test(arguments: [SpillFile.flushBytes, 2048, 100])
    func framesOfEverySizeAroundTheBufferComeBackInOrder(bufferBytes: Int) throws {
        let scratch = try TemporaryDirectory()
        let file = SpillFile(path: scratch.path + "/f.spill", bufferBytes: bufferBytes)
        let limit = file.bufferBytes
        // Around the limit (a frame costs its length plus 4 bytes), far above it, and empty.
        let sizes = [0, 1, limit - 5, limit - 4, limit - 3, 17, limit, limit + 1, 100_000, 3, limit - 4, 0, 250_000, 9]
        let frames = sizes.enumerated().map { i, n in (0..<n).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ i) } }
        for frame in frames { try file.appendFrame(frame) }
        try file.finishWriting()
        var back: [[UInt8]] = []
        try file.forEachFrame { back.append($0) }
        #expect(back.count == frames.count)
        #expect(back == frames)
        file.remove()
    }

    /// A set's buffers share its budget, so more files (a bigger run) do not take more memory.
    @Test func aSetSharesItsBudgetWithinTheBounds() {
        let budget = 6 << 20
        let few = SpillFile.set(count: 200, budget: budget) { "/nonexistent/\($0)" }
        let many = SpillFile.set(count: 2469, budget: budget) { "/nonexistent/\($0)" }
        let huge = SpillFile.set(count: 8192, budget: budget) { "/nonexistent/\($0)" }
        #expect(few.allSatisfy { $0.bufferBytes == 16 << 10 })          // capped: 200 × 16 KiB is under the budget
        #expect(many.allSatisfy { $0.bufferBytes == budget / 2469 })    // 2,548 bytes each
        #expect(many.reduce(0) { $0 + $1.bufferBytes } <= budget)
        #expect(huge.allSatisfy { $0.bufferBytes == 2 << 10 })          // floored: writes stay a few KiB
    }

    /// Frames written through many small buffers at once (as partitions are) come back per file, in order.
    @Test func interleavedFilesKeepTheirOwnFrames() throws {
        let scratch = try TemporaryDirectory()
        let files = SpillFile.set(count: 5, budget: 5 * 2048) { scratch.path + "/p\($0).spill" }
        var expected = [[[UInt8]]](repeating: [], count: files.count)
        for i in 0..<3000 {
            let frame = (0..<(i % 700)).map { UInt8(truncatingIfNeeded: $0 ^ i) }
            try files[i % 5 == 0 ? 0 : i % 3 + 1].appendFrame(frame)
            expected[i % 5 == 0 ? 0 : i % 3 + 1].append(frame)
        }
        for (k, file) in files.enumerated() {
            try file.finishWriting()
            var back: [[UInt8]] = []
            try file.forEachFrame { back.append($0) }
            #expect(back == expected[k])
            #expect(file.count == expected[k].count)
        }
    }
}

/// The memory figures the phase log reports are read from the kernel, and trimming is safe to call.
@Suite struct ProcessMemoryTests {
    @Test func residentAndPeakAreReadAndOrdered() throws {
        let resident = try #require(ProcessMemory.residentBytes)
        let peak = try #require(ProcessMemory.peakResidentBytes)
        #expect(resident > 1 << 20)       // a test process holds more than a megabyte
        #expect(peak >= resident - (1 << 20))
        // A 64 MiB block touched and freed raises the peak by about that much, and trimming after it
        // leaves the process running with the same peak.
        let before = try #require(ProcessMemory.peakResidentBytes)
        var block = [UInt8](repeating: 1, count: 64 << 20)
        block[block.count - 1] = 2
        #expect(block.last == 2)
        block = []
        ProcessMemory.releaseFreedMemory()
        let after = try #require(ProcessMemory.peakResidentBytes)
        #expect(after >= before)
        #expect(after >= 60 << 20)
    }
}
