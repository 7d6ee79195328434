import ClienteleTestSupport
import Testing
@testable import Clientele

/// Spill files give back every frame in order, whatever its size against the write buffer.
@Suite struct SpillFileTests {
    @Test func framesOfEverySizeAroundTheBufferComeBackInOrder() throws {
        let scratch = try TemporaryDirectory()
        let file = SpillFile(path: scratch.path + "/f.spill")
        let limit = SpillFile.flushBytes
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
}
