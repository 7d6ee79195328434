import ClienteleFormats

/// `report.json` (SPEC §4): the tool, the options, per-file and total counts, counts by code,
/// merge groups, inputs and outputs with bytes and SHA-256, and — last, under `timing`, the only
/// part that differs between two identical runs — wall time and records per second.
struct RunReport {
    static let toolVersion = "0.1.0"

    let summary: ImportSummary
    let options: ImportOptions

    var json: JSONValue {
        func counts(_ c: RunCounts) -> JSONValue {
            .object([JSONMember("read", num(c.read)), JSONMember("written", num(c.written)),
                     JSONMember("merged", num(c.merged)), JSONMember("rejected", num(c.rejected)),
                     JSONMember("balanced", .bool(c.balances))])
        }
        func codes(_ d: [String: Int]) -> JSONValue { .object(d.keys.sorted().map { JSONMember($0, num(d[$0]!)) }) }
        var opts: [JSONMember] = [
            JSONMember("profile", .string(options.profile)),
        ]
        if let mapping = options.mappingFile { opts.append(JSONMember("mapping", .string(mapping))) }
        opts += [
            JSONMember("system", .string(options.effectiveSystem)),
            JSONMember("format", .string(options.format.rawValue)), JSONMember("gzip", .bool(options.gzip)),
            JSONMember("onDuplicate", .string(options.onDuplicate.rawValue)),
            JSONMember("maxErrors", options.maxErrors.map(num) ?? .null),
            JSONMember("encoding", .string(options.encoding.rawValue)),
            JSONMember("maxRecordBytes", num(options.maxRecordBytes)),
            JSONMember("refKey", .string(summary.usedDefaultRefKey ? "built-in (supply --ref-key-file to make refs unguessable)" : "from --ref-key-file")),
        ]
        if let d = options.delimiter { opts.append(JSONMember("delimiter", .string(String(UnicodeScalar(d))))) }
        let inputs: [JSONValue] = summary.inputs.map { f in
            .object([JSONMember("file", .string(f.path)), JSONMember("format", .string(f.format)), JSONMember("gzip", .bool(f.gzip)),
                     JSONMember("bytes", num(Int(f.bytes))), JSONMember("sha256", f.sha256.map { .string($0) } ?? .null),
                     JSONMember("counts", counts(f.counts)),
                     JSONMember("unknownFields", .array(f.unknownFields.map { .string($0) }))])
        }
        let outputs: [JSONValue] = summary.outputs.map { f in
            .object([JSONMember("file", .string(f.path)), JSONMember("bytes", num(Int(f.bytes))), JSONMember("sha256", .string(f.sha256))])
        }
        let rate = (summary.recordsPerSecond * 10).rounded() / 10
        return .object([
            JSONMember("tool", .string("clientele")), JSONMember("version", .string(RunReport.toolVersion)),
            JSONMember("command", .string("import")),
            JSONMember("options", .object(opts)),
            JSONMember("totals", counts(summary.totals)),
            JSONMember("errors", codes(summary.errorCounts)),
            JSONMember("warnings", codes(summary.warningCounts)),
            JSONMember("mergeGroups", .object([JSONMember("count", num(summary.mergeGroups)),
                                               JSONMember("largest", num(summary.largestMergeGroup))])),
            JSONMember("inputs", .array(inputs)),
            JSONMember("outputs", .array(outputs)),
            JSONMember("timing", .object([JSONMember("wallSeconds", .number(String((summary.wallSeconds * 1000).rounded() / 1000))),
                                          JSONMember("recordsPerSecond", .number(String(rate)))])),
        ])
    }

    /// Pretty enough for people (one member per line at the top level), stable for machines.
    func jsonText() -> String {
        guard case let .object(members) = json else { return "" }
        var out = "{\n"
        for (i, m) in members.enumerated() {
            var w = JSONTextWriter()
            w.writeString(m.key)
            w.writeRaw(": ")
            w.write(m.value)
            out += "  " + String(decoding: w.bytes, as: UTF8.self) + (i < members.count - 1 ? ",\n" : "\n")
        }
        return out + "}\n"
    }
}

private func num(_ n: Int) -> JSONValue { .number(String(n)) }
