import Testing
import ClienteleTestSupport
@testable import ClienteleFormats

/// The tokenizer must give the same events, token ranges and failures whatever the chunking:
/// it can be suspended at any byte boundary.
@Suite struct JSONTokenizerTests {
    struct Trace: Equatable {
        var events: [String] = []
    }

    static func trace(_ bytes: [UInt8], chunks: [Int], maxDepth: Int = 512) -> Trace {
        var trace = Trace()
        var tokenizer = JSONTokenizer(maxDepth: maxDepth)
        var position = 0
        var chunkIndex = 0
        var pending: [UInt8] = []  // bytes fed but not consumed, fed again with the next chunk
        while true {
            let size = chunks.isEmpty ? bytes.count : chunks[chunkIndex % chunks.count]
            chunkIndex += 1
            let take = min(size, bytes.count - position)
            pending += bytes[position..<(position + take)]
            position += take
            var stop = false
            while true {
                let step = pending.withUnsafeBytes { tokenizer.next($0) }
                pending.removeFirst(step.consumed)
                var event = step.event
                if event == .needMore {
                    if position < bytes.count { break }
                    event = tokenizer.finish()
                }
                switch event {
                case .end: trace.events.append("end"); stop = true
                case .error:
                    let f = tokenizer.failure!
                    trace.events.append("error \(f.kind) @\(f.byteOffset) line \(f.line): \(f.message)")
                    stop = true
                case .invalidUTF8: trace.events.append("utf8 @\(tokenizer.invalidUTF8Offset)")
                default:
                    trace.events.append("\(event) \(tokenizer.tokenStart)..<\(tokenizer.offset) esc=\(tokenizer.lastStringHasEscapes) depth=\(tokenizer.depth)")
                }
                if stop { break }
            }
            if stop { return trace }
        }
    }

    static let samples: [String] = [
        #"{"a":[1,-0.5e+3,true,false,null],"b\"\u00e9\uD83D\uDE00":{"c":"München 😀"}}"#,
        " [ 0 , 10.25E-2 , \"x\\ty\" ]\r\n",
        "123", "-0", "1e5 ", "\"\\u12G4\"", "[1,]", "{\"a\" 1}", "[01]", "[\"a\u{1}\"]", "nul", "[true false]",
        "[[[[[[1]]]]]]", "{\"k\":\"é\"}  x",
    ]

    @Test(arguments: samples)
    func sameTraceForEveryChunking(_ text: String) {
        let bytes = Array(text.utf8)
        let whole = Self.trace(bytes, chunks: [])
        #expect(Self.trace(bytes, chunks: [1]) == whole)
        for seed in UInt64(1)...8 {
            var rng = SplitMix64(seed: seed)
            let chunks = (0..<16).map { _ in Int(rng.next() % 8) + 1 }
            #expect(Self.trace(bytes, chunks: chunks) == whole, "seed \(seed)")
        }
    }

    @Test func invalidUTF8IsReportedAndSkippedAtAnyBoundary() {
        let bytes: [UInt8] = [0x5B, 0x22, 0xF0, 0x9F, 0x98, 0x22, 0x2C, 0x22, 0xFF, 0x41, 0x22, 0x5D]
        let whole = Self.trace(bytes, chunks: [])
        #expect(whole.events.filter { $0.hasPrefix("utf8") } == ["utf8 @2", "utf8 @8"])
        #expect(whole.events.last == "end")
        #expect(Self.trace(bytes, chunks: [1]) == whole)
        #expect(Self.trace(bytes, chunks: [2, 3]) == whole)
    }

    @Test func depthLimit() {
        let trace = Self.trace(Array("[[[1]]]".utf8), chunks: [1], maxDepth: 2)
        #expect(trace.events.last == "error tooDeep @2 line 1: nesting deeper than 2 levels")
    }
}
