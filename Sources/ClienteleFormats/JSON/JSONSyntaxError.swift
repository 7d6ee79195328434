/// Why a JSON text was rejected by ``JSONDocument/parse(_:maxDepth:)-(UnsafeRawBufferPointer,_)``, and where.
public struct JSONSyntaxError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 0-based offset of the offending byte (or of the end of input).
    public var byteOffset: Int
    /// 1-based line of the offending byte.
    public var line: Int
    /// What is wrong, e.g. `unexpected ',', expected a value`.
    public var message: String

    public init(byteOffset: Int, line: Int, message: String) {
        self.byteOffset = byteOffset
        self.line = line
        self.message = message
    }

    public var description: String { "line \(line), byte \(byteOffset): \(message)" }
}
