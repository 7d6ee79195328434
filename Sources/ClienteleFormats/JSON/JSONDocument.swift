/// Strict RFC 8259 parsing of a whole, in-memory JSON text (any top-level value), for documents
/// and tests.
///
/// Accepted: exactly one value of any kind, surrounded by optional whitespace (space, tab, LF,
/// CR). Rejected: trailing commas, leading zeros, `NaN`/`Infinity`, unescaped control characters,
/// invalid escapes, invalid UTF-8 anywhere, a byte-order mark (RFC 8259 §8.1: senders must not
/// add one; the record reader skips one at the start of a file), a lone surrogate escape
/// (`"\uD800"` cannot be a Swift `String`), and nesting deeper than `maxDepth`.
///
/// Of the 35 implementation-defined `i_*` cases of JSONTestSuite, 11 are accepted: the ten number
/// cases with huge or tiny exponents or huge integers (numbers are kept as their literal text, never
/// converted, so range does not matter) and `i_structure_500_nested_arrays` (within the default
/// depth of 512). The other 24 are rejected on purpose: lone or reversed surrogate escapes (a
/// `String` cannot hold them), invalid or overlong UTF-8 and UTF-16/UTF-32 input (strict UTF-8),
/// and a UTF-8 BOM (not part of a JSON text). `JSONConformanceTests` pins the list.
///
/// ```swift
/// let value = try JSONDocument.parse(Array(#"{"id": "R1", "amount": 100.50}"#.utf8))
/// value["amount"]   // .number("100.50")
/// ```
public enum JSONDocument {
    /// Parses `bytes` as one JSON text.
    ///
    /// - Parameters:
    ///   - bytes: the whole text, UTF-8.
    ///   - maxDepth: the deepest nesting of arrays and objects accepted.
    /// - Throws: ``JSONSyntaxError`` naming the first problem and its byte offset.
    public static func parse(_ bytes: UnsafeRawBufferPointer, maxDepth: Int = 512) throws(JSONSyntaxError) -> JSONValue {
        var tokenizer = JSONTokenizer(maxDepth: maxDepth)
        var builder = JSONValueBuilder()
        var rest = bytes
        var result: JSONValue?
        while true {
            let step = tokenizer.next(rest)
            rest = UnsafeRawBufferPointer(rebasing: rest[step.consumed...])
            var event = step.event
            switch event {
            case .needMore:
                event = tokenizer.finish()
                if event == .end { break }
            case .invalidUTF8:
                throw JSONSyntaxError(
                    byteOffset: tokenizer.invalidUTF8Offset, line: tokenizer.line, message: "invalid UTF-8 in a string")
            default:
                break
            }
            switch event {
            case .end:
                guard let result else { preconditionFailure("tokenizer ended without a value") }
                return result
            case .error:
                let failure = tokenizer.failure!
                throw JSONSyntaxError(byteOffset: failure.byteOffset, line: failure.line, message: failure.message)
            default:
                let token = UnsafeRawBufferPointer(rebasing: bytes[tokenizer.tokenStart..<tokenizer.offset])
                let value = builder.accept(
                    event, token: token, escaped: tokenizer.lastStringHasEscapes, tokenOffset: tokenizer.tokenStart)
                if let offset = builder.loneSurrogateOffset {
                    throw JSONSyntaxError(
                        byteOffset: offset, line: tokenizer.line,
                        message: "lone surrogate escape in a string (not a Unicode scalar)")
                }
                if let value { result = value }
            }
        }
    }

    /// Parses `bytes` as one JSON text; see ``parse(_:maxDepth:)-(UnsafeRawBufferPointer,_)``.
    public static func parse(_ bytes: [UInt8], maxDepth: Int = 512) throws(JSONSyntaxError) -> JSONValue {
        var outcome: Result<JSONValue, JSONSyntaxError>!
        bytes.withUnsafeBytes { raw in
            do throws(JSONSyntaxError) { outcome = .success(try parse(raw, maxDepth: maxDepth)) } catch {
                outcome = .failure(error)
            }
        }
        return try outcome.get()
    }
}
