import ClienteleFormats

/// A home-grown layout described by a mapping file (`--mapping FILE`, SPEC §6): which column (or,
/// for JSON, which dotted path) carries which canonical field, in which date format, with which
/// value spellings, plus constant fields and columns to ignore.
///
/// ```json
/// {
///   "name": "legacy-shop",
///   "delimiter": ";",
///   "encoding": "windows-1252",
///   "dateFormat": "dd.MM.yyyy",
///   "timestampFormat": "dd.MM.yyyy HH:mm",
///   "decimalComma": true,
///   "fields": {
///     "Kundennr": "id",
///     "E-Mail": "email",
///     "Geburtstag": "dateOfBirth",
///     "Anrede": {"field": "salutation", "values": {"Herr": "Mr", "Frau": "Ms"}},
///     "Newsletter": {"field": "acceptsMarketing", "values": {"ja": "true", "nein": "false"}},
///     "Gruppen": {"field": "groups", "split": ","},
///     "Fax": {"field": "attributes.fax", "optional": true}
///   },
///   "constants": {"addresses.0.country": "DE"},
///   "ignore": ["Letzter Login"]
/// }
/// ```
///
/// Every mistake is reported with the key it is under (`fields."Geburtstag".field: 'dateofbirth'
/// is not a canonical field; did you mean 'dateOfBirth'?`), before any input is read. A constant
/// inside a list item (`addresses.0.country`) is only set where the record has that item. A column the
/// mapping names must be in each CSV header unless it is `optional`. Export writes the same columns.
public struct MappingProfile: CustomerProfile {
    public let name: String
    public let input: ProfileInput
    public let entries: [Entry]
    public let constants: [(field: String, value: String)]
    public let ignored: Set<String>

    /// One `fields` entry.
    public struct Entry: Sendable {
        public let source: String
        public let field: String
        public let convention: ValueConvention
        public let optional: Bool
    }

    public var summary: String { "the layout described by a mapping file" }

