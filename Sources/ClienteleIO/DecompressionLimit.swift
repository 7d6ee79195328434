/// Bounds on decompression, against gzip bombs.
///
/// The ratio check waits until the output passes `ratioGraceBytes`, so small, highly
/// repetitive files (a column of identical values compresses well) are never refused.
///
/// ```swift
/// var limit = DecompressionLimit.default
/// limit.maxOutputBytes = 10 << 30        // refuse more than 10 GiB of output
/// let source = try GzipByteSource(wrapping: file, limit: limit)
/// ```
public struct DecompressionLimit: Sendable, Equatable {
    /// An absolute limit on the decompressed size; `nil` sets none.
    public var maxOutputBytes: Int64?
    /// The largest allowed output/input ratio, checked once the output passes `ratioGraceBytes`.
    public var maxRatio: Int
    /// Output below this size is never checked against `maxRatio`.
    public var ratioGraceBytes: Int64

    public init(maxOutputBytes: Int64? = nil, maxRatio: Int = 200, ratioGraceBytes: Int64 = 64 << 20) {
        self.maxOutputBytes = maxOutputBytes
        self.maxRatio = maxRatio
        self.ratioGraceBytes = ratioGraceBytes
    }

    /// No absolute limit, ratio 200, grace 64 MiB.
    public static let `default` = DecompressionLimit()

    /// No limit at all (for trusted input such as the tool's own archives).
    public static let unlimited = DecompressionLimit(maxOutputBytes: nil, maxRatio: .max, ratioGraceBytes: .max)
}
