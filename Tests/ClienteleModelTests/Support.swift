import ClienteleFormats
import ClienteleModel

/// Parses JSON text written in a test (member order kept, as the mapper sees it).
func json(_ text: String) -> JSONValue {
    do {
        return try JSONDocument.parse(Array(text.utf8))
    } catch {
        fatalError("bad JSON in test: \(error): \(text)")
    }
}

/// Maps JSON text with a default mapper.
func mapJSON(_ text: String) -> MappedRecord { CanonicalMapper().map(json(text)) }

extension MappedRecord {
    /// `code field` strings of every issue, in the order found.
    var issueList: [String] { issues.map { "\($0.code.rawValue) \($0.field)" } }
}