    /// Reads a mapping file's bytes; `file` names it in errors.
    public init(json bytes: [UInt8], file: String) throws(MappingFileError) {
        func fail(_ key: String, _ detail: String) -> MappingFileError { MappingFileError(file: file, key: key, detail: detail) }
        let document: JSONValue
        do { document = try JSONDocument.parse(bytes, maxDepth: 16) } catch {
            throw fail("", "not valid JSON: \(error)")
        }
        guard case let .object(top) = document else { throw fail("", "a mapping file is one JSON object") }
        let knownKeys: Set<String> = ["name", "description", "format", "delimiter", "encoding", "dateFormat", "timestampFormat", "decimalComma", "fields", "constants", "ignore"]
        for member in top where !knownKeys.contains(member.key) {
            throw fail(member.key, "unknown key; a mapping has \(knownKeys.sorted().joined(separator: ", "))")
        }
        func string(_ key: String) throws(MappingFileError) -> String? {
            guard let v = document[key] else { return nil }
            guard case let .string(s) = v else { throw fail(key, "must be a string") }
            return s
        }
        func pattern(_ key: String, _ text: String?) throws(MappingFileError) -> DatePattern? {
            guard let text else { return nil }
            do { return try DatePattern(text) } catch { throw fail(key, error.description) }
        }
        name = try string("name") ?? "mapping"
        guard !name.isEmpty, !name.contains(where: { $0 == "," || $0 == "\n" }) else { throw fail("name", "must be a non-empty name without commas") }
        var format = ProfileInput.Format.any
        switch try string("format") {
        case nil: break
        case "csv": format = .csv
        case "json": format = .json
        case let other?: throw fail("format", "'\(other)' is not csv or json (XML inputs use a profile)")
        }
        var delimiter: UInt8?
        if let d = try string("delimiter") {
            let b = d == "\\t" || d == "tab" ? [UInt8(9)] : Array(d.utf8)
            guard b.count == 1, b[0] != UInt8(ascii: "\""), b[0] != 10, b[0] != 13 else { throw fail("delimiter", "must be one character other than a quote or a line break") }
            delimiter = b[0]
        }
        var encoding: TextEncoding?
        if let e = try string("encoding") {
            guard let known = TextEncoding(rawValue: e.lowercased()) else {
                throw fail("encoding", "'\(e)' is not one of \(TextEncoding.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            encoding = known
        }
        // A delimiter or an encoding only means something for CSV: such a mapping reads CSV only.
        if format == .any, delimiter != nil || encoding != nil { format = .csv }
        input = ProfileInput(format: format, delimiter: delimiter, encoding: encoding)
        let datePattern = try pattern("dateFormat", try string("dateFormat"))
        let timePattern = try pattern("timestampFormat", try string("timestampFormat"))
        var decimalComma = false
        if let v = document["decimalComma"] {
            guard case let .bool(b) = v else { throw fail("decimalComma", "must be true or false") }
            decimalComma = b
        }

        guard case let .object(fieldMembers)? = document["fields"], !fieldMembers.isEmpty else {
            throw fail("fields", "required: an object of input columns (or JSON paths) to canonical fields")
        }
        var entries: [Entry] = []
        for member in fieldMembers {
            let key = "fields.\"\(member.key)\""
            guard !member.key.isEmpty else { throw fail(key, "an input column needs a name") }
            var field: String
            var values: [(String, String)] = []
            var split: String?
            var optional = false
            var ownPattern: DatePattern?
            switch member.value {
            case let .string(s): field = s
            case let .object(options):
                guard case let .string(s)? = member.value["field"] else { throw fail(key + ".field", "required: the canonical field") }
                field = s
                for option in options {
                    switch (option.key, option.value) {
                    case ("field", _): break
                    case let ("values", .object(pairs)):
                        for pair in pairs {
                            guard case let .string(v) = pair.value else { throw fail(key + ".values.\"\(pair.key)\"", "must be a string") }
                            values.append((pair.key, v))
                        }
                    case let ("split", .string(s)) where !s.isEmpty: split = s
                    case let ("optional", .bool(b)): optional = b
                    case let ("dateFormat", .string(s)): ownPattern = try pattern(key + ".dateFormat", s)
                    case ("values", _): throw fail(key + ".values", "must be an object of input values to canonical values")
                    case ("split", _): throw fail(key + ".split", "must be a non-empty string")
                    case ("optional", _): throw fail(key + ".optional", "must be true or false")
                    case ("dateFormat", _): throw fail(key + ".dateFormat", "must be a string")
                    default: throw fail(key + "." + option.key, "unknown option; a field has field, values, split, dateFormat, optional")
                    }
                }
            default:
                throw fail(key, "must be a canonical field name or an object with \"field\"")
            }
            let kind: CanonicalFieldKind
            do throws(CanonicalFieldKind.Unknown) { kind = try CanonicalFieldKind.of(field) } catch { throw fail(member.value.isObject ? key + ".field" : key, error.detail) }
            if split != nil, kind != .list { throw fail(key + ".split", "only list fields (groups, sites, wishlist) are split") }
            let convention: ValueConvention
            switch kind {
            case .date:
                guard let p = ownPattern ?? datePattern else {
                    throw fail(key, "\(field) needs a date format: give \"dateFormat\" here or at the top (dates are never guessed)")
                }
                convention = values.isEmpty ? .date(p) : .mapped(values)
            case .timestamp:
                if let p = ownPattern ?? timePattern, values.isEmpty { convention = .timestamp(p) } else { convention = values.isEmpty ? .text : .mapped(values) }
            case .list: convention = .list(separator: split ?? "\u{0}")
            case .amount: convention = values.isEmpty && decimalComma ? .decimalComma : (values.isEmpty ? .text : .mapped(values))
            default: convention = values.isEmpty ? .text : .mapped(values)
            }
            if !values.isEmpty, case .date = kind { throw fail(key + ".values", "a date field takes a dateFormat, not values") }
            entries.append(Entry(source: member.key, field: field, convention: convention, optional: optional))
        }
        var seen: [String: String] = [:]
        for e in entries where CanonicalFieldKind.isSingle(e.field) {
            if let other = seen[e.field] { throw fail("fields.\"\(e.source)\"", "'\(e.field)' is already read from \"\(other)\"") }
            seen[e.field] = e.source
        }
        self.entries = entries

        var constants: [(String, String)] = []
        if let c = document["constants"] {
            guard case let .object(pairs) = c else { throw fail("constants", "must be an object of canonical fields to values") }
            for pair in pairs {
                let key = "constants.\"\(pair.key)\""
                do throws(CanonicalFieldKind.Unknown) { _ = try CanonicalFieldKind.of(pair.key) } catch { throw fail(key, error.detail) }
                switch pair.value {
                case let .string(s): constants.append((pair.key, s))
                case let .bool(b): constants.append((pair.key, b ? "true" : "false"))
                case let .number(n): constants.append((pair.key, n))
                default: throw fail(key, "must be a string, number or boolean")
                }
            }
        }
        self.constants = constants
        var ignored = Set<String>()
        if let i = document["ignore"] {
            guard case let .array(items) = i else { throw fail("ignore", "must be a list of column names") }
            for (k, item) in items.enumerated() {
                guard case let .string(s) = item else { throw fail("ignore.\(k)", "must be a string") }
                ignored.insert(s)
            }
        }
        self.ignored = ignored
    }

    public func headerProblem(_ columns: CSVColumns) -> String? {
        let missing = entries.filter { !$0.optional && !columns.contains($0.source) }.map(\.source)
        guard !missing.isEmpty else { return nil }
        return "the mapping reads \(missing.map { "'\($0)'" }.joined(separator: ", ")), which the header does not have"
            + " (mark a column \"optional\": true in the mapping if files may lack it)"
    }

    public func unknownColumns(_ columns: CSVColumns) -> [String] {
        let known = Set(entries.map(\.source)).union(ignored)
        return columns.names.filter { !$0.isEmpty && !known.contains($0) }
    }

    public func draft(from record: ProfileRecord) -> CanonicalDraft {
        var draft = CanonicalDraft()
        switch record {
        case let .rows(group):
            let row = group.first
            for e in entries { ColumnTable.read(row[e.source], column: e.source, field: e.field, e.convention, into: &draft) }
        case let .tree(value):
            var cells: [String: String] = [:]
            for (path, v) in FlatColumns.flatten(value) { cells[path] = v }
            for e in entries {
                if let v = cells[e.source] {
                    ColumnTable.read(v, column: e.source, field: e.field, e.convention, into: &draft)
                } else if case .list = e.convention {
                    var k = 0
                    while let item = cells["\(e.source).\(k)"] { draft.append(e.field, item); k += 1 }
                }
            }
        }
        // A constant inside a list item (`addresses.0.country`, `orders.totals.0.currency`) completes an
        // item the record has; alone it would make a half item (a currency without an amount).
        for (field, value) in constants {
            if let item = Self.listItem(of: field), !draft.has(item) { continue }
            draft.set(field, value)
        }
        return draft
    }

    /// The list item a field path lies in (`addresses.0` for `addresses.0.city`), if any.
    static func listItem(of path: String) -> String? {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 3, parts[0] == "addresses" || parts[0] == "notes" { return parts[0...1].joined(separator: ".") }
        if parts.count == 4, parts[0] == "orders", parts[1] == "totals" { return parts[0...2].joined(separator: ".") }
        return nil
    }

    public var export: ProfileExport { .csv(header: entries.map(\.source), delimiter: input.delimiter ?? UInt8(ascii: ",")) }

    public func exportRecord(_ customer: CustomerRecord) -> ExportedRecord {
        let cells = CanonicalCells(customer)
        return .rows([entries.map { e in
            // A list column without `split` holds one item: the first is written.
            if case .list(separator: "\u{0}") = e.convention { return cells.list(e.field).first ?? "" }
            return ColumnTable.write(cells, field: e.field, e.convention) ?? ""
        }])
    }
}

extension JSONValue {
    var isObject: Bool { if case .object = self { return true } else { return false } }
}

/// A mistake in a mapping file, with the key it is under.
public struct MappingFileError: Error, Sendable, CustomStringConvertible {
    public let file: String
    /// The JSON key path of the mistake (`fields."Geburtstag".field`), empty for the whole file.
    public let key: String
    public let detail: String

    public var description: String { "mapping \(file)" + (key.isEmpty ? "" : ": \(key)") + ": \(detail)" }
}

/// What kind of value a canonical field holds, for reading it from a mapped column.
enum CanonicalFieldKind: Equatable {
    case text, date, timestamp, flag, list, amount

    struct Unknown: Error { let detail: String }

    static let topLevel: [String: CanonicalFieldKind] = [
        "id": .text, "ref": .text, "kind": .text, "email": .text, "username": .text, "passwordHash": .text,
        "password": .text, "status": .text, "salutation": .text, "firstName": .text, "middleName": .text,
        "lastName": .text, "gender": .text, "dateOfBirth": .date, "phone": .text, "company": .text, "taxVat": .text,
        "locale": .text, "groups": .list, "sites": .list, "wishlist": .list, "acceptsMarketing": .flag,
        "passwordResetRequired": .flag, "createdAt": .timestamp, "updatedAt": .timestamp,
    ]
    static let addressFields: [String: CanonicalFieldKind] = [
        "firstName": .text, "lastName": .text, "company": .text, "street1": .text, "street2": .text, "city": .text,
        "region": .text, "postalCode": .text, "country": .text, "phone": .text, "defaultBilling": .flag, "defaultShipping": .flag,
    ]

    /// Whether only one column may feed the field (lists and attributes collect).
    static func isSingle(_ field: String) -> Bool { (try? of(field)) != .list }

    static func of(_ path: String) throws(Unknown) -> CanonicalFieldKind {
        let parts = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        func index(_ s: String) -> Bool { Int(s).map { $0 >= 0 && $0 < 100 } ?? false }
        func unknown() -> Unknown {
            let all = topLevel.keys.sorted() + ["addresses.N.<\(addressFields.keys.sorted().joined(separator: "|"))>",
                      "notes.N.text", "notes.N.createdAt", "orders.count", "orders.lastOrderAt", "orders.totals.N.currency",
                      "orders.totals.N.amount", "storeCredit.currency", "storeCredit.amount", "passwordHash.algorithm",
                      "passwordHash.value", "attributes.<name>"]
            if let near = topLevel.keys.first(where: { $0.lowercased() == parts[0].lowercased() }), near != parts[0] {
                return Unknown(detail: "'\(path)' is not a canonical field; did you mean '\(([near] + parts.dropFirst()).joined(separator: "."))'?")
            }
            return Unknown(detail: "'\(path)' is not a canonical field (fields: \(all.joined(separator: ", ")))")
        }
        switch parts.count {
        case 1:
            guard let kind = topLevel[parts[0]] else { throw unknown() }
            return kind
        case 2:
            switch parts[0] {
            case "passwordHash" where parts[1] == "algorithm" || parts[1] == "value": return .text
            case "orders" where parts[1] == "count": return .text
            case "orders" where parts[1] == "lastOrderAt": return .timestamp
            case "storeCredit" where parts[1] == "currency": return .text
            case "storeCredit" where parts[1] == "amount": return .amount
            case "attributes" where !parts[1].isEmpty: return .text
            case "groups" where index(parts[1]), "sites" where index(parts[1]), "wishlist" where index(parts[1]): return .text
            default: throw unknown()
            }
        case 3:
            if parts[0] == "addresses", index(parts[1]), let kind = addressFields[parts[2]] { return kind }
            if parts[0] == "notes", index(parts[1]), parts[2] == "text" { return .text }
            if parts[0] == "notes", index(parts[1]), parts[2] == "createdAt" { return .timestamp }
            throw unknown()
        case 4:
            if parts[0] == "orders", parts[1] == "totals", index(parts[2]), parts[3] == "currency" { return .text }
            if parts[0] == "orders", parts[1] == "totals", index(parts[2]), parts[3] == "amount" { return .amount }
            throw unknown()
        default:
            throw unknown()
        }
    }
}
