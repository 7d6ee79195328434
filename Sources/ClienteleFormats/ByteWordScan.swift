/// Bit tests over eight bytes at once (bit-twiddling's "has a zero byte" and "has a byte less than
/// n"), for the scanners that look for a few stop bytes in long runs of ordinary text: the CSV
/// tokenizer's field copy and the JSON writer's escape check. Each test is exact for the word as a
/// whole: nonzero if and only if some byte matches.
///
/// ```swift
/// let w = UInt64(0x41_41_2C_41_41_41_41_41)          // "AAAAA,AA", little-endian
/// ByteWordScan.bytes(of: w, equalTo: UInt8(ascii: ",")) != 0   // true
/// ByteWordScan.bytes(of: w, below: 0x20) != 0                  // false
/// ```
enum ByteWordScan {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Nonzero when a byte of `word` is `byte`.
    @inline(__always)
    static func bytes(of word: UInt64, equalTo byte: UInt8) -> UInt64 {
        let x = word ^ (ones &* UInt64(byte))
        return (x &- ones) & ~x & highs
    }

    /// Nonzero when a byte of `word` is less than `limit` (at most 128).
    @inline(__always)
    static func bytes(of word: UInt64, below limit: UInt8) -> UInt64 {
        (word &- ones &* UInt64(limit)) & ~word & highs
    }
}
