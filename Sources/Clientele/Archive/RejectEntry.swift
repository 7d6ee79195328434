import ClienteleFormats
import ClienteleModel

/// A rejected input record with its reasons, as it waits in a spill file and as the rejects
/// files show it.
struct RejectEntry {
    var seq: Int
    var fileIndex: Int
    var line: Int
    var record: Int
    var issues: [ValidationIssue]
    /// The input's own record: a CSV row's columns in order, or the JSON object as read.
    var raw: JSONValue
    var isCSV: Bool

    init(seq: Int, fileIndex: Int, line: Int, record: Int, issues: [ValidationIssue], raw: JSONValue, isCSV: Bool) {
        self.seq = seq
        self.fileIndex = fileIndex
        self.line = line
        self.record = record
        self.issues = issues
        self.raw = raw
        self.isCSV = isCSV
    }

    var envelope: JSONValue {
        .object([JSONMember("s", .number(String(seq))), JSONMember("f", .number(String(fileIndex))),
                 JSONMember("l", .number(String(line))), JSONMember("r", .number(String(record))),
                 JSONMember("csv", .bool(isCSV)),
                 JSONMember("e", .array(issues.map { .array([.string($0.code.rawValue), .string($0.field), .string($0.message)]) })),
                 JSONMember("raw", raw)])
    }

    init(envelope v: JSONValue) {
        seq = v["s"]?.intValue ?? 0
        fileIndex = v["f"]?.intValue ?? 0
        line = v["l"]?.intValue ?? 0
        record = v["r"]?.intValue ?? 0
        isCSV = v["csv"] == .bool(true)
        raw = v["raw"] ?? .null
        issues = []
        if case let .array(items)? = v["e"] {
            for item in items {
                guard case let .array(parts) = item, parts.count == 3,
                    let code = parts[0].stringValue.flatMap(IssueCode.init(rawValue:))
                else { continue }
                issues.append(ValidationIssue(code, field: parts[1].stringValue ?? "", parts[2].stringValue ?? ""))
            }
        }
    }
}
