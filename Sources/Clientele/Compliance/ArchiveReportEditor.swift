import ClienteleFormats
import ClienteleIO

/// Carries an archive's `report.json` over to an archive derived from it (`erase`): the counts
/// lose the rejected records that were dropped (so `read = written + merged + rejected` and the
/// line counts of the files still agree), the outputs are measured again, the command is noted,
/// and timing stays last, the only part that differs between identical runs.
///
/// ```swift
/// var editor = try ArchiveReportEditor(path: "old/report.json")
/// editor.removeRejected(file: "feed.csv", codes: ["email.duplicate"])
/// editor.append(to: "erasures", .object([…]))
/// try editor.write(to: "new/report.json", command: "erase", outputsIn: "new", timing: …)
/// ```
struct ArchiveReportEditor {
    private(set) var members: [JSONMember]

    /// - Throws: ``ClienteleError`` when the report cannot be read (66) or is not a JSON object (65).
    init(path: String) throws(ClienteleError) {
        var bytes: [UInt8] = []
        do {
            let source = try FileByteSource(path: path)
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let n = try source.read(into: &buffer)
                if n == 0 { break }
                bytes += buffer[0..<n]
            }
        } catch {
            throw .io(error)
        }
        guard case let .object(members)? = try? JSONDocument.parse(bytes) else {
            throw .format(.malformed(file: path, line: 1, byteOffset: 0, detail: "not a Clientele report (a JSON object)"))
        }
        self.members = members
    }

    subscript(key: String) -> JSONValue? {
        get { members.last(where: { $0.key == key })?.value }
        set {
            if let i = members.lastIndex(where: { $0.key == key }) {
                if let newValue { members[i].value = newValue } else { members.remove(at: i) }
            } else if let newValue {
                // New members go before `timing`, which stays last.
                let at = members.firstIndex(where: { $0.key == "timing" }) ?? members.count
                members.insert(JSONMember(key, newValue), at: at)
            }
        }
    }

    /// The input files the report says were CSV (their rejects are also rows of `rejects.csv`).
    var csvInputs: Set<String> {
        guard case let .array(inputs)? = self["inputs"] else { return [] }
        return Set(inputs.compactMap { $0["format"]?.stringValue == "csv" ? $0["file"]?.stringValue : nil })
    }

    /// Takes one rejected record of `file`, with errors `codes`, out of the counts.
    mutating func removeRejected(file: String, codes: [String]) {
        if let totals = self["totals"] { self["totals"] = Self.lessOne(totals) }
        if case var .array(inputs)? = self["inputs"],
           let i = inputs.firstIndex(where: { $0["file"]?.stringValue == file && ($0["counts"]?["rejected"]?.intValue ?? 0) > 0 }),
           case var .object(input) = inputs[i], let c = input.firstIndex(where: { $0.key == "counts" }) {
            input[c].value = Self.lessOne(input[c].value)
            inputs[i] = .object(input)
            self["inputs"] = .array(inputs)
        }
        if case var .object(errors)? = self["errors"] {
            for code in Set(codes) {
                guard let i = errors.firstIndex(where: { $0.key == code }) else { continue }
                let n = (errors[i].value.intValue ?? 1) - 1
                if n > 0 { errors[i].value = .number(String(n)) } else { errors.remove(at: i) }
            }
            self["errors"] = .object(errors)
        }
    }

    /// Appends `value` to the list under `key` (made when missing).
    mutating func append(to key: String, _ value: JSONValue) {
        if case let .array(items)? = self[key] { self[key] = .array(items + [value]) } else { self[key] = .array([value]) }
    }

    /// Writes the report, one top-level member a line like `import`'s, with `outputs` measured
    /// from the files `outputNames` in `directory`.
    func write(to path: String, command: String, directory: String, outputNames: [String], timing: JSONValue) throws(IOError) {
        var copy = self
        copy["command"] = .string(command)
        copy["outputs"] = .array(outputNames.sorted().map { name in
            let file = directory + "/" + name
            return .object([JSONMember("file", .string(name)), JSONMember("bytes", .number(String(FileSystem.fileSize(file) ?? 0))),
                            JSONMember("sha256", .string(ImportJob.sha256(ofFile: file) ?? ""))])
        })
        copy["timing"] = nil
        copy.members.append(JSONMember("timing", timing))
        var out = "{\n"
        for (i, m) in copy.members.enumerated() {
            var w = JSONTextWriter()
            w.writeString(m.key)
            w.writeRaw(": ")
            w.write(m.value)
            out += "  " + String(decoding: w.bytes, as: UTF8.self) + (i < copy.members.count - 1 ? ",\n" : "\n")
        }
        let sink = try FileByteSink(path: path)
        try sink.write(out + "}\n")
        try sink.close()
    }

    private static func lessOne(_ counts: JSONValue) -> JSONValue {
        guard case var .object(m) = counts else { return counts }
        for key in ["read", "rejected"] {
            if let i = m.firstIndex(where: { $0.key == key }), let n = m[i].value.intValue { m[i].value = .number(String(max(0, n - 1))) }
        }
        let value = JSONValue.object(m)
        if let i = m.firstIndex(where: { $0.key == "balanced" }) {
            let n = { (k: String) in value[k]?.intValue ?? 0 }
            m[i].value = .bool(n("read") == n("written") + n("merged") + n("rejected"))
        }
        return .object(m)
    }
}
